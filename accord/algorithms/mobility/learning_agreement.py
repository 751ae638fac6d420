"""Learning agreements as plain data: components, change proposals, credit rules and readable diffs.

Pure Python, no Django import (decision 1). The Django layer stores each learning-agreement version
as the list :func:`components_to_dicts` writes, reads it back with :func:`parse_components`, and
binds every signature to the :func:`components_hash` of the version signed.

The structure follows the EWP Outgoing Mobility Learning Agreements API (``omobility-las`` v1):

* a component belongs to one *section*: ``studied`` at the receiving institution (EWP
  ``components-studied``, table A), ``recognised`` at the sending institution
  (``components-recognized``, table B), ``virtual`` (``virtual-components``, table C), ``blended``
  and ``doctoral`` (the EWP lists of the same name); staff mobility agreements list ``activity``
  components instead, which EWP does not exchange;
* a component has a stable ``ref`` that survives versions, a ``code`` (EWP ``los-code``), a
  ``title``, ECTS ``credits`` and a ``term`` written ``n/t`` (term *n* of *t* in the academic year,
  the EWP ``term-id``: ``1/2`` is the first semester, ``1/1`` the whole year);
* a change to an approved version inserts or deletes components, each with one of the EWP standard
  reason codes (:class:`ChangeReason`) or a free-text reason. Changing a component's fields counts as
  deleting it and inserting the new one, as in EWP.

Documented rules
----------------
* Credits are non-negative decimals with at most one decimal place (ECTS are counted in halves at
  the finest); a component without credits (``None``) counts as zero in every total.
* Deletion reasons are ``not-available``, ``language-mismatch`` and ``timetable-conflict``;
  insertion reasons are ``substituting-deleted``, ``extending-mobility`` and
  ``adding-virtual-component``. A change needs a code or a text; a code of the wrong direction is
  refused, since a partner reading "deleted: extending mobility" could not make sense of it.
* Credit rules (:class:`CreditRule`) are evaluated on one version's components; a rule is *met*
  or not, and the result says by how much, so the page can show it before anyone signs.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from accord.algorithms.mobility.terms import parse_term

__all__ = [
    "DELETION_REASONS",
    "INSERTION_REASONS",
    "ChangeReason",
    "ChangeStatus",
    "Component",
    "ComponentChange",
    "CreditRule",
    "CreditRuleKind",
    "DiffLine",
    "LearningAgreementError",
    "Problem",
    "RuleResult",
    "Section",
    "changes_between",
    "check_credit_rules",
    "components_hash",
    "components_to_dicts",
    "credit_total",
    "credits_by_term",
    "diff_components",
    "parse_changes",
    "parse_components",
    "parse_term",
    "totals",
]

MAX_CREDITS = Decimal(120)
MAX_TITLE_LENGTH = 255
MAX_CODE_LENGTH = 64
REF = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, for the layer above to put in words on the right field.

    ``index`` is the position of the component (or change) in the list given, ``field`` the name
    of its field (``""`` for the whole item or list), ``ref`` the component's ref for a change, and
    ``code`` says what is wrong: ``not_a_list``, ``not_an_object``, ``bad_ref``, ``duplicate_ref``,
    ``unknown_section``, ``required``, ``too_long``, ``not_a_number``, ``negative``, ``too_large``,
    ``too_precise``, ``bad_term``, ``term_required``, ``unknown_reason``, ``reason_required`` or
    ``wrong_reason``; ``value`` and ``limit`` are what was given and the bound it broke.
    """

    path: str
    code: str
    message: str
    index: int | None = None
    field: str = ""
    ref: str = ""
    value: str = ""
    limit: str = ""


class LearningAgreementError(ValueError):
    """Invalid components or changes; ``errors`` maps a path such as ``components[2].credits`` to
    the messages about it (terse English, for logs and other systems), and ``problems`` says the same
    as :class:`Problem` records, which the Django layer turns into sentences on the fields."""

    def __init__(self, errors: Mapping[str, list[str]], problems: Sequence[Problem] = ()):
        self.errors = {key: list(messages) for key, messages in errors.items()}
        self.problems = tuple(problems)
        first_key, first_messages = next(iter(self.errors.items()))
        super().__init__(f"{first_key}: {first_messages[0]}")

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> LearningAgreementError:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.path, []).append(problem.message)
        return cls(errors, problems)


