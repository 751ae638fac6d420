"""What a self-test run answers: a result per check (pass, fail or skip, with the reason), and the two
exceptions through which a check says that the node failed it or that it cannot run."""

import enum
from dataclasses import dataclass, field


class Status(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (not a password)
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    status: Status
    message: str


@dataclass
class Report:
    manifest_url: str
    results: list[CheckResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(result.status != Status.FAIL for result in self.results)

    def counts(self) -> dict[str, int]:
        return {status.value: sum(1 for r in self.results if r.status == status) for status in Status}


class CheckFailed(Exception):
    """The node did not behave as the specification asks; the message says how."""


class CheckSkipped(Exception):
    """The check cannot run against this node (nothing to call, or nothing to call it with)."""
