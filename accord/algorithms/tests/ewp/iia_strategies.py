"""Hypothesis strategies for IIAs v7 ``get`` responses: schema-valid ones, and odd ones beyond the schema.

Shared by the tests of the IIA hash; ``tag``, ``child`` and ``serialise`` build elements in the
IIAs v7 namespace by hand.
"""

from hypothesis import strategies as st
from lxml import etree

from accord.algorithms.ewp.iia_hash import IIAS_V7_NAMESPACE

CONTACT_NS = "https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OTHER_NS = "urn:example:other"
NAMESPACES = {None: IIAS_V7_NAMESPACE, "c": CONTACT_NS}
MOBILITY_TYPES = (
    "student-studies-mobility-spec",
    "student-traineeship-mobility-spec",
    "staff-teacher-mobility-spec",
    "staff-training-mobility-spec",
)
# Only these two need a recommended language skill; the other two allow none.
TYPES_REQUIRING_LANGUAGE_SKILL = {"student-studies-mobility-spec", "staff-teacher-mobility-spec"}


def tag(name: str) -> str:
    return f"{{{IIAS_V7_NAMESPACE}}}{name}"


def child(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag(name))
    element.text = text
    return element


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


# --- Schema-valid IIAs v7 get responses --------------------------------------------------

XML_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
) | st.sampled_from("\t\n\r ")
BLANKS = st.sampled_from(["", " ", "\n", "\n    ", "\t", "\r\n  "])
ASCII_IDENTIFIERS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20)
FLAG_VALUES = st.sampled_from(["true", "1", "false", "0", " true ", "\ttrue"])


@st.composite
def free_text(draw: st.DrawFn) -> str:
    """An xs:string value, often with blanks and newlines around it and non-ASCII inside."""
    core = draw(
        st.text(XML_CHARACTERS, max_size=12) | st.sampled_from(["Łódź", "Ἀθῆναι", "日本語", "e\u0301", "😀"])
    )
    return draw(BLANKS) + core + draw(BLANKS)


@st.composite
def collapsed(draw: st.DrawFn, lexical_forms: st.SearchStrategy[str]) -> str:
    """A value of a whitespace-collapsing XSD type, where blanks around the value stay valid."""
    return draw(BLANKS) + draw(lexical_forms) + draw(BLANKS)


def positive_integers(maximum: int) -> st.SearchStrategy[str]:
    return st.integers(1, maximum).flatmap(lambda n: st.sampled_from([str(n), f"+{n}", f"00{n}"]))


def decimals() -> st.SearchStrategy[str]:
    return st.sampled_from(["5", "10", "4.5", "0.25", "12.50", "+3", "007.10"])


def academic_year() -> st.SearchStrategy[str]:
    return st.integers(2000, 2090).map(lambda year: f"{year}/{year + 1}")


@st.composite
def contact(draw: st.DrawFn, element_tag: str) -> etree._Element:
    element = etree.Element(element_tag)
    for _ in range(draw(st.integers(1, 2))):
        name = etree.SubElement(element, f"{{{CONTACT_NS}}}contact-name")
        name.text = draw(free_text())
        if draw(st.booleans()):
            name.set(XML_LANG, draw(st.sampled_from(["en", "pl", "de-AT"])))
    if draw(st.booleans()):
        etree.SubElement(element, f"{{{CONTACT_NS}}}email").text = "someone@example.org"
    return element


@st.composite
def subject_area(draw: st.DrawFn) -> etree._Element:
    area = etree.Element(tag("subject-area"))
    code = child(area, "isced-f-code", draw(st.from_regex(r"[0-9]{4}", fullmatch=True)))
    if draw(st.integers(0, 3)) == 0:
        code.set("v6-value", draw(st.from_regex(r"[0-9]{1,3}", fullmatch=True)))
    if draw(st.booleans()):
        child(area, "isced-clarification", draw(free_text()))
    return area


