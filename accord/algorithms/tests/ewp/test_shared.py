"""The helpers that find the EWP specifications folder and load its schemas offline."""

from pathlib import Path

import pytest

from accord.algorithms.tests.ewp.shared import ENV_VAR, ewp_shared_dir, offline_uri_mapper, require_ewp_shared

REPOSITORY_ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="module")
def ewp_dir() -> Path:
    return require_ewp_shared()


def test_the_shared_folder_is_found_through_the_environment_variable(
    ewp_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    assert ewp_shared_dir() is None
    monkeypatch.setenv(ENV_VAR, str(ewp_dir))
    assert ewp_shared_dir() == ewp_dir
    monkeypatch.delenv(ENV_VAR)
    default = (REPOSITORY_ROOT / ".." / "shared" / "ewp").resolve()
    assert ewp_shared_dir() == (default if default.is_dir() else None)


def test_the_uri_mapper_serves_schema_imports_from_the_shared_folder(ewp_dir: Path) -> None:
    to_local = offline_uri_mapper(ewp_dir)
    common_types = "https://raw.githubusercontent.com/erasmus-without-paper/ewp-specs-architecture/stable-v1/common-types.xsd"
    assert to_local(common_types) == (ewp_dir / "ewp-specs-architecture" / "common-types.xsd").as_uri()
    assert to_local("http://www.w3.org/2001/xml.xsd") == "http://www.w3.org/2001/xml.xsd"
