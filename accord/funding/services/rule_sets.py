"""Rule sets: created from the shipped data or from scratch, edited while draft, frozen once active.

Only administrators of the owning institution configure rules. A version in force is never edited:
``rule_set_version_draft`` copies it into a new draft, and publishing that draft retires the old one,
so every grant keeps pointing at the exact figures it was computed with."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accord.algorithms.funding.rules import RuleSetError, parse_rule_set
from accord.algorithms.funding.shipped import shipped_data
from accord.core.concurrency import bump, lock, require_version
from accord.core.errors import Conflict, ValidationFailed
from accord.funding.choices import RuleSetStatus
from accord.funding.models import FundingProgramme, RuleSet, RuleSetVersion
from accord.funding.querysets import FundingAction
from accord.funding.services._common import require, rule_failed


def _checked(data: Any, key: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed({"data": _("The rules must be a JSON object.")})
    data = {**data, "key": key}
    try:
        parse_rule_set(data)
    except RuleSetError as error:
        raise rule_failed(error, "data") from error
    return data


@transaction.atomic
def rule_set_create(
    *, actor, programme: FundingProgramme, key: str, call_year: int, data: dict[str, Any]
) -> RuleSetVersion:
    """A new rule set with ``data`` as its first draft."""
    require(actor, FundingAction.CONFIGURE, programme.organisation_id)
    checked = _checked(data, key)
    if RuleSet.objects.filter(organisation_id=programme.organisation_id, key=key).exists():
        raise ValidationFailed({"key": _("The institution already has a rule set with this key.")})
    rule_set = RuleSet.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        key=key,
        call_year=call_year,
        updated_by=actor,
    )
    return RuleSetVersion.objects.create(
        rule_set=rule_set,
        number=1,
        data=checked,
        created_by=actor,
        updated_by=actor,
        note=_("First version."),
    )


@transaction.atomic
def rule_set_import_shipped(
    *, actor, programme: FundingProgramme, key: str, call_year: int
) -> RuleSetVersion:
    """The shipped rule set ``key`` as the institution's own, in force at once (a copy: editing it
    later makes a new version of the copy, never touches the shipped file)."""
    try:
        data = shipped_data(key)
    except RuleSetError as error:
        raise rule_failed(error, "key") from error
    version = rule_set_create(actor=actor, programme=programme, key=key, call_year=call_year, data=data)
    version.status = RuleSetStatus.ACTIVE
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def rule_set_version_update(
    *,
    actor,
    version: RuleSetVersion,
    data: dict[str, Any],
    note: str = "",
    expected_version: int | None = None,
) -> RuleSetVersion:
    """Change a draft's rules; an active or retired version is frozen."""
    require(actor, FundingAction.CONFIGURE, version.rule_set.organisation_id)
    lock(version)
    require_version(version, expected_version, ("data", "note"))
    if version.status != RuleSetStatus.DRAFT:
        raise Conflict(
            _("Version %(number)s is in force or was used, so it is frozen: make a new version to change it.")
            % {"number": version.number},
            field="data",
        )
    version.data = _checked(data, version.rule_set.key)
    version.note = note or version.note
    version.save(update_fields=["data", "note", *bump(version, actor)])
    return version


@transaction.atomic
def rule_set_version_draft(*, actor, rule_set: RuleSet, note: str = "") -> RuleSetVersion:
    """A new draft copied from the latest version (the one to change instead of a frozen one)."""
    require(actor, FundingAction.CONFIGURE, rule_set.organisation_id)
    lock(rule_set)
    if rule_set.versions.filter(status=RuleSetStatus.DRAFT).exists():
        raise Conflict(_("This rule set already has a draft: change that one."), field="data")
    latest = rule_set.versions.order_by("-number").first()
    number = (rule_set.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return RuleSetVersion.objects.create(
        rule_set=rule_set,
        number=number,
        data=latest.data if latest else {},
        note=note,
        created_by=actor,
        updated_by=actor,
    )


@transaction.atomic
def rule_set_version_publish(
    *, actor, version: RuleSetVersion, expected_version: int | None = None
) -> RuleSetVersion:
    """Put a draft in force; the version in force before is retired (its grants keep it)."""
    require(actor, FundingAction.CONFIGURE, version.rule_set.organisation_id)
    lock(version.rule_set)
    lock(version)
    require_version(version, expected_version, ("status",))
    if version.status != RuleSetStatus.DRAFT:
        raise Conflict(_("Only a draft can be put in force."), field="status")
    _checked(version.data, version.rule_set.key)
    for previous in version.rule_set.versions.filter(status=RuleSetStatus.ACTIVE).select_for_update():
        previous.status = RuleSetStatus.RETIRED
        previous.save(update_fields=["status", *bump(previous, actor)])
    version.status = RuleSetStatus.ACTIVE
    version.save(update_fields=["status", *bump(version, actor)])
    return version
