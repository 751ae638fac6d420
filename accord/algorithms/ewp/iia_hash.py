"""The EWP IIAs API v7 ``iia-hash``, computed natively (pure: no Django import).

Partners approve an interinstitutional agreement by the SHA-256 of a ``text-to-hash`` string that the
official stylesheet ``transform_version_7.xsl`` (XSLT 2.0) derives from an IIAs ``get`` response. This
module rebuilds that string byte for byte in one walk over an lxml tree, so no XSLT 2.0 processor is
needed at run time. The rules, in the stylesheet's output order, for each ``iia`` element:

1. ``_@terminated-as-a-whole@_`` when *any* ``cooperation-conditions`` in the document carries
   ``terminated-as-a-whole`` equal to ``true`` or ``1``.
2. ``_iia-id_N=<value>_`` for every ``partner``, N being its position (empty value when absent).
3. For every child of ``cooperation-conditions`` (a mobility specification), every descendant element
   in document order, except descendants of ``sending-contact``/``receiving-contact``, the two
   ``receiving-*-academic-year-id`` elements themselves, and elements that are, or lie inside, an
   element flagged ``not-yet-defined="true"`` (or ``"1"``):

   * each attribute except ``not-yet-defined`` and ``v6-value`` as
     ``_@grandparent.parent.element.attribute=<value>@_``;
   * if the element has no element children, ``_grandparent.parent.element=<string value>_``, where an
     ``isced-f-code`` is replaced by its non-empty ``v6-value``.

   Then ``_receiving-first-academic-year-id=…_`` and ``_receiving-last-academic-year-id=…_``.
4. ``valid-for-approval`` is false when *any* element of the document has ``not-yet-defined`` equal to
   ``true``/``1`` or a non-empty ``v6-value``.

Everything else (partner HEIs and units, ``iia-code``, signing data, partner contacts, ``in-effect``,
``pdf-file``, the mobility elements' own attributes) is outside the hash. Names are local names
(namespaces are ignored everywhere) and values are raw XPath string values: nothing is trimmed or
normalised, so blanks and newlines around a value are hashed. Only the XML parser's own normalisation
applies (line ends become ``\n``, blank characters in attribute values become spaces), which lxml and
Saxon share.

Surprising behaviours of the stylesheet, kept on purpose because partners run the stylesheet itself:

* rules 1 and 4 read the whole response, so one agreement changes the others' text or approvability
  (:func:`hash_iia` is the per-agreement variant);
* flags are compared as strings: ``not-yet-defined=" true"`` is a valid xs:boolean but not a flag;
* a contact element's own attributes are hashed, and an empty ``<sending-contact/>`` is hashed as a
  leaf: only the contact's descendants are left out;
* the academic years are skipped by their own name only: they are appended even for a flagged
  mobility, and child elements under them would be hashed;
* any non-empty ``v6-value``, even blanks, replaces the ISCED code;
* a ``partner`` with two ``iia-id``, or a mobility with two first or last academic years, makes the
  stylesheet fail; :class:`IiaHashError` is raised instead of guessing.
"""

import hashlib
from dataclasses import dataclass
from typing import Final

from lxml import etree

from accord.algorithms.xml_safety import parse_untrusted_xml, refuse_doctype

__all__ = [
    "IIAS_V7_NAMESPACE",
    "IiaHash",
    "IiaHashError",
    "hash_get_response",
    "hash_iia",
    "sha256_hex",
]

IIAS_V7_NAMESPACE: Final = (
    "https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd"
)

_COOPERATION_CONDITIONS: Final = "cooperation-conditions"
_FIRST_YEAR: Final = "receiving-first-academic-year-id"
_LAST_YEAR: Final = "receiving-last-academic-year-id"

# Attribute names in no namespace: the stylesheet writes ``@not-yet-defined`` and ``@v6-value``, which
# match only unqualified attributes, so a namespaced ``x:not-yet-defined`` is an ordinary attribute.
_NOT_YET_DEFINED: Final = "not-yet-defined"
_V6_VALUE: Final = "v6-value"
_HIDDEN_ATTRIBUTES: Final = frozenset({_NOT_YET_DEFINED, _V6_VALUE})
# The stylesheet compares these untyped attributes as strings, so only these exact spellings count,
# although the schema's xs:boolean also accepts " true " (which the stylesheet does *not* see as set).
_FLAG_VALUES: Final = frozenset({"true", "1"})