class Section(StrEnum):
    STUDIED = "studied"
    RECOGNISED = "recognised"
    VIRTUAL = "virtual"
    BLENDED = "blended"
    DOCTORAL = "doctoral"
    ACTIVITY = "activity"


# Sections whose credits are earned at (or through) the receiving institution.
EARNED_SECTIONS = frozenset({Section.STUDIED, Section.VIRTUAL, Section.BLENDED, Section.DOCTORAL})
# EWP requires a term for these; virtual components may lack one.
TERM_REQUIRED = frozenset({Section.STUDIED, Section.RECOGNISED})


class ChangeStatus(StrEnum):
    INSERTED = "inserted"
    DELETED = "deleted"


class ChangeReason(StrEnum):
    """The standard reasons of the EWP learning agreement (and of the EC template's table A2)."""

    NOT_AVAILABLE = "not-available"
    LANGUAGE_MISMATCH = "language-mismatch"
    TIMETABLE_CONFLICT = "timetable-conflict"
    SUBSTITUTING_DELETED = "substituting-deleted"
    EXTENDING_MOBILITY = "extending-mobility"
    ADDING_VIRTUAL_COMPONENT = "adding-virtual-component"


DELETION_REASONS = frozenset(
    {ChangeReason.NOT_AVAILABLE, ChangeReason.LANGUAGE_MISMATCH, ChangeReason.TIMETABLE_CONFLICT}
)
INSERTION_REASONS = frozenset(
    {
        ChangeReason.SUBSTITUTING_DELETED,
        ChangeReason.EXTENDING_MOBILITY,
        ChangeReason.ADDING_VIRTUAL_COMPONENT,
    }
)


@dataclass(frozen=True, slots=True)
class Component:
    """One course, module or activity of a learning (or staff mobility) agreement."""

    ref: str
    section: Section
    title: str
    code: str = ""
    credits: Decimal | None = None
    term: str = ""
    hours: Decimal | None = None
    recognition_conditions: str = ""
    short_description: str = ""

    @property
    def credit_value(self) -> Decimal:
        return self.credits if self.credits is not None else Decimal(0)

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    def same_content(self, other: Component) -> bool:
        return _component_dict(self, with_ref=False) == _component_dict(other, with_ref=False)


@dataclass(frozen=True, slots=True)
class ComponentChange:
    """An inserted or deleted component of a change proposal, with the reason given for it."""

    ref: str
    status: ChangeStatus
    reason_code: ChangeReason | None = None
    reason_text: str = ""


# --- parsing and serialising -------------------------------------------------------------------


def parse_components(items: object) -> tuple[Component, ...]:
    """Read the JSON list of components, collecting every error with its path."""
    if not isinstance(items, list):
        raise LearningAgreementError.of([Problem("components", "not_a_list", "must be a list of components")])
    problems: list[Problem] = []
    components: list[Component] = []
    seen_refs: set[str] = set()
    for index, item in enumerate(items):
        path = f"components[{index}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(path, "not_an_object", "must be an object", index))
            continue
        component = _parse_component(item, index, problems)
        if component is None:
            continue
        if component.ref in seen_refs:
            problems.append(
                Problem(
                    f"{path}.ref",
                    "duplicate_ref",
                    f"'{component.ref}' is used by another component",
                    index,
                    "ref",
                    value=component.ref,
                )
            )
        seen_refs.add(component.ref)
        components.append(component)
    if problems:
        raise LearningAgreementError.of(problems)
    return tuple(components)


