"""``manage.py allocate``: files and standard streams in, the result JSON out, status 2 for bad input."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.exchanges.management.commands.allocate import Command

REPOSITORY = Path(__file__).resolve().parents[3]

INSTANCE = {
    "places": [{"id": "P1", "capacity": 1, "name": "Granada"}, {"id": "P2", "capacity": 1}],
    "applicants": [
        {"id": "A1", "score": 8.42, "preferences": ["P1"]},
        {"id": "A2", "score": 8.1, "preferences": ["P1", "P2"]},
    ],
    "tie_break_seed": 7,
}


def _written(path: Path, instance: object) -> Path:
    path.write_text(instance if isinstance(instance, str) else json.dumps(instance), encoding="utf-8")
    return path


def _check_result(document: str) -> None:
    result = json.loads(document)
    assert result["assignments"] == {"A1": "P1", "A2": "P2"}
    assert result["cutoffs"] == {"P1": 8.42, "P2": 8.1}
    assert result["waitlists"] == {"P1": ["A2"], "P2": []}
    assert result["explanations"]["A2"] == (
        "Assigned to your 2nd choice P2. "
        "Your 1st choice Granada filled with applicants scoring 8.42 or more; your score there was 8.10."
    )
    assert result["stats"]["assigned"] == 2
    assert result["stats"]["unassigned"] == 0


def test_reads_a_file_and_writes_the_result_file(tmp_path: Path) -> None:
    output = tmp_path / "result.json"
    stdout = io.StringIO()

    call_command(
        "allocate", str(_written(tmp_path / "instance.json", INSTANCE)), output=str(output), stdout=stdout
    )

    _check_result(output.read_text(encoding="utf-8"))
    assert stdout.getvalue().startswith("Assigned 2 of 2 applicants in ")
    assert stdout.getvalue().rstrip().endswith(f"wrote {output}.")


def test_reads_standard_input_and_writes_standard_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(INSTANCE)))
    stdout = io.StringIO()

    call_command("allocate", "-", stdout=stdout)

    _check_result(stdout.getvalue())


MALFORMED = {
    "unknown place": (
        {
            "places": [{"id": "P1", "capacity": 1}],
            "applicants": [{"id": "A1", "score": 1, "preferences": ["P9"]}],
        },
        "applicant 'A1' prefers unknown place 'P9'",
    ),
    "duplicate applicant": (
        {"places": [], "applicants": [{"id": "A1", "score": 1}, {"id": "A1", "score": 2}]},
        "duplicate applicant id 'A1'",
    ),
    "duplicate place": (
        {"places": [{"id": "P1", "capacity": 1}, {"id": "P1", "capacity": 1}], "applicants": []},
        "duplicate place id 'P1'",
    ),
    "negative capacity": (
        {"places": [{"id": "P1", "capacity": -3}], "applicants": []},
        "place 'P1': capacity must be a non-negative integer, got -3",
    ),
    "bad JSON": ('{"places": [', "invalid JSON: Expecting value (line 1, column 13)"),
}


@pytest.mark.parametrize(("instance", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_instance_is_a_usage_error(tmp_path: Path, instance: object, message: str) -> None:
    path = _written(tmp_path / "instance.json", instance)

    with pytest.raises(CommandError) as raised:
        call_command("allocate", str(path))

    assert raised.value.returncode == 2
    assert str(raised.value) == f"Invalid allocation instance in {path}: {message}."


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"

    with pytest.raises(
        CommandError, match=re.escape(f"Cannot read {missing}: No such file or directory.")
    ) as raised:
        call_command("allocate", str(missing))

    assert raised.value.returncode == 2


def test_standard_input_that_is_not_utf8_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"places": "\xff"}'), encoding="utf-8"))

    with pytest.raises(CommandError, match=r"Cannot read standard input: it is not UTF-8 text\.") as raised:
        call_command("allocate", "-")

    assert raised.value.returncode == 2


def test_an_unwritable_output_is_reported(tmp_path: Path) -> None:
    instance = _written(tmp_path / "instance.json", INSTANCE)

    with pytest.raises(CommandError, match=r"Cannot write .*: No such file or directory\."):
        call_command("allocate", str(instance), output=str(tmp_path / "missing" / "result.json"))


@pytest.mark.parametrize(("instance", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_from_the_command_line_a_malformed_instance_exits_with_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], instance: object, message: str
) -> None:
    path = _written(tmp_path / "instance.json", instance)

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "allocate", str(path)])

    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"CommandError: Invalid allocation instance in {path}: {message}.\n"


def test_from_the_command_line_a_missing_file_exits_with_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.json"

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "allocate", str(missing)])

    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"CommandError: Cannot read {missing}: No such file or directory.\n"


def _manage(*arguments: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "allocate", *arguments],
        cwd=REPOSITORY,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_allocates_from_standard_input_to_standard_output() -> None:
    completed = _manage("-", stdin=json.dumps(INSTANCE))

    assert completed.returncode == 0, completed.stderr
    _check_result(completed.stdout)


def test_manage_py_exits_with_status_2_on_a_malformed_instance() -> None:
    instance, message = MALFORMED["unknown place"]

    completed = _manage("-", "--output", "-", stdin=json.dumps(instance))

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert f"Invalid allocation instance in standard input: {message}." in completed.stderr
