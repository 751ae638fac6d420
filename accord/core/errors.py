"""Domain errors shared by services, the API and the views.

Services raise these; the API turns them into JSON with a stable ``code`` and a human ``message``,
and views turn them into form errors or messages. Nothing is saved when one is raised, because
services run inside ``transaction.atomic``.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.functional import Promise

# A message may be a lazy translation (a module-level ``gettext_lazy``); it is rendered into the
# language active where the error is raised, so the API and pages answer in the reader's language.
Message = str | Promise

_STEP = re.compile(r"(?P<name>[^.\[\]]+)(?:\[(?P<index>\d+)\])?")
# Collections whose singular is not the name without its final "s".
_SINGULAR = {"entries": "entry", "changes": "change", "activities": "activity", "categories": "category"}


def field_words(key: str) -> str:
    """A field or row key in words for a sentence: ``planned_end`` is "Planned end",
    ``agreement_id`` "Agreement", ``components[2].term`` "Component 3, term". Services give messages
    per key; where no form field shows one, this names the key in front of the message instead."""
    steps = []
    for step in key.split("."):
        match = _STEP.fullmatch(step)
        if match is None:
            steps.append(step)
            continue
        name = match.group("name").removesuffix("_id").replace("_", " ").strip()
        if match.group("index") is not None:
            singular = _SINGULAR.get(name, name.removesuffix("s"))
            steps.append(f"{singular} {int(match.group('index')) + 1}")
        else:
            steps.append(name)
    words = ", ".join(steps)
    return words[:1].upper() + words[1:]


class DomainError(Exception):
    """A request that the domain refuses; ``code`` is stable, ``message`` is for people."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: Message, *, code: str | None = None, field: str | None = None):
        message = str(message)
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field

    def as_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            payload["field"] = self.field
        return payload


class ValidationFailed(DomainError):
    """One or more fields are wrong; ``errors`` maps field (or row) names to messages."""

    code = "validation_failed"
    http_status = 422

    def __init__(self, errors: Mapping[str, Sequence[Message] | Message], *, message: Message | None = None):
        self.errors = {
            key: [str(value)] if isinstance(value, str | Promise) else [str(item) for item in value]
            for key, value in errors.items()
        }
        first_field, first_messages = next(iter(self.errors.items()))
        summary = str(message) if message else f"{field_words(first_field)}: {first_messages[0]}"
        super().__init__(summary, field=first_field)

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "errors": self.errors}


class NotFound(DomainError):
    """Missing, or not visible to the acting user: the two are deliberately indistinguishable."""

    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    """The user may see the object but not perform this action on it."""

    code = "permission_denied"
    http_status = 403


class Conflict(DomainError):
    """The request contradicts the current state (a duplicate, a stale version, a wrong status)."""

    code = "conflict"
    http_status = 409


class PreconditionFailed(Conflict):
    """An ``If-Match`` that cannot hold: it names a version of a record that does not exist (yet)."""

    code = "precondition_failed"
    http_status = 412