def _parse_component(item: Mapping[str, object], index: int, problems: list[Problem]) -> Component | None:
    path = f"components[{index}]"

    def fail(name: str, code: str, message: str, value: object = "", limit: object = "") -> None:
        problems.append(Problem(f"{path}.{name}", code, message, index, name, "", str(value), str(limit)))

    before = len(problems)
    ref = _text(item.get("ref"))
    if not REF.fullmatch(ref):
        fail("ref", "bad_ref", "must be 1 to 32 letters, digits, '-' or '_'", ref)
    section_text = _text(item.get("section"))
    try:
        section = Section(section_text)
    except ValueError:
        fail(
            "section", "unknown_section", f"'{section_text}' is not one of {', '.join(Section)}", section_text
        )
        section = Section.STUDIED
    title = _text(item.get("title"))
    if not title:
        fail("title", "required", "is required")
    elif len(title) > MAX_TITLE_LENGTH:
        fail("title", "too_long", f"must be at most {MAX_TITLE_LENGTH} characters", limit=MAX_TITLE_LENGTH)
    code = _text(item.get("code"))
    if len(code) > MAX_CODE_LENGTH:
        fail("code", "too_long", f"must be at most {MAX_CODE_LENGTH} characters", limit=MAX_CODE_LENGTH)
    credits = _decimal(item.get("credits"), "credits", fail)
    hours = _decimal(item.get("hours"), "hours", fail)
    given_term = _text(item.get("term"))
    term = parse_term(given_term)
    if term is None:
        fail(
            "term",
            "bad_term",
            f"'{given_term}' is not a term: write n/t, such as 1/2 for the first semester",
            given_term,
        )
    elif not term and section in TERM_REQUIRED:
        fail(
            "term", "term_required", "is required for studied and recognised components (such as 1/2 or 1/1)"
        )
    if len(problems) > before:
        return None
    return Component(
        ref=ref,
        section=section,
        title=title,
        code=code,
        credits=credits,
        term=term or "",
        hours=hours,
        recognition_conditions=_text(item.get("recognition_conditions")),
        short_description=_text(item.get("short_description")),
    )


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _decimal(value: object, name: str, fail: Callable[..., None]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        fail(name, "not_a_number", f"'{value}' is not a number", value)
        return None
    # str() first: a float such as 7.5 then reads as exactly 7.5 rather than its binary neighbour.
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        fail(name, "not_a_number", f"'{value}' is not a number", value)
        return None
    if not number.is_finite():
        fail(name, "not_a_number", f"'{value}' is not a number", value)
    elif number < 0:
        fail(name, "negative", "must not be negative", value)
    elif number > MAX_CREDITS:
        fail(name, "too_large", f"must be at most {MAX_CREDITS}", value, MAX_CREDITS)
    elif number != number.quantize(Decimal("0.1")):
        fail(name, "too_precise", "must have at most one decimal place", value)
    else:
        return number.quantize(Decimal("0.1")).normalize() if number else Decimal(0)
    return None


def _component_dict(component: Component, *, with_ref: bool = True) -> dict[str, str | None]:
    document: dict[str, str | None] = {
        "section": component.section.value,
        "title": component.title,
        "code": component.code,
        "credits": _decimal_text(component.credits),
        "term": component.term,
        "hours": _decimal_text(component.hours),
        "recognition_conditions": component.recognition_conditions,
        "short_description": component.short_description,
    }
    if with_ref:
        document = {"ref": component.ref, **document}
    return document


def _decimal_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f")


def components_to_dicts(components: Iterable[Component]) -> list[dict[str, str | None]]:
    """The JSON form stored in a version; ``parse_components`` reads it back unchanged."""
    return [_component_dict(component) for component in components]


def components_hash(components: Iterable[Component]) -> str:
    """SHA-256 of the canonical JSON of the components, refs included, in their order.

    Order matters because the printed agreement lists components in that order; a signature means
    the signer saw exactly this list.
    """
    canonical = json.dumps(components_to_dicts(components), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_changes(items: object) -> dict[str, tuple[ChangeReason | None, str]]:
    """Read the reasons given for a proposal: ``[{"ref", "reason_code", "reason_text"}]`` → by ref."""
    if items is None:
        return {}
    if not isinstance(items, list):
        raise LearningAgreementError.of([Problem("changes", "not_a_list", "must be a list of reasons")])
    problems: list[Problem] = []
    reasons: dict[str, tuple[ChangeReason | None, str]] = {}
    for index, item in enumerate(items):
        path = f"changes[{index}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(path, "not_an_object", "must be an object", index))
            continue
        ref = _text(item.get("ref"))
        code_text = _text(item.get("reason_code"))
        code = None
        if code_text:
            try:
                code = ChangeReason(code_text)
            except ValueError:
                problems.append(
                    Problem(
                        f"{path}.reason_code",
                        "unknown_reason",
                        f"'{code_text}' is not one of {', '.join(ChangeReason)}",
                        index,
                        "reason_code",
                        ref,
                        code_text,
                    )
                )
        reasons[ref] = (code, _text(item.get("reason_text")))
    if problems:
        raise LearningAgreementError.of(problems)
    return reasons


# --- change proposals ----------------------------------------------------------------------------


def changes_between(
    approved: Sequence[Component],
    proposed: Sequence[Component],
    reasons: Mapping[str, tuple[ChangeReason | None, str]],
) -> tuple[ComponentChange, ...]:
    """The insertions and deletions that turn ``approved`` into ``proposed``, each with its reason.

    A component whose ref survives with different content is a deletion of the old one and an
    insertion of the new one (EWP has no "modified"). Raises :class:`LearningAgreementError` when a
    change has no reason or a reason of the wrong direction; errors are keyed ``changes.<ref>``.
    """
    before = {component.ref: component for component in approved}
    after = {component.ref: component for component in proposed}
    changes: list[ComponentChange] = []
    for ref, component in before.items():
        if ref not in after or not component.same_content(after[ref]):
            changes.append(ComponentChange(ref, ChangeStatus.DELETED))
    for ref, component in after.items():
        if ref not in before or not component.same_content(before[ref]):
            changes.append(ComponentChange(ref, ChangeStatus.INSERTED))
    problems: list[Problem] = []
    reasoned: list[ComponentChange] = []
    for change in changes:
        code, text = reasons.get(change.ref, (None, ""))
        allowed = DELETION_REASONS if change.status is ChangeStatus.DELETED else INSERTION_REASONS
        label = (before if change.status is ChangeStatus.DELETED else after)[change.ref].label
        key = f"changes.{change.ref}"
        if code is None and not text:
            message = f"'{label}' is {change.status.value}: give a reason"
            problems.append(Problem(key, "reason_required", message, field="reason_code", ref=change.ref))
        elif code is not None and code not in allowed:
            listed = ", ".join(sorted(allowed))
            message = f"'{code}' is not a reason for a component {change.status.value}; use one of {listed}"
            problems.append(
                Problem(key, "wrong_reason", message, field="reason_code", ref=change.ref, value=str(code))
            )
        reasoned.append(ComponentChange(change.ref, change.status, code, text))
    if problems:
        raise LearningAgreementError.of(problems)
    return tuple(reasoned)


# --- readable diffs ------------------------------------------------------------------------------

_DIFF_FIELDS = ("section", "code", "title", "credits", "term", "hours", "recognition_conditions")


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One component added, removed or changed between two versions; ``fields`` lists
    ``(field, old, new)`` for a changed one."""

    kind: str
    ref: str
    label: str
    section: Section
    fields: tuple[tuple[str, str, str], ...] = ()


def diff_components(old: Sequence[Component], new: Sequence[Component]) -> tuple[DiffLine, ...]:
    """What changed from ``old`` to ``new``, component by component (matched by ref), in the order
    of ``old`` then of the components new in ``new``."""
    before = {component.ref: component for component in old}
    after = {component.ref: component for component in new}
    lines: list[DiffLine] = []
    for component in old:
        replacement = after.get(component.ref)
        if replacement is None:
            lines.append(DiffLine("removed", component.ref, component.label, component.section))
        elif not component.same_content(replacement):
            old_fields = _component_dict(component, with_ref=False)
            new_fields = _component_dict(replacement, with_ref=False)
            changed = tuple(
                (name, _shown(old_fields[name]), _shown(new_fields[name]))
                for name in _DIFF_FIELDS
                if old_fields[name] != new_fields[name]
            )
            lines.append(DiffLine("changed", component.ref, replacement.label, replacement.section, changed))
    for component in new:
        if component.ref not in before:
            lines.append(DiffLine("added", component.ref, component.label, component.section))
    return tuple(lines)


def _shown(value: object) -> str:
    return "—" if value in (None, "") else str(value)


# --- credits and rules ---------------------------------------------------------------------------


def credit_total(components: Iterable[Component], sections: Iterable[Section]) -> Decimal:
    wanted = set(sections)
    return sum((c.credit_value for c in components if c.section in wanted), Decimal(0))


def credits_by_term(components: Iterable[Component], section: Section) -> dict[str, Decimal]:
    """Credits of ``section`` per term, terms in first-seen order; components without a term are
    grouped under ``""``."""
    totals: dict[str, Decimal] = {}
    for component in components:
        if component.section is section:
            totals[component.term] = totals.get(component.term, Decimal(0)) + component.credit_value
    return totals


class CreditRuleKind(StrEnum):
    """What a sending institution may require of a learning agreement."""

    MIN_STUDIED_TOTAL = "min_studied_total"
    MAX_STUDIED_TOTAL = "max_studied_total"
    MIN_STUDIED_PER_TERM = "min_studied_per_term"
    MIN_RECOGNISED_TOTAL = "min_recognised_total"
    MIN_RECOGNISED_SHARE = "min_recognised_share"
    MIN_ACTIVITY_HOURS = "min_activity_hours"


@dataclass(frozen=True, slots=True)
class CreditRule:
    """One requirement; ``value`` is credits, hours, or a percentage for ``min_recognised_share``
    (credits to be recognised as a share of the credits earned abroad)."""

    kind: CreditRuleKind
    value: Decimal
    blocking: bool = True


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: CreditRule
    met: bool
    actual: Decimal
    detail: str


def check_credit_rules(
    components: Sequence[Component], rules: Iterable[CreditRule]
) -> tuple[RuleResult, ...]:
    """Evaluate every rule on one version's components."""
    return tuple(_check(components, rule) for rule in rules)


def _check(components: Sequence[Component], rule: CreditRule) -> RuleResult:
    earned = credit_total(components, EARNED_SECTIONS)
    studied = credit_total(components, [Section.STUDIED])
    recognised = credit_total(components, [Section.RECOGNISED])
    kind, value = rule.kind, rule.value
    if kind is CreditRuleKind.MIN_STUDIED_TOTAL:
        return RuleResult(
            rule, studied >= value, studied, f"{_n(studied)} ECTS studied, at least {_n(value)} required"
        )
    if kind is CreditRuleKind.MAX_STUDIED_TOTAL:
        return RuleResult(
            rule, studied <= value, studied, f"{_n(studied)} ECTS studied, at most {_n(value)} allowed"
        )
    if kind is CreditRuleKind.MIN_STUDIED_PER_TERM:
        per_term = credits_by_term(components, Section.STUDIED)
        if not per_term:
            return RuleResult(
                rule, False, Decimal(0), f"no studied components; at least {_n(value)} per term required"
            )
        lowest_term = min(per_term, key=lambda term: per_term[term])
        lowest = per_term[lowest_term]
        short = [f"{term}: {_n(total)}" for term, total in per_term.items() if total < value]
        detail = f"at least {_n(value)} ECTS per term required" + (
            f"; short: {', '.join(short)}" if short else ""
        )
        return RuleResult(rule, not short, lowest, detail)
    if kind is CreditRuleKind.MIN_RECOGNISED_TOTAL:
        return RuleResult(
            rule,
            recognised >= value,
            recognised,
            f"{_n(recognised)} ECTS to be recognised, at least {_n(value)} required",
        )
    if kind is CreditRuleKind.MIN_RECOGNISED_SHARE:
        share = (recognised * 100 / earned).quantize(Decimal("0.1")) if earned else Decimal(0)
        met = bool(earned) and share >= value
        return RuleResult(
            rule, met, share, f"{_n(share)}% of the credits earned abroad recognised, {_n(value)}% required"
        )
    hours = sum((c.hours or Decimal(0) for c in components if c.section is Section.ACTIVITY), Decimal(0))
    return RuleResult(
        rule, hours >= value, hours, f"{_n(hours)} hours of activities, at least {_n(value)} required"
    )


def _n(number: Decimal) -> str:
    """A number as people write it: 30, 7.5, never 30.0 or 3E+1."""
    return format(number.normalize(), "f")


def totals(components: Iterable[Component]) -> dict[Section, Decimal]:
    """Credits per section, for display beside a version."""
    result: dict[Section, Decimal] = {}
    for component in components:
        result[component.section] = result.get(component.section, Decimal(0)) + component.credit_value
    return result
