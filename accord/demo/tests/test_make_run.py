"""``PORT=8101 make run`` serves the demo on 8101 and e-mails links to 8101: the Makefile derives
``ACCORD_BASE_URL`` from ``PORT`` for the demo and the server, unless the operator set it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def needs_make():
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")


def base_url_seen_by_the_demo(tmp_path: Path, *, port: str, base_url: str | None = None) -> str:
    # A stand-in for the virtualenv's python, which prints the base URL the seed would read.
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "$ACCORD_BASE_URL"\n')
    fake.chmod(0o755)
    environment = {key: value for key, value in os.environ.items() if key != "ACCORD_BASE_URL"}
    if base_url is not None:
        environment["ACCORD_BASE_URL"] = base_url
    done = subprocess.run(
        ["make", "-s", "demo", "-o", "migrate", f"BIN={tmp_path}", f"PORT={port}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_port_names_the_base_url_of_e_mailed_links(tmp_path):
    assert base_url_seen_by_the_demo(tmp_path, port="8101") == "http://127.0.0.1:8101"


def test_a_base_url_set_by_the_operator_wins(tmp_path):
    seen = base_url_seen_by_the_demo(tmp_path, port="8101", base_url="https://accord.example.edu")
    assert seen == "https://accord.example.edu"