# What the walk must do with an element, decided once per tag name rather than once per element.
_PLAIN: Final = 0
_CONTACT: Final = 1  # its descendants are left out, the element itself is not
_ACADEMIC_YEAR: Final = 2  # left out itself (appended after the mobility instead), its children are not
_ISCED: Final = 3  # a non-empty v6-value replaces the text

_KINDS: Final[dict[str, int]] = {
    "sending-contact": _CONTACT,
    "receiving-contact": _CONTACT,
    _FIRST_YEAR: _ACADEMIC_YEAR,
    _LAST_YEAR: _ACADEMIC_YEAR,
    "isced-f-code": _ISCED,
}
_IIAS_V7_ELEMENTS: Final = (
    "iia",
    "partner",
    "hei-id",
    "ounit-id",
    "iia-id",
    "iia-code",
    "signing-contact",
    "signing-date",
    "in-effect",
    "cooperation-conditions",
    "student-studies-mobility-spec",
    "student-traineeship-mobility-spec",
    "staff-teacher-mobility-spec",
    "staff-training-mobility-spec",
    "sending-hei-id",
    "sending-ounit-id",
    "sending-contact",
    "receiving-hei-id",
    "receiving-ounit-id",
    "receiving-contact",
    "receiving-first-academic-year-id",
    "receiving-last-academic-year-id",
    "mobilities-per-year",
    "recommended-language-skill",
    "language",
    "cefr-level",
    "subject-area",
    "isced-f-code",
    "isced-clarification",
    "other-info-terms",
    "total-months-per-year",
    "blended",
    "eqf-level",
    "total-days-per-year",
)
# Local name and kind of every IIAs v7 element, keyed by its Clark name ("{namespace}name"); other tags
# are added as they are met, up to a bound so that hostile documents cannot grow the table forever.
_TAG_INFO: Final[dict[str, tuple[str, int]]] = {
    f"{{{IIAS_V7_NAMESPACE}}}{name}": (name, _KINDS.get(name, _PLAIN)) for name in _IIAS_V7_ELEMENTS
}
_TAG_INFO_LIMIT: Final = 4096

# lxml tag filters matching a local name in any namespace (or none), like the XSL's
# ``*[local-name()='…']`` steps, evaluated in C.
_ANY_IIA: Final = "{*}iia"
_ANY_PARTNER: Final = "{*}partner"
_ANY_IIA_ID: Final = "{*}iia-id"
_ANY_COOPERATION_CONDITIONS: Final = "{*}" + _COOPERATION_CONDITIONS
_ANY_ACADEMIC_YEAR: Final = ("{*}" + _FIRST_YEAR, "{*}" + _LAST_YEAR)

# Every attribute that a document-wide rule of the stylesheet looks at, found by libxml2 in one pass
# (usually none). ``name()`` is the bare name only for attributes in no namespace, which is what the
# XSL's ``@not-yet-defined`` and ``@v6-value`` match; ``terminated-as-a-whole`` may be in any namespace.
_DOCUMENT_FLAG_ATTRIBUTES: Final = etree.XPath(
    "descendant-or-self::*/@*"
    "[name()='not-yet-defined' or name()='v6-value' or local-name()='terminated-as-a-whole']"
)


class IiaHashError(ValueError):
    """The agreement has a shape on which the official stylesheet itself stops with an error."""


@dataclass(frozen=True, slots=True)
class IiaHash:
    """What the official stylesheet reports for one ``iia``, plus the hash that partners compare."""

    iia_id: str
    text_to_hash: str
    valid_for_approval: bool
    hash: str


