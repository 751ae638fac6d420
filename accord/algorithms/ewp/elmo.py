"""Transcripts of records as EMREX ELMO documents (schema v2.1.1), written and read back.

Pure Python (lxml), no Django import. :func:`elmo_element` writes one ``elmo`` element from plain
dataclasses, as the EWP Incoming Mobility ToRs API v3 embeds it; :func:`parse_elmo` reads one back,
from a v2 document or from an older v1 one (the shape of what Accord reads is the same in both).

What Accord writes, and why
---------------------------
* One ``report`` per transcript: the receiving institution is the ``issuer``, with its SCHAC id (the
  EWP ToRs API requires the ``schac`` identifier type), its Erasmus code and PIC when known.
* One ``learningOpportunitySpecification`` (type Course) per transcript line. Its required identifier
  is the course code as ``local`` when there is one; without a code there is nothing unique to offer,
  so the line's position is given under the custom type ``accord-line``.
* The instance carries the period, the academic term, ``status`` (passed or failed, written always as
  the schema recommends), the grading scheme's local id, ``resultLabel``, the result distribution when
  the institution has one for that scale and ECTS credits.
* ELMO v2 requires a learner's ``alternativeName`` (the name in a non-Latin script) and an issuer's
  ``url``. Accord records neither, so the full name and the website (empty when unknown) stand in.
  ``dateOfBirth`` and ``citizenship`` are written only when known, as the schema asks.
* Values typed ``xs:token`` are written whitespace-collapsed, and characters XML cannot carry are
  dropped, so what is written is what a validating reader sees.

What Accord reads
-----------------
Every node of the learning-opportunity trees (``hasPart`` included) whose instance carries a grade or
ECTS credits, in document order; purely structural nodes (a programme without credits, a class
without a grade) are skipped. A missing ``status`` means passed (the schema's rule for old documents).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final, cast

from lxml import etree

from accord.algorithms.xml_safety import parse_untrusted_xml

__all__ = [
    "ELMO_NAMESPACE",
    "ELMO_V1_NAMESPACE",
    "AcademicTerm",
    "Elmo",
    "ElmoError",
    "GradingScheme",
    "Issuer",
    "Learner",
    "LearningOpportunity",
    "OpportunityStatus",
    "Report",
    "elmo_element",
    "parse_elmo",
    "parse_elmo_document",
    "term_from_title",
    "term_title",
]

ELMO_NAMESPACE: Final = "https://github.com/emrex-eu/elmo-schemas/tree/v2"
ELMO_V1_NAMESPACE: Final = "https://github.com/emrex-eu/elmo-schemas/tree/v1"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
LINE_IDENTIFIER: Final = "accord-line"
_NAMESPACES: Final = frozenset({ELMO_NAMESPACE, ELMO_V1_NAMESPACE})
# Characters XML 1.0 cannot carry at all (C0 controls but tab, line feed and carriage return).
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TERM: Final = re.compile(r"\bterm ([1-9][0-9]?)/([1-9][0-9]?)\b", re.IGNORECASE)


class ElmoError(ValueError):
    """The document is not an ELMO transcript Accord can read, or the data cannot be written as one."""


class OpportunityStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    IN_PROGRESS = "in-progress"


@dataclass(frozen=True, slots=True)
class Learner:
    given_names: str
    family_name: str
    date_of_birth: date | None = None
    citizenship: str = ""
    """ISO 3166-1 alpha-2 code; empty when unknown."""
    esi: str = ""
    """European Student Identifier; empty when unknown."""


@dataclass(frozen=True, slots=True)
class Issuer:
    hei_id: str
    name: str
    name_lang: str = ""
    url: str = ""
    country: str = ""
    erasmus_code: str = ""
    pic: str = ""


@dataclass(frozen=True, slots=True)
class AcademicTerm:
    title: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class GradingScheme:
    local_id: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class LearningOpportunity:
    title: str
    code: str = ""
    credits: Decimal | None = None
    """ECTS credits; None when the document gives none."""
    grade: str = ""
    status: OpportunityStatus = OpportunityStatus.PASSED
    grading_scheme: str = ""
    """The ``local_id`` of one of the report's grading schemes; empty when not given."""
    distribution: tuple[tuple[str, int], ...] = ()
    """The result distribution: (grade, count) in the order written."""
    isced_code: str = ""
    start: date | None = None
    end: date | None = None
    academic_term: AcademicTerm | None = None


