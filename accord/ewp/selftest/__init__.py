"""A conformance self-test of an EWP node (Accord or any other), run the way the network's validator
runs it: from the node's discovery manifest, every API it declares and this package knows is called
over HTTP, signed with a key the tested node must trust (its registry catalogue lists it as a client
key).

Each check answers pass, fail or skip with a reason. Documents are checked for well-formedness and
their root element, and against the official XSDs when a schemas folder is given; without one, the
report says that XSD validation was skipped and why. APIs declared in the manifest but unknown here are
reported as not checked.

The package is split by subdomain: :mod:`.report` (results), :mod:`.documents` (document kinds and
known APIs), :mod:`.node` (calling the node and checking its documents), :mod:`.core` (the check
factories every API shares), one module of checks per group of APIs (:mod:`.discovery`, :mod:`.iias`,
:mod:`.factsheet`, :mod:`.transcripts`, :mod:`.mobilities`, :mod:`.learning_agreements`), and
:mod:`.run` (the list of checks and the runner).
"""

from accord.ewp.selftest.core import Check, Endpoint
from accord.ewp.selftest.node import DEFAULT_TIMEOUT_SECONDS, Node
from accord.ewp.selftest.report import CheckFailed, CheckResult, CheckSkipped, Report, Status
from accord.ewp.selftest.run import CHECKS, manifest_url, run_selftest

__all__ = [
    "CHECKS",
    "DEFAULT_TIMEOUT_SECONDS",
    "Check",
    "CheckFailed",
    "CheckResult",
    "CheckSkipped",
    "Endpoint",
    "Node",
    "Report",
    "Status",
    "manifest_url",
    "run_selftest",
]