def sha256_hex(text: str) -> str:
    """Lower-case hexadecimal SHA-256 of the UTF-8 bytes of ``text`` (the ``iia-hash`` format)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_get_response(document: bytes | etree._Element | etree._ElementTree) -> list[IiaHash]:
    """Hash every ``iia`` of an IIAs v7 ``get`` response exactly as ``transform_version_7.xsl`` does.

    ``document`` is the raw response or an already parsed tree; results follow document order. Two
    stylesheet rules read the whole document rather than the agreement at hand (:func:`hash_iia` is the
    per-agreement variant): one ``terminated-as-a-whole`` agreement puts the terminated marker into the
    text of *every* agreement of the response, and one ``not-yet-defined`` or ``v6-value`` anywhere
    makes *every* agreement ``valid_for_approval=False``.
    """
    root = _document_element(document)
    flags = _document_flags(root)
    return [
        _hash_one(
            iia, flags, excluded_above=any(_hides_descendants(ancestor) for ancestor in iia.iterancestors())
        )
        for iia in root.iter(_ANY_IIA)
    ]


def hash_iia(iia: etree._Element) -> IiaHash:
    """Hash one ``iia`` element as the stylesheet does for a response that holds only this agreement.

    Nothing outside the element (other agreements, the response root) is read, so the result does not
    depend on which agreements share a response: it equals :func:`hash_get_response` of an
    ``iias-get-response`` containing just this ``iia``.
    """
    refuse_doctype(iia)
    return _hash_one(iia, _document_flags(iia), excluded_above=False)


def _document_element(document: bytes | etree._Element | etree._ElementTree) -> etree._Element:
    if isinstance(document, bytes):
        return parse_untrusted_xml(document)
    root = document.getroot() if isinstance(document, etree._ElementTree) else document
    if not isinstance(root, etree._Element):
        raise TypeError(f"expected bytes or an lxml element, got {type(document).__name__}")
    refuse_doctype(root)
    return root


@dataclass(frozen=True, slots=True)
class _DocumentFlags:
    """The two stylesheet rules that read the whole document instead of the agreement at hand."""

    terminated_as_a_whole: bool
    valid_for_approval: bool


def _document_flags(scope: etree._Element) -> _DocumentFlags:
    terminated = blocked = False
    for value in _DOCUMENT_FLAG_ATTRIBUTES(scope):
        name = value.attrname
        if name == _NOT_YET_DEFINED:
            blocked = blocked or value in _FLAG_VALUES
        elif name == _V6_VALUE:
            blocked = blocked or value != ""
        else:
            # ``//*[local-name()='cooperation-conditions']/@*[local-name()='terminated-as-a-whole']``:
            # any namespace qualifies, for the element and for the attribute.
            terminated = terminated or (
                value in _FLAG_VALUES and _local_name(value.getparent().tag) == _COOPERATION_CONDITIONS
            )
    return _DocumentFlags(terminated_as_a_whole=terminated, valid_for_approval=not blocked)


def _hash_one(iia: etree._Element, flags: _DocumentFlags, *, excluded_above: bool) -> IiaHash:
    """Hash one agreement; ``excluded_above`` says an ancestor hides all of its mobilities' content."""
    pieces: list[str] = ["_@terminated-as-a-whole@_"] if flags.terminated_as_a_whole else []
    first_partner_ids: list[str] | None = None
    for position, partner in enumerate(iia.iterchildren(_ANY_PARTNER), start=1):
        iia_ids = [_string_value(element) for element in partner.iterchildren(_ANY_IIA_ID)]
        if first_partner_ids is None:
            first_partner_ids = iia_ids
        pieces.append(f"_iia-id_{position}={_at_most_one(iia_ids, 'iia-id')}_")
    excluded_above = excluded_above or _is_flagged(iia)
    for conditions in iia.iterchildren(_ANY_COOPERATION_CONDITIONS):
        _dump_cooperation_conditions(conditions, excluded_above or _is_flagged(conditions), pieces)
    text = "".join(pieces)
    # The stylesheet's <iia-id> is xsl:value-of over the first partner's iia-id elements, which joins
    # several with a space (the text above has already failed in that case).
    iia_id = " ".join(first_partner_ids or ())
    return IiaHash(
        iia_id=iia_id, text_to_hash=text, valid_for_approval=flags.valid_for_approval, hash=sha256_hex(text)
    )


def _dump_cooperation_conditions(conditions: etree._Element, excluded_above: bool, pieces: list[str]) -> None:
    conditions_name = _local_name(conditions.tag)
    for mobility in conditions.iterchildren(etree.Element):
        mobility_name = _local_name(mobility.tag)
        years: list[tuple[str, etree._Element]] = []
        if excluded_above or _hides_descendants(mobility):
            # The academic years are still appended: the stylesheet adds them after, and outside, the
            # loop that leaves out flagged and contact content.
            years.extend((_local_name(year.tag), year) for year in mobility.iterchildren(*_ANY_ACADEMIC_YEAR))
        else:
            _dump_descendants(mobility, mobility_name, f"{conditions_name}.{mobility_name}.", pieces, years)
        first_years = [_string_value(year) for name, year in years if name == _FIRST_YEAR]
        last_years = [_string_value(year) for name, year in years if name == _LAST_YEAR]
        pieces.append(
            f"_{_FIRST_YEAR}={_at_most_one(first_years, _FIRST_YEAR)}_"
            f"_{_LAST_YEAR}={_at_most_one(last_years, _LAST_YEAR)}_"
        )


