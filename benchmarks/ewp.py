"""Benchmarks of Accord's Erasmus Without Paper (EWP) code.

    .venv/bin/python benchmarks/ewp.py [--count 10000] [--batch-size 10] [--seed 7]

IIA hash: generates realistic, varied IIAs v7 ``get`` responses, hashes every agreement natively
(``accord.algorithms.iia_hash``) and through the official ``transform_version_7.xsl`` in saxonche, checks
that both give the same ``text-to-hash``, ``valid-for-approval`` and hash, and prints the timings. Each
measurement is one function returning table rows, so that further tables can be added to ``main()``.
"""

import argparse
import random
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accord.algorithms.iia_hash import (
    IIAS_V7_NAMESPACE,
    IiaHash,
    hash_get_response,
    hash_iia,
    parse_untrusted_xml,
    sha256_hex,
)
from accord.algorithms.tests.ewp_shared import OfficialIiaHashStylesheet, StylesheetIia, ewp_shared_dir

CONTACT_NAMESPACE = "https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1"
NAMESPACES = {None: IIAS_V7_NAMESPACE, "c": CONTACT_NAMESPACE}

HEIS = (
    "uw.edu.pl", "hibo.no", "uni-heidelberg.de", "ulisboa.pt", "unibo.it", "uva.nl", "ku.dk", "helsinki.fi",
    "univie.ac.at", "muni.cz", "u-paris.fr", "ucm.es", "tcd.ie", "elte.hu", "uni-lj.si", "ut.ee",
)  # fmt: skip
LANGUAGES = ("en", "de", "fr", "es", "it", "pl", "pt", "nl", "sv", "no", "cs", "hu")
CEFR_LEVELS = ("B1", "B2", "C1", "C2", "A2")
ISCED_CODES = ("0111", "0114", "0211", "0232", "0311", "0314", "0413", "0421", "0531", "0541", "0613", "0715",
               "0731", "0912", "0913", "1015")  # fmt: skip
CLARIFICATIONS = (
    "", "Social and behavioural sciences", "Études européennes et relations internationales",
    "Informatyka stosowana – studia II stopnia", "Wirtschaftsinformatik (Schwerpunkt Datenbanken)",
    "Ingeniería de telecomunicación", "Økonomi og ledelse", "Jogász osztatlan képzés",
)  # fmt: skip
OTHER_TERMS = (
    "Nominations by 15 May (winter) and 15 November (summer).",
    "Students must hold valid health insurance; the host helps with housing.",
    "Zniżki na akademiki dla studentów z wymiany.",
)
PERSON_NAMES = ("Anna Kowalska", "Jørgen Dahl", "Sofía Martínez", "Jean-Luc Moreau", "Eva Nováková")

