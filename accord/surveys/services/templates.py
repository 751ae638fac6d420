"""Templates (which questions) and rounds (for whom, until when), edited with their versions."""

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core.concurrency import lock, require_version, save_changes
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.surveys import bank
from accord.surveys.choices import Audience, Phase
from accord.surveys.models import Response, Survey, SurveyTemplate

TEMPLATE_FIELDS = ("name", "items", "is_active")
SCHEDULE_FIELDS = ("closes_on", "reminder_every_days", "max_reminders")


def _may_manage(actor: Any, organisation_id: int | None) -> bool:
    if is_platform_staff(actor):
        return True
    return organisation_id is not None and organisation_id in organisation_ids_with_roles(
        actor, MANAGING_ROLES
    )


def _check_template(values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if "name" in values and not str(values["name"]).strip():
        errors["name"] = _("Give the template a name.")
    if "items" in values:
        items = list(values["items"])
        unknown = bank.unknown_codes(items)
        if not items:
            errors["items"] = _("Choose at least one question.")
        elif unknown:
            errors["items"] = _("These are not questions of the bank: %(codes)s.") % {
                "codes": ", ".join(unknown)
            }
        elif len(set(items)) != len(items):
            errors["items"] = _("Each question can be asked only once.")
    return errors


def has_answers(template: SurveyTemplate) -> bool:
    return Response.objects.filter(survey__template=template).exists()


@transaction.atomic
def template_create(
    *, actor: Any, organisation: Any, name: str, audience: str, phase: str, items: list[str] | None = None
) -> SurveyTemplate:
    """A template of ``organisation`` (None: one of Accord's defaults, platform staff only); without
    ``items``, the bank's default questions for the audience and phase."""
    if not _may_manage(actor, organisation.pk if organisation is not None else None):
        raise PermissionDenied(_("Only admins and coordinators of the institution can make its surveys."))
    if (audience, phase) not in bank.DEFAULT_ITEMS:
        raise ValidationFailed({"phase": _("This audience is not surveyed at that moment.")})
    items = list(items) if items is not None else list(bank.DEFAULT_ITEMS[(audience, phase)])
    errors = _check_template({"name": name, "items": items})
    if errors:
        raise ValidationFailed(errors)
    # A second default of Accord's starts unused: one default per audience and moment is in use.
    active = (
        organisation is not None
        or not SurveyTemplate.objects.filter(
            organisation=None, audience=audience, phase=phase, is_active=True
        ).exists()
    )
    return SurveyTemplate.objects.create(
        organisation=organisation,
        is_active=active,
        name=name.strip(),
        audience=audience,
        phase=phase,
        items=items,
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def template_update(
    *, actor: Any, template: SurveyTemplate, expected_version: int | None = None, **values: Any
) -> list[str]:
    """Rename, (de)activate or change the questions of a template; questions that already have
    answers stay as they are, so that every answer keeps the question it was given to."""
    if not _may_manage(actor, template.organisation_id):
        raise PermissionDenied(_("Only admins and coordinators of the institution can change its surveys."))
    errors = _check_template(values)
    if errors:
        raise ValidationFailed(errors)
    lock(template)
    require_version(template, expected_version, values)
    if (
        values.get("is_active")
        and template.organisation_id is None
        and not template.is_active
        and SurveyTemplate.objects.filter(
            organisation=None, audience=template.audience, phase=template.phase, is_active=True
        ).exists()
    ):
        raise Conflict(
            _("Another of Accord's templates is in use for this audience and moment: stop using it first."),
            field="is_active",
        )
    if "items" in values and list(values["items"]) != template.items and has_answers(template):
        # Checked under the lock: an answer saved while the editor had the page open counts too.
        raise Conflict(
            _(
                "People have already answered these questions, so they cannot change. "
                "Make a new template instead."
            ),
            field="items",
        )
    return save_changes(
        template, values, actor=actor, expected_version=expected_version, editable=TEMPLATE_FIELDS
    )


def default_template(audience: str, phase: str) -> SurveyTemplate:
    """Accord's default template for the audience and phase, made from the bank the first time (once,
    even when two first invitations race: the database allows one active default)."""
    template, _created = SurveyTemplate.objects.get_or_create(
        organisation=None,
        audience=audience,
        phase=phase,
        is_active=True,
        defaults={
            "name": f"{Audience(audience).label} – {Phase(phase).label}",
            "items": list(bank.DEFAULT_ITEMS[(audience, phase)]),
        },
    )
    return template


def template_for(organisation_id: int, audience: str, phase: str) -> SurveyTemplate:
    """The institution's newest active template for the audience and phase, else Accord's default."""
    own = (
        SurveyTemplate.objects.filter(
            organisation_id=organisation_id, audience=audience, phase=phase, is_active=True
        )
        .order_by("-pk")
        .first()
    )
    return own or default_template(audience, phase)


def survey_for_cohort(
    *, template: SurveyTemplate, organisation_id: int, partnership_id: int | None, period: str
) -> Survey:
    """The round of ``template`` for this cohort, opened the first time someone is invited to it."""
    survey, _created = Survey.objects.get_or_create(
        template=template, organisation_id=organisation_id, partnership_id=partnership_id, period=period
    )
    return survey


def _check_schedule(values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if "reminder_every_days" in values and not 1 <= int(values["reminder_every_days"]) <= 60:
        errors["reminder_every_days"] = _("Remind every 1 to 60 days.")
    if "max_reminders" in values and not 0 <= int(values["max_reminders"]) <= 5:
        errors["max_reminders"] = _("Send at most 5 reminders.")
    return errors


@transaction.atomic
def survey_update(
    *, actor: Any, survey: Survey, expected_version: int | None = None, **values: Any
) -> list[str]:
    """Change a round's schedule: when it closes and how often the people who have not answered are
    reminded."""
    if not _may_manage(actor, survey.organisation_id):
        raise PermissionDenied(_("Only admins and coordinators of the institution can change its surveys."))
    errors = _check_schedule(values)
    if errors:
        raise ValidationFailed(errors)
    return save_changes(
        survey, values, actor=actor, expected_version=expected_version, editable=SCHEDULE_FIELDS
    )


@transaction.atomic
def survey_open(
    *, actor: Any, template: SurveyTemplate, organisation: Any, partnership: Any = None, period: str
) -> Survey:
    """Open a round by hand (the surveys of partners and of staff invited by address): the
    institution's template or one of Accord's, for a partnership it belongs to, in one academic year."""
    if not _may_manage(actor, organisation.pk):
        raise PermissionDenied(_("Only admins and coordinators of the institution can open its surveys."))
    errors = {}
    if template.organisation_id not in (None, organisation.pk):
        errors["template"] = _("Choose one of your institution's templates or one of Accord's.")
    if partnership is not None and not partnership.members.filter(organisation=organisation).exists():
        errors["partnership"] = _("Your institution is not a member of this partnership.")
    if not re.fullmatch(r"\d{4}/\d{4}", period or "") or int(period[5:]) != int(period[:4]) + 1:
        errors["period"] = _("Write the academic year as 2026/2027.")
    if errors:
        raise ValidationFailed(errors)
    return survey_for_cohort(
        template=template,
        organisation_id=organisation.pk,
        partnership_id=partnership.pk if partnership is not None else None,
        period=period,
    )