def _dump_descendants(
    parent: etree._Element,
    parent_name: str,
    path: str,
    pieces: list[str],
    years: list[tuple[str, etree._Element]] | None = None,
) -> bool:
    """Append the pieces of every descendant of ``parent`` in document order (the XSL's ``.//*``).

    ``path`` is ``"grandparent.parent."``, the prefix shared by the names of ``parent``'s children.
    ``years``, given for a mobility, collects its academic-year children on the way, flagged or not.
    Returns whether ``parent`` has element children at all, which tells the caller whether ``parent``
    is a leaf. This is the hot loop: the rare cases stay out of the path of a plain leaf.
    """
    has_element_children = False
    append = pieces.append
    for element in parent:
        tag = element.tag
        info = _TAG_INFO.get(tag)
        if info is None:
            if not isinstance(tag, str):  # a comment, processing instruction or entity of a caller's tree
                continue
            info = _tag_info(tag)
        has_element_children = True
        name, kind = info
        if kind == _ACADEMIC_YEAR and years is not None:
            years.append((name, element))
        attributes = element.items()
        if attributes and _dump_attributes_unless_flagged(attributes, name, kind, path, pieces):
            continue
        if len(element):
            if kind == _CONTACT:
                if _has_element_children(element):
                    continue
            elif _dump_descendants(element, name, f"{parent_name}.{name}.", pieces):
                continue
            value = "".join(element.itertext())
        else:
            value = element.text or ""
        if kind == _ACADEMIC_YEAR:
            continue
        if kind == _ISCED:
            # Any non-empty v6-value wins, even blanks: the stylesheet only tests its length.
            value = element.get(_V6_VALUE) or value
        append(f"_{path}{name}={value}_")
    return has_element_children


def _dump_attributes_unless_flagged(
    attributes: list[tuple[str, str]], name: str, kind: int, path: str, pieces: list[str]
) -> bool:
    """Append an element's attribute pieces; true when the element is flagged and must be left out."""
    if any(key == _NOT_YET_DEFINED and value in _FLAG_VALUES for key, value in attributes):
        return True
    if kind != _ACADEMIC_YEAR:
        # lxml and Saxon both keep attributes in source order, which is the order the stylesheet uses.
        for key, value in attributes:
            if key not in _HIDDEN_ATTRIBUTES:
                pieces.append(f"_@{path}{name}.{key.rpartition('}')[2]}={value}@_")
    return False


def _tag_info(tag: str) -> tuple[str, int]:
    name = tag.rpartition("}")[2]
    info = (name, _KINDS.get(name, _PLAIN))
    if len(_TAG_INFO) < _TAG_INFO_LIMIT:
        _TAG_INFO[tag] = info
    return info


def _known_tag_info(tag: str) -> tuple[str, int]:
    info = _TAG_INFO.get(tag)
    return info if info is not None else _tag_info(tag)


def _local_name(tag: str) -> str:
    return _known_tag_info(tag)[0]


def _string_value(element: etree._Element) -> str:
    """XPath string value: all descendant text, without comments or processing instructions."""
    if len(element) == 0:
        return element.text or ""
    return "".join(element.itertext())


def _has_element_children(element: etree._Element) -> bool:
    """The XSL's ``count(*) > 0``, which, unlike ``len()``, ignores comments and processing instructions."""
    return next(element.iterchildren(etree.Element), None) is not None


def _at_most_one(values: list[str], name: str) -> str:
    if len(values) > 1:
        raise IiaHashError(f"more than one <{name}> where the official stylesheet accepts at most one")
    return values[0] if values else ""


def _is_flagged(element: etree._Element) -> bool:
    return element.get(_NOT_YET_DEFINED) in _FLAG_VALUES


def _hides_descendants(element: etree._Element) -> bool:
    """Whether, as an ancestor, ``element`` removes every element below it from the text.

    The stylesheet tests ``ancestor-or-self`` for the flag and ``ancestor`` for the contact names, up
    to the document root: a mobility named like a contact, or an ``iia`` inside such an element, has
    its whole content left out, exactly like a flagged one.
    """
    return _is_flagged(element) or _known_tag_info(element.tag)[1] == _CONTACT
