"""ewp_import_iias refuses what it must not read: schema-invalid files (with the validator's message)
when the official schemas are configured, oversized files always, and XML that could attack the parser
(DTDs and entities, excessive depth). Nothing is saved when a file is refused."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from accord.agreements.models import Agreement
from accord.algorithms.tests.ewp.shared import IIAS_GET_RESPONSE_EXAMPLE, require_ewp_shared
from accord.core.errors import ValidationFailed
from accord.ewp.node.iia_content import import_iias
from accord.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def run_import(path: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("ewp_import_iias", str(path), "--as", "hibo.no", "--create", *extra, stdout=out)
    return out.getvalue()


def nothing_saved() -> bool:
    return not Agreement.objects.exists() and not Organisation.objects.exists()


@pytest.fixture
def invalid_example(tmp_path) -> Path:
    """The official example with an element the schema does not allow inside the first agreement."""
    root = etree.parse(str(require_ewp_shared() / IIAS_GET_RESPONSE_EXAMPLE)).getroot()
    iia = next(root.iter("{*}iia"))
    etree.SubElement(iia, f"{{{etree.QName(iia).namespace}}}surprise")
    path = tmp_path / "invalid.xml"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


def test_a_schema_invalid_file_is_refused_with_the_validators_message(invalid_example) -> None:
    with pytest.raises(CommandError) as refused:
        run_import(invalid_example, "--schemas", str(require_ewp_shared()))

    assert "Nothing was imported." in str(refused.value)
    assert "Not a valid IIAs v7 get-response" in str(refused.value)
    assert "surprise" in str(refused.value)
    assert nothing_saved()


def test_the_setting_configures_validation_too(invalid_example, settings) -> None:
    settings.ACCORD_EWP_SCHEMAS = str(require_ewp_shared())

    with pytest.raises(CommandError, match="Not a valid IIAs v7 get-response"):
        run_import(invalid_example)

    assert nothing_saved()


def test_the_official_example_validates_and_imports(settings) -> None:
    ewp_dir = require_ewp_shared()
    settings.ACCORD_EWP_SCHEMAS = str(ewp_dir)

    assert "1 created" in run_import(ewp_dir / IIAS_GET_RESPONSE_EXAMPLE)


def test_a_folder_without_the_schemas_is_refused(tmp_path) -> None:
    with pytest.raises(ValidationFailed) as refused:
        import_iias(b"<a/>", receiver_hei_id="hibo.no", create=True, schemas=tmp_path)

    assert "does not hold the EWP schemas" in refused.value.errors["schemas"][0]


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path, settings) -> None:
    settings.ACCORD_EWP_MAX_IMPORT_BYTES = 1000
    path = tmp_path / "big.xml"
    path.write_bytes(b"<a>" + b"x" * 5000 + b"</a>")

    with pytest.raises(CommandError, match="larger than the 1000 bytes accepted"):
        run_import(path)

    assert nothing_saved()


def test_the_size_limit_defaults_to_ten_megabytes(settings) -> None:
    assert settings.ACCORD_EWP_MAX_IMPORT_BYTES == 10 * 1024 * 1024
    with pytest.raises(ValidationFailed, match="larger than"):
        import_iias(b" " * (10 * 1024 * 1024 + 1), receiver_hei_id="hibo.no", create=True)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>', "DOCTYPE is refused"),
        (b"<a>" * 300 + b"</a>" * 300, "Excessive depth"),
        (b"<a><b></a>", "not a readable XML document"),
    ],
    ids=["entities", "depth", "malformed"],
)
def test_unsafe_or_malformed_xml_is_refused(tmp_path, document, message) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(document)

    with pytest.raises(CommandError, match=message):
        run_import(path)

    assert nothing_saved()
