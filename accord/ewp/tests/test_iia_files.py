"""ewp_export_iias and ewp_import_iias: the official example imports, round-trips exactly, maps on a
second import, reports differences, and bad files change nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from accord.accounts.choices import Role
from accord.agreements import services
from accord.agreements.models import Agreement, PartnerCopy
from accord.algorithms.agreements.content import conditions_hash, parse_content
from accord.algorithms.ewp.iia_xml import content_from_iia
from accord.algorithms.tests.ewp.shared import (
    IIAS_GET_RESPONSE_EXAMPLE,
    IIAS_GET_RESPONSE_XSD,
    load_schema,
    require_ewp_shared,
)
from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.ewp.models import ServedInstitution
from accord.organisations.models import Organisation
from accord.testing.factories import agreement_document, make_partnership, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ewp_dir() -> Path:
    return require_ewp_shared()


@pytest.fixture(scope="module")
def schema(ewp_dir):
    return load_schema(ewp_dir, IIAS_GET_RESPONSE_XSD)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def iias(document: bytes) -> list[etree._Element]:
    return list(parse_untrusted_xml(document).iter("{*}iia"))


def hei_conditions_hash(iia: etree._Element) -> str:
    """The conditions hash of an iia with partners named by hei-id, as both sides can compute it."""
    return conditions_hash(parse_content(content_from_iia(iia).document))


def test_official_example_imports_and_exports_with_the_same_conditions(ewp_dir, schema, tmp_path):
    example = ewp_dir / IIAS_GET_RESPONSE_EXAMPLE
    output = run("ewp_import_iias", str(example), "--as", "hibo.no", "--create")
    assert "added to the directory: hibo.no" in output
    assert "added to the directory: uw.edu.pl" in output
    assert "1 created, 0 mapped, 0 different." in output
    agreement = Agreement.objects.get()
    assert agreement.owner.schac_code == "hibo.no"
    assert Organisation.objects.get(schac_code="uw.edu.pl").country_code == "PL"
    # The copy an import creates is a draft of ours: it leaves the node once hibo.no shares it.
    empty = tmp_path / "empty.xml"
    run("ewp_export_iias", "--hei", "hibo.no", "--output", str(empty))
    assert iias(empty.read_bytes()) == []
    coordinator = make_user("hibo-coordinator", organisation=agreement.owner, role=Role.COORDINATOR)
    services.agreement_share(actor=coordinator, agreement=agreement, version_number=1)

    exported_path = tmp_path / "out.xml"
    run("ewp_export_iias", "--hei", "hibo.no", "--output", str(exported_path))
    exported = exported_path.read_bytes()
    schema.validate(exported)
    (ours,) = iias(exported)
    (theirs,) = iias(example.read_bytes())
    assert hei_conditions_hash(ours) == hei_conditions_hash(theirs)
    partners = ours.findall("{*}partner")
    assert [p.findtext("{*}hei-id") for p in partners] == ["hibo.no", "uw.edu.pl"]
    # Our id is our agreement's; the partner's is theirs, as they sent it.
    assert [p.findtext("{*}iia-id") for p in partners] == [
        str(agreement.pk),
        "0f7a5682-faf7-49a7-9cc7-ec486c49a281",
    ]

    again = run("ewp_import_iias", str(example), "--as", "hibo.no")
    assert "0 created, 1 mapped, 0 different." in again
    assert Agreement.objects.count() == 1


def test_a_changed_partner_copy_is_reported_field_by_field(ewp_dir, tmp_path):
    example = (ewp_dir / IIAS_GET_RESPONSE_EXAMPLE).read_bytes()
    run("ewp_import_iias", str(ewp_dir / IIAS_GET_RESPONSE_EXAMPLE), "--as", "hibo.no", "--create")
    changed = tmp_path / "changed.xml"
    changed.write_bytes(
        example.replace(
            b"<total-months-per-year>5</total-months-per-year>",
            b"<total-months-per-year>6</total-months-per-year>",
            1,
        )
    )
    output = run("ewp_import_iias", str(changed), "--as", "hibo.no")
    assert "0 created, 1 mapped, 1 different." in output
    assert "total months per year: 5 → 6" in output
    assert PartnerCopy.objects.count() == 1


def test_bad_files_change_nothing(tmp_path, personas):
    hostile = tmp_path / "hostile.xml"
    hostile.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><iias-get-response/>')
    with pytest.raises(CommandError, match="Nothing was imported"):
        run("ewp_import_iias", str(hostile), "--as", "home.example.edu")
    with pytest.raises(CommandError, match="Cannot read"):
        run("ewp_import_iias", str(tmp_path / "missing.xml"), "--as", "home.example.edu")
    assert not Agreement.objects.exists()


def test_unknown_receiver_needs_create(ewp_dir):
    with pytest.raises(CommandError, match="--create"):
        run("ewp_import_iias", str(ewp_dir / IIAS_GET_RESPONSE_EXAMPLE), "--as", "hibo.no")
    assert not Organisation.objects.filter(schac_code="hibo.no").exists()


def test_accords_own_agreements_export_valid_and_round_trip(personas, schema, tmp_path):
    partnership = make_partnership(personas.home, personas.partner_org)
    faculty = make_unit(personas.home, name="Faculty of Informatics")
    document = agreement_document(personas.home, personas.partner_org, sending_unit_ref=str(faculty.pk))
    document["conditions"].append(
        {
            "key": "staff",
            "mobility_type": "staff_teaching",
            "sending_partner": 1,
            "receiving_partner": 0,
            "receiving_unit_ref": str(faculty.pk),
            "first_academic_year": "2026/2027",
            "last_academic_year": "2027/2028",
            "mobilities_per_year": 1,
            "total_days_per_year": "5",
            "language_skills": [{"language": "pl", "cefr_level": "B1"}],
        }
    )
    agreement = services.agreement_create(
        actor=personas.coordinator, partnership=partnership, title="Informatics", content=document
    )
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    output = tmp_path / "home.xml"
    run("ewp_export_iias", "--hei", "home.example.edu", "--output", str(output))
    schema.validate(output.read_bytes())
    (iia,) = iias(output.read_bytes())
    assert iia.findtext(
        "{*}cooperation-conditions/{*}student-studies-mobility-spec/{*}sending-ounit-id"
    ) == str(faculty.pk)
    assert iia.findtext("{*}in-effect") == "false"

    # The partner, served by the same node, imports our file: its copy has the same conditions.
    ServedInstitution.objects.create(organisation=personas.home)
    report = run("ewp_import_iias", str(output), "--as", "partner.example.edu")
    assert "1 created" in report
    theirs = Agreement.objects.get(owner=personas.partner_org)
    assert theirs.current_version.conditions_hash == agreement.current_version.conditions_hash