@st.composite
def language_skill(draw: st.DrawFn) -> etree._Element:
    skill = etree.Element(tag("recommended-language-skill"))
    if draw(st.integers(0, 4)) == 0:
        skill.set("not-yet-defined", draw(FLAG_VALUES))
    child(skill, "language", draw(collapsed(st.sampled_from(["en", "pl", "pt-BR", "sr-Latn", "no"]))))
    if draw(st.booleans()):
        child(skill, "cefr-level", draw(st.sampled_from(["A1", "B1", "B2", "C1", "C2"])))
    if draw(st.booleans()):
        skill.append(draw(subject_area()))
    return skill


@st.composite
def mobility(draw: st.DrawFn, mobility_type: str) -> etree._Element:
    spec = etree.Element(tag(mobility_type))
    child(spec, "sending-hei-id", draw(free_text()))
    if draw(st.booleans()):
        child(spec, "sending-ounit-id", draw(ASCII_IDENTIFIERS))
    spec.extend(draw(st.lists(contact(tag("sending-contact")), max_size=2)))
    child(spec, "receiving-hei-id", draw(free_text()))
    if draw(st.booleans()):
        child(spec, "receiving-ounit-id", draw(ASCII_IDENTIFIERS))
    spec.extend(draw(st.lists(contact(tag("receiving-contact")), max_size=1)))
    child(spec, "receiving-first-academic-year-id", draw(academic_year()))
    child(spec, "receiving-last-academic-year-id", draw(academic_year()))
    places = child(spec, "mobilities-per-year", draw(collapsed(positive_integers(99))))
    if draw(st.integers(0, 4)) == 0:
        places.set("not-yet-defined", draw(FLAG_VALUES))
    minimum_skills = 1 if mobility_type in TYPES_REQUIRING_LANGUAGE_SKILL else 0
    spec.extend(draw(st.lists(language_skill(), min_size=minimum_skills, max_size=3)))
    spec.extend(draw(st.lists(subject_area(), max_size=3)))
    if draw(st.booleans()):
        child(spec, "other-info-terms", draw(free_text()))
    if mobility_type.startswith("student"):
        if draw(st.booleans()):
            child(spec, "total-months-per-year", draw(collapsed(decimals())))
        child(spec, "blended", draw(collapsed(st.sampled_from(["true", "false", "1", "0"]))))
        for _ in range(draw(st.integers(0, 3))):
            child(spec, "eqf-level", draw(collapsed(st.sampled_from(["5", "6", "7", "8", "+7", "07"]))))
    elif draw(st.booleans()):
        child(spec, "total-days-per-year", draw(collapsed(decimals())))
    return spec


@st.composite
def partner(draw: st.DrawFn) -> etree._Element:
    element = etree.Element(tag("partner"))
    child(element, "hei-id", draw(free_text()))
    if draw(st.booleans()):
        child(element, "ounit-id", draw(ASCII_IDENTIFIERS))
    if draw(st.integers(0, 5)) > 0:
        child(element, "iia-id", draw(ASCII_IDENTIFIERS))
    if draw(st.booleans()):
        child(element, "iia-code", draw(free_text()))
    if draw(st.booleans()):
        element.append(draw(contact(tag("signing-contact"))))
    element.extend(draw(st.lists(contact(f"{{{CONTACT_NS}}}contact"), max_size=1)))
    return element


@st.composite
def agreement(draw: st.DrawFn) -> etree._Element:
    iia = etree.Element(tag("iia"))
    iia.extend([draw(partner()), draw(partner())])
    child(iia, "in-effect", draw(st.sampled_from(["true", "false"])))
    conditions = child(iia, "cooperation-conditions")
    if draw(st.integers(0, 5)) == 0:
        conditions.set("terminated-as-a-whole", draw(FLAG_VALUES))
    for mobility_type in MOBILITY_TYPES:
        conditions.extend(draw(st.lists(mobility(mobility_type), max_size=2)))
    child(iia, "iia-hash", "0" * 64)
    return iia


