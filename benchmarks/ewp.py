"""Benchmarks of Accord's Erasmus Without Paper (EWP) code.

    .venv/bin/python benchmarks/ewp.py [--count 10000] [--batch-size 10] [--seed 7]

IIA hash: generates realistic, varied IIAs v7 ``get`` responses, hashes every agreement natively
(``accord.algorithms.ewp.iia_hash``) and through the official ``transform_version_7.xsl`` in saxonche, checks
that both give the same ``text-to-hash``, ``valid-for-approval`` and hash, and prints the timings. A last
row times lxml's parsing of the same responses alone: no hash read from raw bytes through lxml can be
faster, so it bounds the speed-up any such implementation could reach. Each measurement is one function
returning table rows, so that further tables can be added to ``main()``.

IIAs get: builds a throw-away Accord database (SQLite in a temporary folder, or ``DATABASE_URL`` when
set, e.g. PostgreSQL) with ``--served`` shared agreements and times signed ``POST /ewp/iias/get``
requests for all of them through Django's full request stack (signature check, queries, XML, hash).
The baseline serves the same response with its hashes computed by the official stylesheet in
saxonche instead, as a node that runs the XSLT at serving time would: its time is Accord's request
time, less the native hashing of those agreements from their parsed ``iia`` elements, plus the
stylesheet's hashing of the response. Accord hashes while it writes the XML, which costs less than
that tree walk, so the baseline is credited with more than Accord spends on hashing: if anything, the
speed-up is understated. A second table shows the hashing of the served agreements alone: the
stylesheet over the served response, the native hash of its parsed elements, and Accord writing the
elements from the stored versions as it does when serving: XML and hashes, no database access, so
more work than hashing alone.
"""

import argparse
import os
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

from accord.algorithms.ewp.iia_hash import IIAS_V7_NAMESPACE, IiaHash, hash_get_response, hash_iia, sha256_hex
from accord.algorithms.tests.ewp.shared import OfficialIiaHashStylesheet, StylesheetIia, ewp_shared_dir
from accord.algorithms.xml_safety import parse_untrusted_xml

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
NOT_A_HASH = "no hash"
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
    parsing: Stopwatch[etree._Element] = Stopwatch()
    for start in range(0, len(documents), ROUND_SIZE):
        round_documents = documents[start : start + ROUND_SIZE]
        trees = [parse_untrusted_xml(document) for document in round_documents]
        native.run(_native_results, round_documents)
        prebuilt.run(_native_results, trees)
        parsing.run(_parsed_agreements, round_documents)
        reference.run(_stylesheet_results, round_documents, stylesheet)
    return [
        Row("saxonche + transform_version_7.xsl", len(reference.results), reference.seconds, REFERENCE, 1.0),
        _native_row("accord.algorithms.ewp.iia_hash", native, reference),
        _native_row("accord.algorithms.ewp.iia_hash, trees already parsed", prebuilt, reference),
        # What any hash of the raw responses through lxml costs before it reads a single element.
        Row(
            "lxml parsing alone (no hash: a lower bound)",
            len(parsing.results),
            parsing.seconds,
            NOT_A_HASH,
            reference.seconds / parsing.seconds,
        ),
    ]


