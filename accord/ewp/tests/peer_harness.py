"""Node B of the peer-to-peer tests: a second Accord process with its own database, key and URL.

Node A is the test process itself (pytest-django's live server and test database). Both are listed in
one registry catalogue file. The tests act on B through ``manage.py shell`` running a step function of
a steps module (``peer.py`` for agreements), as B's staff would through its UI; each step prints one
JSON line for the test to read.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings

MANAGE = Path(django_settings.BASE_DIR) / "manage.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NodeB:
    def __init__(self, folder: Path, catalogue: Path, key_path: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'b.sqlite3'}",
            "ACCORD_VAR_DIR": str(folder),
            "ACCORD_EWP_PRIVATE_KEY": str(key_path),
            "ACCORD_EWP_REGISTRY_CATALOGUE": str(catalogue),
            "ACCORD_EWP_BASE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_BROKER_URL": "",
            "DEBUG": "1",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.port = port
        self.server: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def step(self, name: str, module: str = "accord.ewp.tests.peer") -> dict:
        output = self.manage("shell", "-c", f"from {module} import main; main({name!r})")
        return json.loads(output.strip().splitlines()[-1])

    def start(self) -> None:
        self.manage("migrate", "--noinput", "--skip-checks")
        self.step("setup")
        self.server = subprocess.Popen(
            [
                sys.executable,
                str(MANAGE),
                "runserver",
                "--noreload",
                "--skip-checks",
                f"127.0.0.1:{self.port}",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            assert self.server.poll() is None, self.server.stderr.read().decode()[-3000:]
            time.sleep(0.2)
        raise AssertionError("node B did not start listening within a minute")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