@dataclass(frozen=True, slots=True)
class Report:
    issuer: Issuer
    issue_date: datetime
    opportunities: tuple[LearningOpportunity, ...] = ()
    grading_schemes: tuple[GradingScheme, ...] = ()

    def grading_scheme(self, local_id: str) -> GradingScheme | None:
        return next((scheme for scheme in self.grading_schemes if scheme.local_id == local_id), None)


@dataclass(frozen=True, slots=True)
class Elmo:
    generated: datetime
    learner: Learner
    reports: tuple[Report, ...]


# --- terms --------------------------------------------------------------------------------------------


def term_title(academic_year: str, term: str) -> str:
    """The academic term's title Accord writes: ``Term 1/2 of 2026/2027`` (the EWP ``term-id`` n/t),
    or just the academic year when the line has no term."""
    return f"Term {term} of {academic_year}" if term else academic_year


def term_from_title(title: str) -> str:
    """The ``n/t`` term of a title written by :func:`term_title`; empty for any other title."""
    match = _TERM.search(title)
    return f"{match.group(1)}/{match.group(2)}" if match else ""


# --- writing ------------------------------------------------------------------------------------------


def _token(value: str) -> str:
    return " ".join(_NOT_XML.sub("", value).split())


def _sub(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ELMO_NAMESPACE}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise ElmoError("dates and times must carry their time zone")
    return value.isoformat()


def elmo_element(elmo: Elmo) -> etree._Element:
    """The ``elmo`` element (ELMO v2.1.1) of ``elmo``."""
    if not elmo.reports:
        raise ElmoError("an ELMO document holds at least one report")
    root = etree.Element(f"{{{ELMO_NAMESPACE}}}elmo", nsmap={None: ELMO_NAMESPACE})
    _sub(root, "generatedDate", _datetime(elmo.generated))
    _learner(root, elmo.learner)
    for report in elmo.reports:
        _report(root, report)
    return root


def _learner(root: etree._Element, learner: Learner) -> None:
    element = _sub(root, "learner")
    if learner.citizenship:
        _sub(element, "citizenship", _token(learner.citizenship), type="ISO")
    if learner.esi:
        _sub(element, "identifier", _token(learner.esi), type="esi")
    given, family = _token(learner.given_names), _token(learner.family_name)
    _sub(element, "givenNames", given)
    _sub(element, "familyName", family)
    _sub(element, "alternativeName", " ".join(part for part in (given, family) if part))
    if learner.date_of_birth is not None:
        _sub(element, "dateOfBirth", learner.date_of_birth.isoformat())


def _report(root: etree._Element, report: Report) -> None:
    element = _sub(root, "report")
    issuer = _sub(element, "issuer")
    if report.issuer.country:
        _sub(issuer, "country", _token(report.issuer.country), type="ISO")
    for kind, value in (
        ("schac", report.issuer.hei_id),
        ("erasmus", report.issuer.erasmus_code),
        ("pic", report.issuer.pic),
    ):
        if value:
            _sub(issuer, "identifier", _token(value), type=kind)
    title = _sub(issuer, "title", _token(report.issuer.name))
    if report.issuer.name_lang:
        title.set(XML_LANG, report.issuer.name_lang)
    _sub(issuer, "url", _token(report.issuer.url))
    for position, opportunity in enumerate(report.opportunities, start=1):
        _opportunity(element, opportunity, position)
    _sub(element, "issueDate", _datetime(report.issue_date))
    for scheme in report.grading_schemes:
        scheme_element = _sub(element, "gradingScheme", localId=_token(scheme.local_id))
        if scheme.description:
            _sub(scheme_element, "description", _NOT_XML.sub("", scheme.description)).set(XML_LANG, "en")


