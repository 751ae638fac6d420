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
})();
