"""Optimistic concurrency: every edit says which version of the record it was made from.

The convention every app follows (docs/decisions/0011-concurrent-edits.md):

* an editable record is a :class:`VersionedModel`: ``version`` goes up by one with every write, and
  ``updated_by``/``updated_at`` say who wrote last and when;
* an edit form carries the version it was opened at (a hidden field), an API write carries it in
  ``If-Match`` (the ``ETag`` of the GET, see :func:`etag`);
* the service takes that ``expected_version``, re-reads the row under a lock (the row alone, never a
  join: PostgreSQL re-checks only the locked row when a lock wait ends) and refuses a stale one with
  :class:`StaleVersion`, which names who changed what since;
* a save writes only the fields that changed (:func:`save_changes`), so a write of one field never
  reverts another written meanwhile, and a write without a version still works.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from accord.core.errors import Conflict, ValidationFailed
from accord.core.models import TimeStampedModel

M = TypeVar("M", bound="VersionedModel")
R = TypeVar("R", bound=models.Model)


class VersionedModel(TimeStampedModel):
    """A record people edit: its version counts the writes, and the last writer is remembered."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class StaleVersion(Conflict):
    """The record changed since the editor read it; nothing was written.

    ``theirs`` maps each field the editor wanted to change to the value saved meanwhile, so that the
    page can show both and let the person keep either."""

    code = "stale_version"
    http_status = 412

    def __init__(self, record: VersionedModel, expected: int, theirs: Mapping[str, Any]):
        who = str(record.updated_by) if record.updated_by is not None else _("someone")
        when = formats.date_format(record.updated_at, "DATETIME_FORMAT") if record.updated_at else ""
        super().__init__(
            _(
                "%(who)s changed this at %(when)s, since you opened it (version %(expected)s, now "
                "%(current)s). Nothing of yours was saved: compare the values and save again."
            )
            % {"who": who, "when": when, "expected": expected, "current": record.version},
            field="version",
        )
        self.current_version = record.version
        self.changed_by = who
        self.changed_at = record.updated_at
        self.theirs = dict(theirs)

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "current_version": self.current_version,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "current": {name: _jsonable(value) for name, value in self.theirs.items()},
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def lock(record: R) -> R:
    """``record`` re-read from its row under ``SELECT … FOR UPDATE`` of that row alone, in place: the
    caller's object holds what is committed now, and its relations are read again when used."""
    locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
    record.__dict__.update(locked.__dict__)
    record._state.fields_cache = {}
    # Relations prefetched before the lock (a partnership's members) may have changed while it waited.
    record.__dict__.pop("_prefetched_objects_cache", None)
    return record


def require_version(record: VersionedModel, expected_version: int | None, fields: Iterable[str] = ()) -> None:
    """Refuse the edit if the locked ``record`` is no longer at ``expected_version`` (None: the editor
    did not say, and only the fields it sends are written)."""
    if expected_version is None or expected_version == record.version:
        return
    raise StaleVersion(record, expected_version, {name: getattr(record, name) for name in fields})


def save_changes(
    record: M,
    data: Mapping[str, Any],
    *,
    actor: Any,
    expected_version: int | None = None,
    editable: Iterable[str] | None = None,
) -> list[str]:
    """Lock ``record``, check its version, set the fields of ``data`` that differ and save only them
    with the next version; returns the names of the fields that changed (none: nothing is written).

    ``editable`` limits which fields ``data`` may name. The caller validates the new values after
    this assignment and before the transaction commits (``clean_or_fail``); it runs inside the
    caller's ``transaction.atomic``."""
    allowed = set(editable) if editable is not None else None
    unknown = sorted(name for name in data if allowed is not None and name not in allowed)
    if unknown:
        raise ValidationFailed({name: _("This field cannot be changed here.") for name in unknown})
    lock(record)
    require_version(record, expected_version, data)
    changed = [name for name, value in data.items() if getattr(record, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(record, name, data[name])
    record.version += 1
    record.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    record.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    return changed


_ETAG = re.compile(r'^(?:W/)?"(?P<tag>[^"]*)"$')


def etag(record: VersionedModel) -> str:
    """The strong entity tag of ``record`` at its current version (RFC 9110 §8.8.3)."""
    return f'"{record._meta.model_name}-{record.pk}-v{record.version}"'


def version_from_if_match(header: str | None, record: VersionedModel) -> int | None:
    """The version an ``If-Match`` header expects of ``record``: None when absent or ``*`` (any),
    the current version when one of its tags is current, else the version a tag names. A header
    that is not a list of entity tags of this record is refused."""
    if header is None or header.strip() == "*":
        return None
    tags = [part.strip() for part in header.split(",") if part.strip()]
    prefix = f"{record._meta.model_name}-{record.pk}-v"
    versions = []
    for tag in tags:
        match = _ETAG.match(tag)
        value = match.group("tag") if match else ""
        if not value.startswith(prefix) or not value[len(prefix) :].isdigit():
            raise ValidationFailed(
                {
                    "If-Match": _(
                        "Send the ETag you received when you read this record, for example %(etag)s."
                    )
                    % {"etag": etag(record)}
                }
            )
        versions.append(int(value[len(prefix) :]))
    return record.version if record.version in versions else min(versions)


def save_changed(record: M, before: Mapping[str, Any], *, actor: Any) -> list[str]:
    """Save the fields of ``before`` (their values as read under the lock) that ``record`` now holds
    differently, with the next version; for services that normalise values on the record itself
    before saving, where :func:`save_changes` cannot assign them. Returns the changed names."""
    changed = [name for name, value in before.items() if getattr(record, name) != value]
    if not changed:
        return []
    record.version += 1
    record.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    record.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    return changed


def bump(record: VersionedModel, actor: Any = None) -> list[str]:
    """Count one more write of ``record`` by ``actor`` (a status change, a transition): the names to
    add to the ``update_fields`` of the save that follows."""
    record.version += 1
    record.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    return ["version", "updated_by", "updated_at"]
