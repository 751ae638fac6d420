"""Learning agreement problems in words: the pure core says what is wrong with which component and
field (:class:`~accord.algorithms.mobility.learning_agreement.Problem`); this turns each into a
translatable sentence for the field it concerns, and names the component in words where no form row
shows it (the API, a message at the top of a page)."""

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.algorithms.mobility.learning_agreement import LearningAgreementError, Problem
from accord.core.errors import ValidationFailed
from accord.mobilities.choices import ChangeReason, Section

FIELD_LABELS = {
    "ref": gettext_lazy("reference"),
    "section": gettext_lazy("table"),
    "title": gettext_lazy("title"),
    "code": gettext_lazy("code"),
    "credits": gettext_lazy("ECTS credits"),
    "term": gettext_lazy("term"),
    "hours": gettext_lazy("hours"),
    "reason_code": gettext_lazy("reason"),
}


def term_hint() -> str:
    return _(
        "write it as 1/2 for the first of two terms (2/2 the second, 1/1 the whole year), or pick one "
        "from the list"
    )


def _sentence(problem: Problem) -> str:
    """What is wrong, said on the field itself."""
    if problem.code == "service":
        return problem.message
    label = FIELD_LABELS.get(problem.field, problem.field)
    value, limit = problem.value, problem.limit
    sentences = {
        "not_a_list": lambda: _("Send the components as a list."),
        "not_an_object": lambda: _("Give each component its table, title, credits and term."),
        "bad_ref": lambda: _("The reference is 1 to 32 letters, digits, hyphens or underscores."),
        "duplicate_ref": lambda: _("Another component already has the reference %(ref)s.") % {"ref": value},
        "unknown_section": lambda: (
            _("Choose the table from the list: %(tables)s.")
            % {"tables": ", ".join(str(label) for label in Section.labels)}
        ),
        "required": lambda: _("Give the %(field)s.") % {"field": label},
        "too_long": lambda: (
            _("Shorten the %(field)s to %(limit)s characters.") % {"field": label, "limit": limit}
        ),
        "not_a_number": lambda: (
            _("'%(value)s' is not a number: write the %(field)s as 6 or 7.5, say.")
            % {"value": value, "field": label}
        ),
        "negative": lambda: _("The %(field)s cannot be negative.") % {"field": label},
        "too_large": lambda: _("The %(field)s are at most %(limit)s.") % {"field": label, "limit": limit},
        "too_precise": lambda: (
            _("Write the %(field)s with one decimal at most, such as 7.5.") % {"field": label}
        ),
        "bad_term": lambda: _("'%(value)s' is not a term: %(hint)s.") % {"value": value, "hint": term_hint()},
        "term_required": lambda: _("Give the term of this course: %(hint)s.") % {"hint": term_hint()},
        "unknown_reason": lambda: _("Choose the reason from the list, or write your own."),
        "reason_required": lambda: _(
            "This component was added or removed since the approved version: choose a reason from the "
            "list, or write your own."
        ),
        "wrong_reason": lambda: (
            _(
                "This reason does not fit the change: a removed component is %(removed)s; an added one is "
                "%(added)s."
            )
            % {
                "removed": _(" or ").join(
                    str(ChangeReason(code).label)
                    for code in (
                        ChangeReason.NOT_AVAILABLE,
                        ChangeReason.LANGUAGE_MISMATCH,
                        ChangeReason.TIMETABLE_CONFLICT,
                    )
                ),
                "added": _(" or ").join(
                    str(ChangeReason(code).label)
                    for code in (
                        ChangeReason.SUBSTITUTING_DELETED,
                        ChangeReason.EXTENDING_MOBILITY,
                        ChangeReason.ADDING_VIRTUAL_COMPONENT,
                    )
                ),
            }
        ),
    }
    return sentences.get(problem.code, lambda: _("Check the %(field)s.") % {"field": label})()


def _title(item: object) -> str:
    return str(item.get("title") or "").strip() if isinstance(item, Mapping) else ""


def component_place(index: int, components: Sequence[object]) -> str:
    """A component named for a sentence: "Component 2 (Redes)"."""
    title = _title(components[index]) if 0 <= index < len(components) else ""
    if title:
        return _("Component %(n)s (%(title)s)") % {"n": index + 1, "title": title}
    return _("Component %(n)s") % {"n": index + 1}


class ComponentsRefused(ValidationFailed):
    """Learning agreement components refused, keyed by path for programs (``components[1].term``)
    with sentences that name the component and field in words; ``rows`` holds the plain sentence for
    each ``(index or ref, field)``, for a form that shows it on the row's field."""

    def __init__(self, errors: dict[str, list[str]], rows: dict[tuple[int | str, str], list[str]]):
        super().__init__(errors)
        self.rows = rows


def refuse_components(
    problems: Sequence[Problem], components: Sequence[object], labels_by_ref: Mapping[str, str] | None = None
) -> ComponentsRefused:
    """The refusal for ``problems`` found in ``components`` (the list as given); ``labels_by_ref``
    names components by ref for changes (a removed component is no longer in the list)."""
    errors: dict[str, list[str]] = {}
    rows: dict[tuple[int | str, str], list[str]] = {}
    for problem in problems:
        sentence = _sentence(problem)
        if problem.ref:
            label = (labels_by_ref or {}).get(problem.ref, "")
            place = _("The change of %(component)s") % {"component": label} if label else _("A change")
            key: tuple[int | str, str] = (problem.ref, problem.field)
        elif problem.index is not None and problem.path.startswith("components"):
            place = component_place(problem.index, components)
            key = (problem.index, problem.field)
        else:
            place, key = "", ("", "")
        rows.setdefault(key, []).append(sentence)
        worded = _("%(place)s: %(sentence)s") % {"place": place, "sentence": sentence} if place else sentence
        errors.setdefault(problem.path, []).append(worded)
    return ComponentsRefused(errors, rows)


def from_core(
    error: LearningAgreementError,
    components: Sequence[object],
    labels_by_ref: Mapping[str, str] | None = None,
) -> ComponentsRefused:
    return refuse_components(error.problems, components, labels_by_ref)


def section_problem(index: int, message: str) -> Problem:
    """A service's own objection to a component's table, as a problem like the core's."""
    return Problem(f"components[{index}].section", "service", message, index, "section")
