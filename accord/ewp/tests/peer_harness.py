"""Node B of the peer-to-peer tests: a second Accord process with its own database, key and URL.

Node A is the test process itself (pytest-django's live server and test database). Both are listed in
one registry catalogue file. The tests act on B through ``manage.py shell`` running step functions of
a steps module (``peer.py`` for agreements), as B's staff would through its UI; each step prints one
JSON line for the test to read.

Migrating B's database costs more than a whole peer test, so it is migrated and set up once per test
session (the xdist workers share it) into a template file that each test's node B starts from a copy
of; and one ``manage.py shell`` per node B serves all its steps over a pipe, not one process a step.
"""

import contextlib
import fcntl
import importlib
import io
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path

from django.conf import settings as django_settings

MANAGE = Path(django_settings.BASE_DIR) / "manage.py"
STEP_TIMEOUT_SECONDS = 300
DATABASE = "b.sqlite3"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_env(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / DATABASE}",
        "ACCORD_VAR_DIR": str(folder),
        "CELERY_BROKER_URL": "",
        "DEBUG": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def shared_template(root: Path) -> Path:
    """B's database, migrated and set up by ``peer.setup``, for each node B to start from a copy of.

    Built once under ``root``: the first of the processes sharing ``root`` (xdist workers) to get here
    builds it while the others wait for it.
    """
    template = root / "node-b-template" / DATABASE
    with (root / "node-b-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = root / "node-b-template-building"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            env = base_env(building)
            manage(env, "migrate", "--noinput", "--skip-checks")
            manage(
                env, "shell", "--no-imports", "-c", "from accord.ewp.tests.peer import main; main('setup')"
            )
            building.rename(template.parent)
    return template


def serve_steps() -> None:
    """Inside node B: run the steps read from stdin (``[module, step]`` JSON lines) one at a time,
    answering each with one JSON line: what the step printed, or the traceback it failed with."""
    answers = sys.stdout
    for line in sys.stdin:
        module, name = json.loads(line)
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                importlib.import_module(module).main(name)
            answer = {"printed": printed.getvalue()}
        except Exception:
            answer = {"error": traceback.format_exc()}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


class NodeB:
    def __init__(self, folder: Path, catalogue: Path, key_path: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.folder = folder
        self.env = base_env(folder) | {
            "ACCORD_EWP_PRIVATE_KEY": str(key_path),
            "ACCORD_EWP_REGISTRY_CATALOGUE": str(catalogue),
            "ACCORD_EWP_BASE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        self.port = port
        self.server: subprocess.Popen | None = None
        self.steps: subprocess.Popen | None = None

    def _spawn(self, *args: str, stdin=None, stdout=subprocess.DEVNULL, log: str) -> subprocess.Popen:
        with (self.folder / log).open("wb") as stderr:
            return subprocess.Popen(
                [sys.executable, str(MANAGE), *args],
                env=self.env,
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
            )

    def _log(self, name: str) -> str:
        return (self.folder / name).read_text(errors="replace")[-3000:]

    def step(self, name: str, module: str = "accord.ewp.tests.peer") -> dict:
        assert self.steps is not None and self.steps.poll() is None, self._log("steps.log")
        self.steps.stdin.write(json.dumps([module, name]).encode() + b"\n")
        self.steps.stdin.flush()
        ready, _, _ = select.select([self.steps.stdout], [], [], STEP_TIMEOUT_SECONDS)
        assert ready, f"step {name!r} gave no answer within {STEP_TIMEOUT_SECONDS} s"
        line = self.steps.stdout.readline()
        assert line, self._log("steps.log")
        answer = json.loads(line)
        assert "error" not in answer, answer.get("error", "")[-3000:]
        return json.loads(answer["printed"].strip().splitlines()[-1])

    def start(self, template: Path) -> None:
        shutil.copyfile(template, self.folder / DATABASE)
        self.server = self._spawn(
            "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{self.port}", log="server.log"
        )
        self.steps = self._spawn(
            "shell",
            "--no-imports",
            "-c",
            "from accord.ewp.tests.peer_harness import serve_steps; serve_steps()",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            log="steps.log",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            assert self.server.poll() is None, self._log("server.log")
            time.sleep(0.2)
        raise AssertionError("node B did not start listening within a minute")

    def stop(self) -> None:
        if self.steps is not None:
            self.steps.stdin.close()
            self.steps.wait(timeout=30)
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
