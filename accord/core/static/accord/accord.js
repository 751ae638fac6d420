/* Accord's small progressive enhancements; every page also works without them. */
(function () {
  "use strict";

  // City picker: choosing a city in the "Matching cities" list fills the hidden GeoNames id and
  // the visible name; emptying the name clears the city.
  document.addEventListener("change", function (event) {
    var select = event.target.closest ? event.target.closest("[data-city-choice]") : null;
    if (!select) return;
    var picker = select.closest("[data-city-picker]");
    var option = select.options[select.selectedIndex];
    if (!picker || !option || !option.value) return;
    picker.querySelector("input[name=city_geonameid]").value = option.value;
    picker.querySelector("input[name=city]").value = option.dataset.name || option.textContent;
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.name !== "city" || !input.closest("[data-city-picker]")) return;
    if (!input.value.trim()) {
      input.closest("[data-city-picker]").querySelector("input[name=city_geonameid]").value = "";
    }
  });

  // Whatever takes over a second shows that it is working: the button that started it gets
  // aria-busy, which Pico draws as a spinner (and screen readers announce as busy). Plain form
  // posts and htmx requests alike; a page shown again from the back-forward cache is reset.
  var BUSY_AFTER_MS = 1000;
  var pending = new WeakMap();

  function busyLater(element) {
    if (!element || pending.has(element)) return;
    pending.set(element, setTimeout(function () { element.setAttribute("aria-busy", "true"); }, BUSY_AFTER_MS));
  }

  function idle(element) {
    if (!element || !pending.has(element)) return;
    clearTimeout(pending.get(element));
    pending.delete(element);
    element.removeAttribute("aria-busy");
  }

  function submitterOf(form, submitter) {
    return submitter || form.querySelector("button[type=submit], button:not([type]), input[type=submit]");
  }

  document.addEventListener("submit", function (event) {
    // htmx forms prevent the default and are followed through htmx's own events below.
    if (event.defaultPrevented) return;
    busyLater(submitterOf(event.target, event.submitter));
  });

  function requester(event) {
    var element = event.detail && event.detail.elt;
    if (!element || !element.matches || !element.matches("form, button, input, select, a")) return null;
    return element.matches("form") ? submitterOf(element, event.detail.requestConfig && event.detail.requestConfig.submitter) : element;
  }

  document.addEventListener("htmx:beforeRequest", function (event) { busyLater(requester(event)); });
  document.addEventListener("htmx:afterRequest", function (event) { idle(requester(event)); });
  // A table wider than the screen scrolls in its own box (see accord.css); keyboard users must be
  // able to reach such a box to scroll it, so it becomes focusable while, and only while, it scrolls.
  function focusableScrollers() {
    document.querySelectorAll("main table, main .overflow-auto").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollFocus = "1";
      } else if (!scrolls && box.dataset.scrollFocus) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[aria-busy=true]").forEach(idle);
  });
})();