def _opportunity(parent: etree._Element, opportunity: LearningOpportunity, position: int) -> None:
    element = _sub(parent, "learningOpportunitySpecification")
    code = _token(opportunity.code)
    if code:
        _sub(element, "identifier", code, type="local")
    else:
        _sub(element, "identifier", str(position), type=LINE_IDENTIFIER)
    _sub(element, "title", _token(opportunity.title))
    _sub(element, "type", "Course")
    if opportunity.isced_code:
        _sub(element, "iscedCode", _token(opportunity.isced_code))
    instance = _sub(_sub(element, "specifies"), "learningOpportunityInstance")
    if opportunity.start is not None:
        _sub(instance, "start", opportunity.start.isoformat())
    if opportunity.end is not None:
        _sub(instance, "date", opportunity.end.isoformat())
    if opportunity.academic_term is not None:
        term = _sub(instance, "academicTerm")
        _sub(term, "title", _token(opportunity.academic_term.title)).set(XML_LANG, "en")
        _sub(term, "start", opportunity.academic_term.start.isoformat())
        _sub(term, "end", opportunity.academic_term.end.isoformat())
    _sub(instance, "status", OpportunityStatus(opportunity.status).value)
    if opportunity.grading_scheme:
        _sub(instance, "gradingSchemeLocalId", _token(opportunity.grading_scheme))
    if opportunity.grade:
        _sub(instance, "resultLabel", _token(opportunity.grade))
    if opportunity.distribution:
        distribution = _sub(instance, "resultDistribution")
        for label, count in opportunity.distribution:
            if count < 0:
                raise ElmoError(f"a result distribution cannot count {count} students")
            _sub(distribution, "category", label=_token(label), count=str(count))
    if opportunity.credits is not None:
        credit = _sub(instance, "credit")
        _sub(credit, "scheme", "ects")
        _sub(credit, "value", _decimal(opportunity.credits))


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ElmoError(f"{value} is not a number of credits")
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- reading ------------------------------------------------------------------------------------------


def parse_elmo_document(document: bytes) -> Elmo:
    """Read an ELMO document received from elsewhere (no DTD, no entities, no network)."""
    try:
        root = parse_untrusted_xml(document)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ElmoError(f"not a readable XML document: {exc}") from exc
    return parse_elmo(root)


def parse_elmo(root: etree._Element) -> Elmo:
    """Read an ``elmo`` element (v2, or v1) already parsed safely."""
    namespace = etree.QName(root).namespace
    if namespace not in _NAMESPACES or etree.QName(root).localname != "elmo":
        raise ElmoError(f"expected an ELMO <elmo> element, not {root.tag}")
    reader = _Reader(namespace)
    learner = reader.one(root, "learner")
    return Elmo(
        generated=reader.datetime(root, "generatedDate"),
        learner=Learner(
            given_names=reader.text(learner, "givenNames"),
            family_name=reader.text(learner, "familyName"),
            date_of_birth=reader.date(learner, "dateOfBirth") or reader.date(learner, "bday"),
            citizenship=reader.text(learner, "citizenship"),
            esi=next(
                (_collapse(i.text) for i in reader.all(learner, "identifier") if i.get("type") == "esi"), ""
            ),
        ),
        reports=tuple(reader.report(report) for report in reader.all(root, "report")),
    )


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