def _parsed_agreements(documents: Sequence[bytes]) -> list[etree._Element]:
    return [
        iia
        for document in documents
        for iia in parse_untrusted_xml(document).iter(f"{{{IIAS_V7_NAMESPACE}}}iia")
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


# --- Serving an IIAs get -------------------------------------------------------------------------------


def measure_iias_get(served: int, repeats: int, stylesheet: OfficialIiaHashStylesheet) -> list[Row]:
    """Time signed ``POST /ewp/iias/get`` requests for ``served`` agreements (see the module help)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="accord-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ["ACCORD_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, skip_checks=True)
    partner_key, ids = _serving_fixture(folder, served)
    client = Client()
    body = "&".join(f"iia_id={iia_id}" for iia_id in ids).encode()
    from accord.algorithms.ewp.http_signature import sign_request

    def request() -> bytes:
        headers = sign_request(
            method="POST",
            path_and_query="/ewp/iias/get",
            host="testserver",
            body=body,
            private_key=partner_key,
        )
        response = client.post(
            "/ewp/iias/get", body, content_type="application/x-www-form-urlencoded", headers=headers
        )
        assert response.status_code == 200, response.content[:500]
        return response.content

    from accord.ewp.serve.iias import served_iias, written_iias

    served = served_iias(partner_hei_ids=["partner.example.es"], iia_ids=ids)
    request()  # warm up: first queries, imports, caches
    accord = Stopwatch[bytes]()
    native = Stopwatch[IiaHash]()
    reference = Stopwatch[tuple[StylesheetIia, str]]()
    writing = Stopwatch[IiaHash]()
    for _ in range(repeats):
        accord.run(lambda: [request()])
        document = accord.results[-1]
        iias = list(parse_untrusted_xml(document).iter(_tag("iia")))
        native.run(lambda iias=iias: [hash_iia(iia) for iia in iias])
        reference.run(_stylesheet_results, [document], stylesheet)
        writing.run(lambda: [written.hash for written in written_iias(served)])
    served_hashes = [
        iia.findtext(_tag("iia-hash")) for iia in parse_untrusted_xml(accord.results[-1]).iter(_tag("iia"))
    ]
    same = sum(
        found_hash == served_hash
        for (_, found_hash), served_hash in zip(
            reference.results[-len(served_hashes) :], served_hashes, strict=True
        )
    )
    baseline_seconds = accord.seconds - native.seconds + reference.seconds
    requests_made = repeats
    requests = [
        Row("hashes by saxonche + transform_version_7.xsl", requests_made, baseline_seconds, REFERENCE, 1.0),
        Row(
            "Accord /ewp/iias/get",
            requests_made,
            accord.seconds,
            f"{same}/{len(served_hashes)}",
            baseline_seconds / accord.seconds,
        ),
    ]
    hashes = [
        Row("saxonche + transform_version_7.xsl", len(reference.results), reference.seconds, REFERENCE, 1.0),
        _native_row("accord.algorithms.ewp.iia_hash.hash_iia, parsed elements", native, reference),
        _native_row("accord.ewp.serve.iias.written_iias: XML and hash", writing, reference),
    ]
    return requests, hashes


def _serving_fixture(folder: Path, served: int):
    """A served institution with ``served`` shared agreements with one partner, whose key the registry
    catalogue (a file in ``folder``) lists; returns that key and the agreements' ids."""
    from django.conf import settings

    from accord.accounts.choices import Role
    from accord.agreements import services
    from accord.algorithms.ewp.http_signature import generate_private_key, key_id, public_key_base64
    from accord.ewp.models import ServedInstitution
    from accord.testing.factories import agreement_document, make_organisation, make_partnership, make_user

    home = make_organisation(name="Home University", schac_code="home.example.pl", country_code="PL")
    partner = make_organisation(name="Partner University", schac_code="partner.example.es", country_code="ES")
    ServedInstitution.objects.create(organisation=home)
    coordinator = make_user("coordinator", organisation=home, role=Role.COORDINATOR)
    partnership = make_partnership(home, partner)
    ids = []
    rng = random.Random(11)
    for number in range(served):
        document = agreement_document(home, partner, mobilities_per_year=rng.randint(1, 9))
        document["conditions"].append(
            {
                **document["conditions"][0],
                "key": "back",
                "sending_partner": 1,
                "receiving_partner": 0,
                "subject_areas": [{"isced_code": rng.choice(ISCED_CODES)}],
            }
        )
        agreement = services.agreement_create(
            actor=coordinator, partnership=partnership, title=f"Agreement {number}", content=document
        )
        services.agreement_share(actor=coordinator, agreement=agreement, version_number=1)
        ids.append(str(agreement.pk))
    # Listed in the registry only now, so that sharing the agreements above owed it no notifications.
    partner_key = generate_private_key()
    fingerprint = key_id(partner_key.public_key())
    registry = "https://github.com/erasmus-without-paper/ewp-specs-api-registry/tree/stable-v1"
    catalogue = folder / "catalogue.xml"
    catalogue.write_text(
        f'<catalogue xmlns="{registry}"><host><institutions-covered><hei-id>partner.example.es</hei-id>'
        f'</institutions-covered><client-credentials-in-use><rsa-public-key sha-256="{fingerprint}"/>'
        f'</client-credentials-in-use></host><binaries><rsa-public-key sha-256="{fingerprint}">'
        f"{public_key_base64(partner_key.public_key())}</rsa-public-key></binaries></catalogue>"
    )
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = str(catalogue)
    settings.ACCORD_EWP_PRIVATE_KEY = folder / "no-node-key.pem"
    return partner_key, ids


def print_request_table(title: str, rows: Sequence[Row], served: int) -> None:
    """Print rows of whole requests as a Markdown table under a title."""
    header = ("method", "requests", "agreements per request", "per request", "speed-up", "identical")
    lines = [
        (
            row.method,
            str(row.agreements),
            str(served),
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print one table each."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000, help="agreements to generate (default 10000)")
    parser.add_argument("--batch-size", type=int, default=10, help="agreements per get response (default 10)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated agreements")
    parser.add_argument(
        "--served", type=int, default=500, help="agreements per IIAs get request (default 500)"
    )
    parser.add_argument("--repeats", type=int, default=10, help="IIAs get requests timed (default 10)")
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
    stylesheet = OfficialIiaHashStylesheet(ewp_dir)
    rows = measure_iia_hash(documents, stylesheet)
    print_table(
        f"IIA hash (v7): {arguments.count:,} agreements, get responses of {arguments.batch_size}", rows
    )
    del documents
    serving, served_hashes = measure_iias_get(arguments.served, arguments.repeats, stylesheet)
    database = os.environ["DATABASE_URL"].split(":", 1)[0]
    print_request_table(
        f"Serving an IIAs get of {arguments.served} agreements ({database}, signed POST through Django)",
        serving,
        arguments.served,
    )
    print_table(
        f"IIA hash of the {arguments.served} served agreements, {arguments.repeats} times", served_hashes
    )
    identical = all(_identical(row) for row in (*rows, *served_hashes))
    return 0 if identical and _identical_hashes(serving) else 1


def _identical_hashes(rows: Sequence[Row]) -> bool:
    return all(
        row.identical == REFERENCE or row.identical.split("/")[0] == row.identical.split("/")[1]
        for row in rows
    )


def _identical(row: Row) -> bool:
    return row.identical in (REFERENCE, NOT_A_HASH, f"{row.agreements}/{row.agreements}")


if __name__ == "__main__":
    sys.exit(main())
