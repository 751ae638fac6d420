import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accord.algorithms.ewp.http_signature import load_private_key_pem
from accord.ewp.node.keys import node_private_key
from accord.ewp.selectors import served_institutions
from accord.ewp.selftest import DEFAULT_TIMEOUT_SECONDS, Status, run_selftest
from accord.ewp.serve.discovery import own_manifest_url

_MARKS = {Status.PASS: "PASS", Status.FAIL: "FAIL", Status.SKIP: "skip"}


class Command(BaseCommand):
    help = (
        "Check an EWP node (Accord or any other) the way the network's validator does: every API its "
        "discovery manifest declares is called with signed requests. The tested node must trust the key "
        "used here (its registry catalogue lists it as a client key). Exits 1 when a check fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "base_url",
            nargs="?",
            help=(
                "The manifest's URL, or an Accord node's base URL with --hei. Without it, this node "
                "tests itself at the address its own manifest announces (ACCORD_EWP_BASE_URL)."
            ),
        )
        parser.add_argument("--hei", help="The HEI to test (its manifest, for an Accord base URL).")
        parser.add_argument("--key", help="PEM private key to sign with (default: this node's key).")
        parser.add_argument(
            "--schemas", help="Folder of the official EWP schemas (default: ACCORD_EWP_SCHEMAS)."
        )
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS)
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, base_url, hei, key, schemas, timeout, as_json, **options):
        if base_url is None:
            base_url, hei = self._own_manifest(hei)
        report = run_selftest(
            base_url,
            key=self._key(key),
            hei_id=hei,
            schemas=schemas or settings.ACCORD_EWP_SCHEMAS or None,
            timeout=timeout,
        )
        if as_json:
            self.stdout.write(_json_report(report))
        else:
            self.stdout.write(f"EWP self-test of {report.manifest_url}")
            for result in report.results:
                self.stdout.write(f"{_MARKS[result.status]}  {result.name}: {result.message}")
            counts = report.counts()
            self.stdout.write(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped.")
        if not report.passed:
            raise SystemExit(1)

    def _own_manifest(self, hei: str | None) -> tuple[str, str]:
        served = list(served_institutions().values_list("schac_code", flat=True))
        if hei is None and len(served) == 1:
            hei = served[0]
        if hei is None or hei not in served:
            raise CommandError(
                "Name the institution to test with --hei; this node serves: "
                + (", ".join(served) or "no institution yet")
                + "."
            )
        return own_manifest_url(hei), hei

    def _key(self, path: str | None):
        if path is None:
            key = node_private_key()
            if key is None:
                raise CommandError("This node has no EWP key: run `manage.py ewp_create_keys` or give --key.")
            return key
        try:
            return load_private_key_pem(Path(path).read_bytes())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the key {path}: {exc}") from None


def _json_report(report) -> str:
    return json.dumps(
        {
            "manifest_url": report.manifest_url,
            "passed": report.passed,
            "counts": report.counts(),
            "results": [
                {"name": result.name, "status": result.status.value, "message": result.message}
                for result in report.results
            ],
        },
        ensure_ascii=False,
        indent=2,
    )