class _Reader:
    def __init__(self, namespace: str):
        self.ns = namespace

    def all(self, parent: etree._Element, name: str) -> list[etree._Element]:
        return cast(list[etree._Element], parent.findall(f"{{{self.ns}}}{name}"))

    def first(self, parent: etree._Element, name: str) -> etree._Element | None:
        return parent.find(f"{{{self.ns}}}{name}")

    def one(self, parent: etree._Element, name: str) -> etree._Element:
        found = self.first(parent, name)
        if found is None:
            raise ElmoError(f"<{etree.QName(parent).localname}> has no <{name}>")
        return found

    def text(self, parent: etree._Element, name: str) -> str:
        found = self.first(parent, name)
        return _collapse(found.text) if found is not None else ""

    def date(self, parent: etree._Element, name: str) -> date | None:
        text = self.text(parent, name)
        if not text:
            return None
        try:
            # xs:date may carry a time zone, which a calendar date does not need.
            return date.fromisoformat(text[:10])
        except ValueError:
            raise ElmoError(f"<{name}> is not a date: {text!r}") from None

    def datetime(self, parent: etree._Element, name: str) -> datetime:
        text = self.text(parent, name)
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise ElmoError(f"<{name}> is not a date and time: {text!r}") from None

    def titled(self, parent: etree._Element) -> tuple[str, str]:
        """The English title when there is one, else the first; and its language."""
        titles = self.all(parent, "title")
        if not titles:
            return "", ""
        chosen = next((title for title in titles if title.get(XML_LANG, "").startswith("en")), titles[0])
        return _collapse("".join(chosen.itertext())), chosen.get(XML_LANG, "")

    def report(self, element: etree._Element) -> Report:
        issuer = self.one(element, "issuer")
        identifiers = {i.get("type", ""): _collapse(i.text) for i in reversed(self.all(issuer, "identifier"))}
        name, lang = self.titled(issuer)
        return Report(
            issuer=Issuer(
                hei_id=identifiers.get("schac", ""),
                name=name,
                name_lang=lang,
                url=self.text(issuer, "url"),
                country=self.text(issuer, "country"),
                erasmus_code=identifiers.get("erasmus", ""),
                pic=identifiers.get("pic", ""),
            ),
            issue_date=self.datetime(element, "issueDate"),
            opportunities=tuple(
                opportunity
                for specification in self.all(element, "learningOpportunitySpecification")
                for opportunity in self.opportunities(specification)
            ),
            grading_schemes=tuple(
                GradingScheme(
                    local_id=_collapse(scheme.get("localId")),
                    description=self._english(self.all(scheme, "description")),
                )
                for scheme in self.all(element, "gradingScheme")
            ),
        )

    @staticmethod
    def _english(descriptions: list[etree._Element]) -> str:
        if not descriptions:
            return ""
        chosen = next((d for d in descriptions if d.get(XML_LANG, "").startswith("en")), descriptions[0])
        return (chosen.text or "").strip()

    def opportunities(self, specification: etree._Element) -> Iterator[LearningOpportunity]:
        instance = self.first(self.one(specification, "specifies"), "learningOpportunityInstance")
        if instance is not None:
            opportunity = self.opportunity(specification, instance)
            if opportunity.grade or opportunity.credits is not None:
                yield opportunity
        for part in self.all(specification, "hasPart"):
            for child in self.all(part, "learningOpportunitySpecification"):
                yield from self.opportunities(child)

    def opportunity(self, specification: etree._Element, instance: etree._Element) -> LearningOpportunity:
        title, _lang = self.titled(specification)
        code = next(
            (_collapse(i.text) for i in self.all(specification, "identifier") if i.get("type") == "local"), ""
        )
        status_text = self.text(instance, "status") or OpportunityStatus.PASSED.value
        try:
            status = OpportunityStatus(status_text)
        except ValueError:
            raise ElmoError(f"<status> {status_text!r} is not passed, failed or in-progress") from None
        term_element = self.first(instance, "academicTerm")
        term = None
        if term_element is not None:
            term_name, _lang = self.titled(term_element)
            start, end = self.date(term_element, "start"), self.date(term_element, "end")
            if start is None or end is None:
                raise ElmoError("<academicTerm> needs a start and an end")
            term = AcademicTerm(title=term_name, start=start, end=end)
        distribution = self.first(instance, "resultDistribution")
        return LearningOpportunity(
            title=title,
            code=code,
            credits=self.ects(instance),
            grade=self.text(instance, "resultLabel"),
            status=status,
            grading_scheme=self.text(instance, "gradingSchemeLocalId"),
            distribution=tuple(
                (_collapse(category.get("label")), self.count(category))
                for category in (self.all(distribution, "category") if distribution is not None else [])
            ),
            isced_code=self.text(specification, "iscedCode"),
            start=self.date(instance, "start"),
            end=self.date(instance, "date"),
            academic_term=term,
        )

    def ects(self, instance: etree._Element) -> Decimal | None:
        for credit in self.all(instance, "credit"):
            if self.text(credit, "scheme").lower() == "ects":
                text = self.text(credit, "value")
                if not text:
                    return None
                try:
                    value = Decimal(text)
                except InvalidOperation:
                    raise ElmoError(f"ECTS credits {text!r} are not a number") from None
                if not value.is_finite() or value < 0:
                    raise ElmoError(f"ECTS credits {text!r} are not a number of zero or more")
                return value
        return None

    @staticmethod
    def count(category: etree._Element) -> int:
        text = (category.get("count") or "").strip()
        if not text.isdigit():
            raise ElmoError(f"a result distribution category counts {text!r} students")
        return int(text)
