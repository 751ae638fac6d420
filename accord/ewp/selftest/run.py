"""Running the self-test: every check of :data:`CHECKS` in order against one node, later checks reusing
what earlier ones learnt (the caller's HEIs from Echo, ids from the indexes). Checks of APIs the manifest
does not declare are skipped; when the manifest itself is unusable, every API check is; APIs declared
but unknown here are reported as not checked, never as passing."""

from collections.abc import Callable, Sequence
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from accord.algorithms.ewp import schemas as ewp_schemas
from accord.ewp.selftest import discovery, factsheet, iias, learning_agreements, mobilities, transcripts
from accord.ewp.selftest.core import Check
from accord.ewp.selftest.node import DEFAULT_TIMEOUT_SECONDS, Node
from accord.ewp.selftest.report import CheckFailed, CheckResult, CheckSkipped, Report, Status

CHECKS: list[Check] = [
    *discovery.CHECKS,
    *iias.CHECKS,
    *factsheet.CHECKS,
    *transcripts.CHECKS,
    *mobilities.CHECKS,
    *learning_agreements.CHECKS,
]


def manifest_url(base_url: str, hei_id: str | None) -> str:
    """``base_url`` itself when it names a manifest (``….xml``), else Accord's manifest of ``hei_id``."""
    if base_url.endswith(".xml") or not hei_id:
        return base_url
    return f"{base_url.rstrip('/')}/ewp/manifest/{hei_id}.xml"


def run_selftest(
    base_url: str,
    *,
    key: rsa.RSAPrivateKey,
    hei_id: str | None = None,
    schemas: str | Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    checks: Sequence[Check] | None = None,
    session: requests.Session | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Report:
    """Run every check against the node whose manifest is at (or under) ``base_url``.

    ``session`` lets a caller route the requests (tests reach a node published at an https:// address
    through a loopback server); by default a plain ``requests`` session is used. ``progress`` is told
    (checks done, checks in all, the check's name) after each check, for a progress bar.
    """
    node = Node(manifest_url=manifest_url(base_url, hei_id), key=key, hei_id=hei_id, timeout=timeout)
    if session is not None:
        node.session = session
    if schemas:
        try:
            node.schemas = ewp_schemas.schema_folder(schemas)
        except ewp_schemas.SchemaFolderError as exc:
            node.schemas_problem = str(exc)
    report = Report(manifest_url=node.manifest_url)
    manifest_ok = True
    to_run = CHECKS if checks is None else checks
    for done, check in enumerate(to_run, start=1):
        if progress is not None:
            progress(done - 1, len(to_run), check.name)
        if not manifest_ok and check.api is not None:
            report.results.append(CheckResult(check.name, Status.SKIP, "no usable manifest"))
            continue
        if check.api is not None and check.api not in node.apis:
            report.results.append(
                CheckResult(check.name, Status.SKIP, f"{check.api} is not declared in the manifest")
            )
            continue
        result = _run_one(check, node)
        report.results.append(result)
        if check.run is discovery.check_manifest and result.status == Status.FAIL:
            manifest_ok = False
    report.results.extend(
        CheckResult(f"api {name}", Status.SKIP, "not checked: this self-test does not know this API")
        for name in node.unknown_apis
    )
    if session is None:
        node.session.close()
    return report


def _run_one(check: Check, node: Node) -> CheckResult:
    try:
        message = check.run(node)
    except CheckFailed as exc:
        return CheckResult(check.name, Status.FAIL, str(exc))
    except CheckSkipped as exc:
        return CheckResult(check.name, Status.SKIP, str(exc))
    except Exception as exc:  # a node answering nonsense must not stop the report
        return CheckResult(check.name, Status.FAIL, f"unexpected {type(exc).__name__}: {exc}")
    return CheckResult(check.name, Status.PASS, message)