MOBILITY_COUNTS = {
    "student-studies-mobility-spec": (1, 1, 1, 2),
    "student-traineeship-mobility-spec": (0, 0, 0, 1),
    "staff-teacher-mobility-spec": (0, 1, 1, 1),
    "staff-training-mobility-spec": (0, 0, 1, 1),
}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a results table."""

    method: str
    agreements: int
    seconds: float
    identical: str
    speed_up: float


# --- Realistic agreements ----------------------------------------------------------------------------


def generate_agreements(count: int, rng: random.Random) -> list[etree._Element]:
    """``count`` IIAs v7 ``iia`` elements as a production server would serve them, each with its hash."""
    agreements = []
    for _ in range(count):
        iia = build_agreement(rng)
        etree.SubElement(iia, _tag("iia-hash")).text = hash_iia(iia).hash
        agreements.append(iia)
    return agreements


def build_agreement(rng: random.Random) -> etree._Element:
    """One bilateral agreement: both partners, their mobility specifications in both directions."""
    local, remote = rng.sample(HEIS, 2)
    migrated_from_v6 = rng.random() < 0.04
    iia = etree.Element(_tag("iia"), nsmap=NAMESPACES)
    for hei, known in ((local, True), (remote, rng.random() < 0.9)):
        iia.append(_partner(rng, hei, with_iia_id=known))
    etree.SubElement(iia, _tag("in-effect")).text = rng.choice(("true", "false"))
    conditions = etree.SubElement(iia, _tag("cooperation-conditions"))
    if rng.random() < 0.01:
        conditions.set("terminated-as-a-whole", "true")
    for mobility_type in MOBILITY_COUNTS:
        for sending, receiving in ((local, remote), (remote, local)):
            for _ in range(_mobility_count(rng, mobility_type)):
                conditions.append(_mobility(rng, mobility_type, sending, receiving, migrated_from_v6))
    return iia


def _mobility_count(rng: random.Random, mobility_type: str) -> int:
    """How many specifications of a type one direction has: studies nearly always, traineeships rarely."""
    return rng.choice(MOBILITY_COUNTS[mobility_type])


def _partner(rng: random.Random, hei: str, *, with_iia_id: bool) -> etree._Element:
    partner = etree.Element(_tag("partner"))
    etree.SubElement(partner, _tag("hei-id")).text = hei
    if rng.random() < 0.3:
        etree.SubElement(partner, _tag("ounit-id")).text = str(rng.randint(1, 999))
    if with_iia_id:
        etree.SubElement(partner, _tag("iia-id")).text = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        etree.SubElement(
            partner, _tag("iia-code")
        ).text = f"{rng.randint(2014, 2027)}/E+/{rng.randint(1, 9999)}"
    if rng.random() < 0.7:
        partner.append(_contact(rng, _tag("signing-contact")))
        etree.SubElement(
            partner, _tag("signing-date")
        ).text = f"{rng.randint(2019, 2025)}-0{rng.randint(1, 9)}-15"
    return partner


def _contact(rng: random.Random, tag: str) -> etree._Element:
    contact = etree.Element(tag)
    name = etree.SubElement(contact, f"{{{CONTACT_NAMESPACE}}}contact-name")
    name.text = rng.choice(PERSON_NAMES)
    name.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    etree.SubElement(
        contact, f"{{{CONTACT_NAMESPACE}}}email"
    ).text = f"erasmus{rng.randint(1, 99)}@example.org"
    return contact


def _mobility(
    rng: random.Random, mobility_type: str, sending: str, receiving: str, migrated_from_v6: bool
) -> etree._Element:
    mobility = etree.Element(_tag(mobility_type))
    etree.SubElement(mobility, _tag("sending-hei-id")).text = sending
    if rng.random() < 0.4:
        etree.SubElement(mobility, _tag("sending-ounit-id")).text = str(rng.randint(1, 999))
    if rng.random() < 0.25:
        mobility.append(_contact(rng, _tag("sending-contact")))
    etree.SubElement(mobility, _tag("receiving-hei-id")).text = receiving
    if rng.random() < 0.25:
        mobility.append(_contact(rng, _tag("receiving-contact")))
    first_year = rng.randint(2021, 2027)
    etree.SubElement(
        mobility, _tag("receiving-first-academic-year-id")
    ).text = f"{first_year}/{first_year + 1}"
    last_year = first_year + rng.randint(0, 6)
    etree.SubElement(mobility, _tag("receiving-last-academic-year-id")).text = f"{last_year}/{last_year + 1}"
    places = etree.SubElement(mobility, _tag("mobilities-per-year"))
    places.text = str(rng.randint(1, 10))
    if migrated_from_v6 and rng.random() < 0.5:
        places.set("not-yet-defined", "true")
    for _ in range(rng.choice((1, 1, 2, 3))):
        mobility.append(_language_skill(rng))
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        mobility.append(_subject_area(rng, migrated_from_v6))
    if rng.random() < 0.2:
        etree.SubElement(mobility, _tag("other-info-terms")).text = rng.choice(OTHER_TERMS)
    if mobility_type.startswith("student"):
        etree.SubElement(mobility, _tag("total-months-per-year")).text = rng.choice(("5", "10", "4.5", "9"))
        etree.SubElement(mobility, _tag("blended")).text = rng.choice(("false", "false", "true"))
        for level in sorted(rng.sample((6, 7, 8), rng.randint(0, 3))):
            etree.SubElement(mobility, _tag("eqf-level")).text = str(level)
    else:
        etree.SubElement(mobility, _tag("total-days-per-year")).text = str(rng.randint(5, 14))
    return mobility


def _language_skill(rng: random.Random) -> etree._Element:
    skill = etree.Element(_tag("recommended-language-skill"))
    etree.SubElement(skill, _tag("language")).text = rng.choice(LANGUAGES)
    etree.SubElement(skill, _tag("cefr-level")).text = rng.choice(CEFR_LEVELS)
    if rng.random() < 0.2:
        skill.append(_subject_area(rng, migrated_from_v6=False))
    return skill


def _subject_area(rng: random.Random, migrated_from_v6: bool) -> etree._Element:
    area = etree.Element(_tag("subject-area"))
    code = etree.SubElement(area, _tag("isced-f-code"))
    code.text = rng.choice(ISCED_CODES)
    if migrated_from_v6:
        code.set("v6-value", code.text[:3])
    clarification = rng.choice(CLARIFICATIONS)
    if clarification:
        etree.SubElement(area, _tag("isced-clarification")).text = clarification
    return area


def get_responses(agreements: Sequence[etree._Element], batch_size: int) -> list[bytes]:
    """The agreements served ``batch_size`` at a time, pretty-printed as most EWP hosts serve them."""
    documents = []
    for start in range(0, len(agreements), batch_size):
        response = etree.Element(_tag("iias-get-response"), nsmap=NAMESPACES)
        response.extend(agreements[start : start + batch_size])
        documents.append(etree.tostring(response, encoding="UTF-8", xml_declaration=True, pretty_print=True))
    return documents


def _add(parent: etree._Element, name: str, text: str) -> etree._Element:
    child = etree.SubElement(parent, _tag(name))
    child.text = text
    return child


def _tag(name: str) -> str:
    return f"{{{IIAS_V7_NAMESPACE}}}{name}"


# --- Measurements -------------------------------------------------------------------------------------

Found = TypeVar("Found")
REFERENCE = "reference"
ROUND_SIZE = 50  # responses hashed by one method before the next method takes its turn


def measure_iia_hash(documents: Sequence[bytes], stylesheet: OfficialIiaHashStylesheet) -> list[Row]:
    """Hash every agreement through the official stylesheet and natively, from the raw responses.

    A third row hashes trees that are already parsed (as when Accord hashes agreements it builds
    itself), to show how much of the native time is lxml's parsing. The methods take turns, one round
    of responses each, so that changes of load on the machine weigh on all of them alike while each
    still runs long enough to keep its own data in the processor caches.
    """
    reference: Stopwatch[tuple[StylesheetIia, str]] = Stopwatch()
    native: Stopwatch[IiaHash] = Stopwatch()
    prebuilt: Stopwatch[IiaHash] = Stopwatch()
    for start in range(0, len(documents), ROUND_SIZE):
        round_documents = documents[start : start + ROUND_SIZE]
        trees = [parse_untrusted_xml(document) for document in round_documents]
        native.run(_native_results, round_documents)
        prebuilt.run(_native_results, trees)
        reference.run(_stylesheet_results, round_documents, stylesheet)
    return [
        Row("saxonche + transform_version_7.xsl", len(reference.results), reference.seconds, REFERENCE, 1.0),
        _native_row("accord.algorithms.iia_hash", native, reference),
        _native_row("accord.algorithms.iia_hash, trees already parsed", prebuilt, reference),
    ]


class Stopwatch(Generic[Found]):
    """Results and total time of one method, measured call by call."""

    def __init__(self) -> None:
        self.results: list[Found] = []
        self.seconds = 0.0

    def run(self, work: Callable[..., list[Found]], *arguments: object) -> None:
        """Call ``work`` with ``arguments`` and add its results and its duration."""
        started = time.perf_counter()
        found = work(*arguments)
        self.seconds += time.perf_counter() - started
        self.results.extend(found)


def _native_results(documents: Sequence[bytes | etree._Element]) -> list[IiaHash]:
    return [found for document in documents for found in hash_get_response(document)]


def _stylesheet_results(
    documents: Sequence[bytes], stylesheet: OfficialIiaHashStylesheet
) -> list[tuple[StylesheetIia, str]]:
    return [
        (found, sha256_hex(found.text_to_hash))
        for document in documents
        for found in stylesheet.transform(document)
    ]


def _native_row(
    method: str, native: Stopwatch[IiaHash], reference: Stopwatch[tuple[StylesheetIia, str]]
) -> Row:
    pairs = zip(native.results, reference.results, strict=True)
    same = sum(_same_result(mine, *theirs) for mine, theirs in pairs)
    identical = f"{same}/{len(reference.results)}"
    return Row(method, len(native.results), native.seconds, identical, reference.seconds / native.seconds)


def _same_result(native: IiaHash, reference: StylesheetIia, reference_hash: str) -> bool:
    return (native.iia_id, native.text_to_hash, native.valid_for_approval, native.hash) == (
        reference.iia_id,
        reference.text_to_hash,
        reference.valid_for_approval,
        reference_hash,
    )


# --- Output -------------------------------------------------------------------------------------------


def print_table(title: str, rows: Sequence[Row]) -> None:
    """Print rows as a Markdown table under a title."""
    header = ("method", "agreements", "seconds", "per agreement", "speed-up", "identical")
    lines = [
        (
            row.method,
            f"{row.agreements:,}",
            f"{row.seconds:.2f}",
            _duration(row.seconds / row.agreements),
            f"{row.speed_up:.1f}×",
            row.identical,
        )
        for row in rows
    ]
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines, strict=True)]
    print(f"\n{title}\n")
    for cells in (header, tuple("-" * width for width in widths), *lines):
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |")


def _duration(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print one table each."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000, help="agreements to generate (default 10000)")
    parser.add_argument("--batch-size", type=int, default=10, help="agreements per get response (default 10)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated agreements")
    arguments = parser.parse_args(argv)

    ewp_dir = ewp_shared_dir()
    if ewp_dir is None:
        print("The official EWP files are missing: set ACCORD_EWP_SHARED to their folder.", file=sys.stderr)
        return 2
    # Only the serialised responses are kept: with the 10,000 generated trees still alive, lxml parsing
    # in this process was measured about three times slower, which would skew the native timings.
    documents = get_responses(
        generate_agreements(arguments.count, random.Random(arguments.seed)), arguments.batch_size
    )
    rows = measure_iia_hash(documents, OfficialIiaHashStylesheet(ewp_dir))
    print_table(
        f"IIA hash (v7): {arguments.count:,} agreements, get responses of {arguments.batch_size}", rows
    )
    return 0 if all(_identical(row) for row in rows) else 1


def _identical(row: Row) -> bool:
    return row.identical in (REFERENCE, f"{row.agreements}/{row.agreements}")


if __name__ == "__main__":
    sys.exit(main())