@st.composite
def valid_get_responses(draw: st.DrawFn) -> bytes:
    response = etree.Element(tag("iias-get-response"), nsmap=NAMESPACES)
    response.extend(draw(st.lists(agreement(), min_size=1, max_size=2)))
    return serialise(response)


# --- Documents beyond the schema ---------------------------------------------------------

ODD_NAMES = (
    "sending-hei-id",
    "sending-contact",
    "receiving-contact",
    "receiving-first-academic-year-id",
    "receiving-last-academic-year-id",
    "isced-f-code",
    "subject-area",
    "recommended-language-skill",
    "cooperation-conditions",
    "iia",
    "x",
)
ODD_ATTRIBUTES = (
    ("not-yet-defined", FLAG_VALUES),
    (f"{{{OTHER_NS}}}not-yet-defined", FLAG_VALUES),
    ("v6-value", st.sampled_from(["", "12", " ", "031"])),
    (f"{{{OTHER_NS}}}v6-value", st.just("7")),
    ("terminated-as-a-whole", FLAG_VALUES),
    (XML_LANG, st.just("en")),
    ("code", st.text(XML_CHARACTERS, max_size=5)),
)


@st.composite
def odd_tag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(ODD_NAMES))
    namespace = draw(st.sampled_from([IIAS_V7_NAMESPACE, IIAS_V7_NAMESPACE, OTHER_NS, None]))
    return name if namespace is None else f"{{{namespace}}}{name}"


@st.composite
def odd_attributes(draw: st.DrawFn, element: etree._Element) -> None:
    for name, values in draw(st.lists(st.sampled_from(ODD_ATTRIBUTES), max_size=2, unique_by=lambda a: a[0])):
        element.set(name, draw(values))


@st.composite
def odd_content(draw: st.DrawFn, element: etree._Element, depth: int) -> None:
    """Text with blanks, CDATA, comments and processing instructions, or child elements, or both."""
    if draw(st.booleans()):
        element.text = draw(free_text()) if draw(st.integers(0, 5)) else etree.CDATA("a<b>&c")
    if draw(st.integers(0, 5)) == 0:
        remark = etree.Comment("note") if draw(st.booleans()) else etree.ProcessingInstruction("pi", "x")
        remark.tail = draw(free_text())
        element.append(remark)
    if depth < 3:
        for _ in range(draw(st.integers(0, 3 - depth))):
            element.append(draw(odd_element(depth + 1)))


@st.composite
def odd_element(draw: st.DrawFn, depth: int) -> etree._Element:
    element = etree.Element(draw(odd_tag()))
    draw(odd_attributes(element))
    draw(odd_content(element, depth))
    if depth > 1 and draw(st.booleans()):
        element.tail = draw(free_text())
    return element


@st.composite
def odd_agreement(draw: st.DrawFn) -> etree._Element:
    iia = etree.Element(draw(st.sampled_from([tag("iia"), "iia", f"{{{OTHER_NS}}}iia"])))
    for _ in range(draw(st.integers(0, 4))):  # multilateral as in IIAs v6, or no partner at all
        element = etree.SubElement(iia, tag("partner"))
        if draw(st.integers(0, 4)):
            etree.SubElement(element, draw(st.sampled_from([tag("iia-id"), "iia-id"]))).text = draw(
                free_text()
            )
    for _ in range(draw(st.integers(1, 2))):
        conditions = etree.SubElement(
            iia, draw(st.sampled_from([tag("cooperation-conditions"), "cooperation-conditions"]))
        )
        draw(odd_attributes(conditions))
        conditions.extend(draw(st.lists(odd_element(1), max_size=4)))
    return iia


@st.composite
def odd_documents(draw: st.DrawFn) -> bytes:
    root = etree.Element(draw(st.sampled_from([tag("iias-get-response"), "response"])), nsmap={"o": OTHER_NS})
    root.extend(draw(st.lists(odd_agreement(), min_size=1, max_size=3)))
    return serialise(root)
