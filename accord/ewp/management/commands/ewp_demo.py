"""``make ewp-demo``: a local EWP network of two Accord nodes on loopback, trusting each other.

Each node is its own process (``runserver``) with its own SQLite database, key and address, set up
by ``ewp_demo_node``; one registry catalogue file lists both hosts with their HEIs, keys and APIs
(:mod:`accord.ewp.node.local_registry`, as the peer-to-peer tests do). Node B answers on
``localhost`` and node A on ``127.0.0.1``, so that a browser keeps one session per node (cookies
are per host name, not per port).
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accord.algorithms.ewp.http_signature import load_private_key_pem
from accord.ewp.management.commands.ewp_demo_node import DEMO_PASSWORD
from accord.ewp.node.local_registry import CatalogueHost, catalogue_document

MANAGE = Path(settings.BASE_DIR) / "manage.py"
START_TIMEOUT_SECONDS = 90


@dataclass(frozen=True)
class DemoNode:
    label: str
    host: str
    hei: str
    name: str
    country: str
    users: str

    def url(self, port: int) -> str:
        return f"http://{self.host}:{port}"


NODES = (
    DemoNode("a", "127.0.0.1", "north.example.fi", "Northern University", "FI", "north"),
    DemoNode("b", "localhost", "south.example.es", "Universidad del Sur", "ES", "south"),
)


class Command(BaseCommand):
    help = (
        "Start a local EWP network: two Accord nodes on loopback ports, each serving one institution, "
        "and a registry catalogue listing both with their keys. Ctrl+C stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(Path(settings.VAR_DIR) / "ewp-demo"))
        parser.add_argument("--ports", nargs=2, type=int, default=[8201, 8202], metavar=("A", "B"))
        parser.add_argument(
            "--selftest",
            action="store_true",
            help="Start both nodes, run ewp_selftest against each, stop them; exit 1 if a check fails.",
        )

    def handle(self, *args, folder, ports, selftest, **options):
        root = Path(folder).resolve()
        root.mkdir(parents=True, exist_ok=True)
        catalogue = root / "catalogue.xml"
        envs = [self._env(root, node, port, catalogue) for node, port in zip(NODES, ports, strict=True)]
        for node, env, partner in zip(NODES, envs, reversed(NODES), strict=True):
            self.stdout.write(
                f"Setting up node {node.label.upper()} ({node.hei}) in {env['ACCORD_VAR_DIR']} …"
            )
            _manage(env, "migrate", "--noinput")
            _manage(
                env,
                "ewp_demo_node",
                f"--hei={node.hei}",
                f"--name={node.name}",
                f"--country={node.country}",
                f"--partner-hei={partner.hei}",
                f"--partner-name={partner.name}",
                f"--partner-country={partner.country}",
                f"--users={node.users}",
            )
        _write_catalogue(catalogue, envs, ports)
        servers = [self._start(env, port) for env, port in zip(envs, ports, strict=True)]
        try:
            if selftest:
                failed = [
                    node.label.upper()
                    for node, env in zip(NODES, envs, strict=True)
                    if not self._test(env, node)
                ]
                if failed:
                    raise CommandError(f"The self-test failed against node(s) {', '.join(failed)}.")
                self.stdout.write("The self-test passed against both nodes.")
                return
            self._explain(ports, catalogue)
            with contextlib.suppress(KeyboardInterrupt):
                while all(server.poll() is None for server in servers):
                    time.sleep(1)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)

    def _env(self, root: Path, node: DemoNode, port: int, catalogue: Path) -> dict[str, str]:
        folder = root / node.label
        folder.mkdir(exist_ok=True)
        url = node.url(port)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'accord.sqlite3'}",
            "ACCORD_VAR_DIR": str(folder),
            "ACCORD_EWP_PRIVATE_KEY": str(folder / "ewp" / "node-key.pem"),
            "ACCORD_EWP_REGISTRY_CATALOGUE": str(catalogue),
            "ACCORD_BASE_URL": url,
            "ACCORD_EWP_BASE_URL": url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_BROKER_URL": "",
            "DEBUG": "1",
        }
        # The official schemas refuse http:// addresses in a manifest, which a loopback network has.
        for name in ("DJANGO_SETTINGS_MODULE", "ACCORD_EWP_SCHEMAS"):
            env.pop(name, None)
        return env

    def _start(self, env: dict[str, str], port: int) -> subprocess.Popen:
        log = (Path(env["ACCORD_VAR_DIR"]) / "server.log").open("wb")
        server = subprocess.Popen(  # noqa: S603 (our own manage.py, arguments we built)
            [sys.executable, str(MANAGE), "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return server
            if server.poll() is not None:
                raise CommandError(f"The node on port {port} stopped; see {log.name}.")
            time.sleep(0.3)
        server.terminate()
        raise CommandError(f"The node on port {port} did not start within {START_TIMEOUT_SECONDS} s.")

    def _test(self, env: dict[str, str], node: DemoNode) -> bool:
        result = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, str(MANAGE), "ewp_selftest", f"--hei={node.hei}"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        self.stdout.write(result.stdout.splitlines()[-1] if result.stdout else result.stderr[-2000:])
        for line in result.stdout.splitlines():
            if line.startswith("FAIL"):
                self.stdout.write(line)
        return result.returncode == 0

    def _explain(self, ports: list[int], catalogue: Path) -> None:
        a, b = (node.url(port) for node, port in zip(NODES, ports, strict=True))
        north, south = NODES
        self.stdout.write(
            f"""
Two EWP nodes are running (password of every user: {DEMO_PASSWORD}); the registry catalogue is
{catalogue}.

  A  {a}/  {north.name} ({north.hei}): {north.users}-admin, {north.users}-coordinator
  B  {b}/  {south.name} ({south.hei}): {south.users}-admin, {south.users}-coordinator

1. At A, sign in as {north.users}-admin; open Directory → {north.name} → "EWP node": the institution is
   served, the key is listed by the registry, and "Run the self-test" passes.
2. At A, sign in as {north.users}-coordinator; Agreements → new agreement with {south.name}, fill in a
   cooperation condition and share it. A's node notifies B's at once.
3. At B, sign in as {south.users}-coordinator; Agreements: B's copy of A's agreement is there. Share it
   and approve A's copy: B notifies A, and A's agreement comes into effect.
4. At A, approve B's copy: B's agreement comes into effect too. Each EWP page shows the notifications.

Test either node from a shell with the same environment: manage.py ewp_selftest. Ctrl+C stops both.
"""
        )


def _manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")


def _write_catalogue(path: Path, envs: list[dict[str, str]], ports: list[int]) -> None:
    hosts = []
    for node, env, port in zip(NODES, envs, ports, strict=True):
        key = load_private_key_pem(Path(env["ACCORD_EWP_PRIVATE_KEY"]).read_bytes())
        hosts.append(
            CatalogueHost((node.hei,), client_keys=(key,), server_keys=(key,), base_url=node.url(port))
        )
    partial = path.with_name(path.name + ".new")
    partial.write_bytes(catalogue_document(*hosts))
    partial.replace(path)
