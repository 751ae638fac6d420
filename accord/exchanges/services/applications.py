"""Applications (the student's side), their documents, bulk actions and reviews."""

from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.access import roles_by_organisation
from accord.algorithms.allocation.selection import (
    GRADING_SCALES,
    SelectionError,
    eligibility,
    normalise_grade,
)
from accord.core.concurrency import bump, require_version, save_changed, save_changes
from accord.core.errors import Conflict, NotFound, PermissionDenied, PreconditionFailed, ValidationFailed
from accord.exchanges.choices import (
    ApplicationStatus,
    BulkAction,
    CallStatus,
    EventKind,
    NominationStatus,
)
from accord.exchanges.models import (
    Application,
    ApplicationChoice,
    ApplicationDocument,
    Call,
    CallPlace,
    Nomination,
    Review,
)
from accord.exchanges.querysets import ExchangeAction
from accord.exchanges.scoring import profile_of, requirements_of, rules_of
from accord.exchanges.services.calls import event, lock, require_manage
from accord.reference.cefr import is_cefr
from accord.reference.eqf import get_eqf
from accord.reference.isced import is_isced
from accord.reference.languages import is_language

APPLICATION_FIELDS = (
    "grade_average",
    "grading_scale",
    "eqf_level",
    "isced_code",
    "year_of_study",
    "languages",
    "priority",
    "motivation",
)
EDITABLE_APPLICATIONS = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED})


def _require_open(call: Call) -> None:
    if not call.accepts_applications():
        if call.status == CallStatus.OPEN and timezone.now() < call.opens_at:
            message = _("The call opens on %(date)s.") % {
                "date": f"{timezone.localtime(call.opens_at):%Y-%m-%d %H:%M}"
            }
        else:
            message = _("The call closed on %(date)s: applications can no longer be made or changed.") % {
                "date": f"{timezone.localtime(call.closes_at):%Y-%m-%d %H:%M}"
            }
        raise Conflict(message, code="call_closed", field="closes_at")


def _require_applicant(actor, application: Application) -> None:
    if application.student_id != actor.pk:
        raise PermissionDenied(_("Only the applicant changes an application."))


def _check_record(application: Application) -> None:
    errors: dict[str, list[str]] = {}
    if application.grading_scale not in GRADING_SCALES:
        errors["grading_scale"] = [
            _("Choose a grading scale: %(scales)s.") % {"scales": ", ".join(GRADING_SCALES)}
        ]
    else:
        try:
            application.grade_average = Decimal(str(application.grade_average)).quantize(Decimal("0.01"))
            normalise_grade(float(application.grade_average), application.grading_scale)
        except (InvalidOperation, ValueError, SelectionError) as exc:
            errors["grade_average"] = [str(exc) if isinstance(exc, SelectionError) else _("Enter a number.")]
    if get_eqf(application.eqf_level) is None:
        errors["eqf_level"] = [_("EQF levels run from 1 to 8 (6 for a bachelor, 7 for a master).")]
    if not is_isced(application.isced_code or ""):
        errors["isced_code"] = [_("Use an ISCED-F 2013 field code such as 0613.")]
    if not application.year_of_study or application.year_of_study < 1:
        errors["year_of_study"] = [_("The year of study starts at 1.")]
    languages = application.languages
    if not isinstance(languages, dict) or not all(
        is_language(code) and isinstance(level, str) and is_cefr(level) for code, level in languages.items()
    ):
        errors["languages"] = [_("Give each language as an ISO 639-1 code with a CEFR level, e.g. es: B2.")]
    else:
        application.languages = {code: level.upper() for code, level in languages.items()}
    if errors:
        raise ValidationFailed(errors)


def _places(call: Call, choices: list[Any]) -> list[CallPlace]:
    if len(choices) > call.max_choices:
        raise ValidationFailed(
            {
                "choices": [
                    _("This call allows at most %(n)s choices; you gave %(given)s.")
                    % {"n": call.max_choices, "given": len(choices)}
                ]
            }
        )
    ids = [choice.pk if isinstance(choice, CallPlace) else choice for choice in choices]
    if len(set(ids)) != len(ids):
        raise ValidationFailed({"choices": [_("Each place may be chosen only once.")]})
    places = {place.pk: place for place in call.places.filter(pk__in=ids)}
    missing = [str(pk) for pk in ids if pk not in places]
    if missing:
        raise ValidationFailed(
            {"choices": [_("Not a place of this call: %(ids)s.") % {"ids": ", ".join(missing)}]}
        )
    return [places[pk] for pk in ids]


def _check_eligible(application: Application, places: list[CallPlace]) -> None:
    profile = profile_of(application)
    rules = rules_of(application.call)
    reasons = []
    for rank, place in enumerate(places, start=1):
        reason = eligibility(profile, requirements_of(place), rules)
        if reason:
            reasons.append(
                _("Choice %(rank)s is not open to you: %(reason)s.") % {"rank": rank, "reason": reason}
            )
    if reasons:
        raise ValidationFailed({"choices": reasons})


def _write_choices(application: Application, places: list[CallPlace]) -> None:
    application.choices.all().delete()
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=application, place=place, rank=rank)
        for rank, place in enumerate(places, start=1)
    )


@transaction.atomic
def application_create(*, actor, call: Call, choices: list[Any], **fields: Any) -> Application:
    """Start an application (a draft) with ranked choices; one per person and call."""
    if not Call.objects.for_user(actor).filter(
        pk=call.pk
    ).exists() or call.owner_id not in roles_by_organisation(actor):
        raise NotFound(_("No such call."))
    call = lock(call)
    _require_open(call)
    if Application.objects.filter(call=call, student=actor).exists():
        raise Conflict(
            _("You have already applied to this call: edit that application."), code="duplicate", field="call"
        )
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    application = Application(call=call, student=actor, **fields)
    _check_record(application)
    places = _places(call, choices)
    _check_eligible(application, places)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise Conflict(_("You have already applied to this call."), code="duplicate", field="call") from exc
    _write_choices(application, places)
    return application


@transaction.atomic
def application_update(
    *,
    actor,
    application: Application,
    choices: list[Any] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Application:
    """Change an application until the deadline; a submitted one stays submitted. Refused when it is
    no longer at ``expected_version``; only the fields that changed are written (and the choices,
    when given)."""
    call = lock(application.call)
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.call = call
    _require_applicant(actor, application)
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    require_version(application, expected_version, fields)
    _require_open(call)
    if application.status not in EDITABLE_APPLICATIONS:
        raise Conflict(
            _("A withdrawn or excluded application cannot be changed."), code="wrong_status", field="status"
        )
    before = {name: getattr(application, name) for name in APPLICATION_FIELDS}
    for name, value in fields.items():
        setattr(application, name, value)
    _check_record(application)
    chosen = [choice.place for choice in application.choices.select_related("place")]
    places = _places(call, choices) if choices is not None else chosen
    _check_eligible(application, places)
    if application.status == ApplicationStatus.SUBMITTED and not places:
        raise ValidationFailed({"choices": [_("A submitted application needs at least one choice.")]})
    if places != chosen:
        _write_choices(application, places)
    if not save_changed(application, before, actor=actor) and places != chosen:
        application.save(update_fields=bump(application, actor))
    return application


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    _require_applicant(actor, application)
    _require_open(lock(application.call))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.DRAFT:
        raise Conflict(_("Only a draft can be submitted."), code="wrong_status", field="status")
    errors = {}
    if not application.choices.exists():
        errors["choices"] = [_("Choose at least one place.")]
    uploaded = set(application.documents.values_list("title", flat=True))
    missing = [title for title in application.call.required_documents if title not in uploaded]
    if missing:
        errors["documents"] = [
            _("Upload these documents before submitting: %(titles)s.") % {"titles": ", ".join(missing)}
        ]
    if errors:
        raise ValidationFailed(errors)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at", *bump(application, actor)])
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """Withdraw at any time; after publication the seat goes to the next in line at re-allocation."""
    _require_applicant(actor, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise Conflict(_("The application is already withdrawn."), code="wrong_status", field="status")
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.status_reason = reason.strip()
    application.save(update_fields=["status", "withdrawn_at", "status_reason", *bump(application, actor)])
    Nomination.objects.filter(
        application=application, status__in=[NominationStatus.PENDING, NominationStatus.ACCEPTED]
    ).update(
        status=NominationStatus.CANCELLED, reason=_("Withdrawn by the student."), decided_at=timezone.now()
    )
    return application


NOT_THERE = 0
"""The version an edit form carries for a record that did not exist when it was opened (no document of
that title yet, no review of one's own yet): one saved meanwhile makes the edit stale."""


@transaction.atomic
def document_upload(
    *, actor, application: Application, title: str, uploaded_file, expected_version: int | None = None
) -> ApplicationDocument:
    """Upload one of the call's required documents; uploading a title again replaces its file, if the
    document is still at ``expected_version`` (``NOT_THERE``: the uploader saw none of that title)."""
    _require_applicant(actor, application)
    call = lock(application.call)
    _require_open(call)
    if title not in call.required_documents:
        raise ValidationFailed(
            {
                "title": [
                    _("Upload one of: %(titles)s.") % {"titles": ", ".join(call.required_documents) or "-"}
                ]
            }
        )
    if uploaded_file.size > settings.ACCORD_MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(
            {
                "file": [
                    _("The file is larger than %(mb)s MB.")
                    % {"mb": settings.ACCORD_MAX_ATTACHMENT_BYTES // (1024 * 1024)}
                ]
            }
        )
    document = (
        ApplicationDocument.objects.select_for_update().filter(application=application, title=title).first()
    )
    if document is None:
        if expected_version not in (None, NOT_THERE):
            raise PreconditionFailed(
                _(
                    "The %(title)s you meant to replace was removed since you opened the page, so nothing "
                    "was uploaded. Upload it again to add it."
                )
                % {"title": title},
                field="file",
            )
        return ApplicationDocument.objects.create(
            application=application,
            title=title,
            file=uploaded_file,
            size=uploaded_file.size,
            updated_by=actor,
        )
    require_version(document, expected_version, ("file", "size", "uploaded_at"))
    old_name, storage = document.file.name, document.file.storage
    document.file, document.size, document.uploaded_at = uploaded_file, uploaded_file.size, timezone.now()
    document.save(update_fields=["file", "size", "uploaded_at", *bump(document, actor)])
    transaction.on_commit(partial(storage.delete, old_name))
    return document


@transaction.atomic
def document_remove(*, actor, document: ApplicationDocument, expected_version: int | None = None) -> None:
    """Remove an uploaded document while the call takes applications, if it is still the file the
    applicant meant (``expected_version``)."""
    application = document.application
    _require_applicant(actor, application)
    _require_open(lock(application.call))
    current = ApplicationDocument.objects.select_for_update().filter(pk=document.pk).first()
    if current is None:
        raise NotFound(_("This document was removed already."))
    require_version(current, expected_version, ("file", "size", "uploaded_at"))
    name, storage = current.file.name, current.file.storage
    current.delete()
    transaction.on_commit(partial(storage.delete, name))


@transaction.atomic
def applications_bulk(*, actor, call: Call, application_ids: list[int], action: str, reason: str = "") -> int:
    """Exclude submitted applications from the allocation (with a reason) or reinstate them."""
    require_manage(actor, call)
    call = lock(call)
    if call.status == CallStatus.PUBLISHED:
        raise Conflict(
            _("The allocation is published: applicants withdraw themselves, or partners reject."),
            code="wrong_status",
            field="status",
        )
    if action not in BulkAction.values:
        raise ValidationFailed({"action": [_("Choose exclude or reinstate.")]})
    applications = list(Application.objects.select_for_update().filter(call=call, pk__in=application_ids))
    if not application_ids or len(applications) != len(set(application_ids)):
        raise ValidationFailed({"application_ids": [_("Select applications of this call.")]})
    if action == BulkAction.EXCLUDE:
        if not reason.strip():
            raise ValidationFailed({"reason": [_("Say why the applications are excluded.")]})
        source, target = ApplicationStatus.SUBMITTED, ApplicationStatus.EXCLUDED
    else:
        source, target = ApplicationStatus.EXCLUDED, ApplicationStatus.SUBMITTED
    wrong = [a.pk for a in applications if a.status != source]
    if wrong:
        raise ValidationFailed(
            {
                "application_ids": [
                    _("Only %(status)s applications qualify; not: %(ids)s.")
                    % {"status": ApplicationStatus(source).label.lower(), "ids": ", ".join(map(str, wrong))}
                ]
            }
        )
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        status=target,
        status_reason=reason.strip() if target == ApplicationStatus.EXCLUDED else "",
        updated_at=timezone.now(),
        version=F("version") + 1,
        updated_by=actor,
    )
    event(call, EventKind.BULK, actor, f"{action} {len(applications)}: {reason.strip()}")
    return len(applications)


@transaction.atomic
def review_save(
    *, actor, application: Application, score: Any, comment: str = "", expected_version: int | None = None
) -> Review:
    """Score an application's motivation (or change one's score) on the call's review scale. A change
    of one's review made from an older view of it (``expected_version``; ``NOT_THERE`` for a first
    review) is refused, so a second tab never overwrites the first."""
    if application.student_id == actor.pk:
        raise PermissionDenied(_("Nobody reviews their own application."))
    if not Application.objects.for_user(actor, ExchangeAction.REVIEW).filter(pk=application.pk).exists():
        if Application.objects.for_user(actor).filter(pk=application.pk).exists():
            raise PermissionDenied(
                _("Only teachers, coordinators and admins of the call's organisation review.")
            )
        raise NotFound(_("No such application."))
    # The application's row serialises the reviews of it, a reviewer's first one included.
    application = Application.objects.select_for_update().get(pk=application.pk)
    call = Call.objects.get(pk=application.call_id)
    if application.status != ApplicationStatus.SUBMITTED or call.status == CallStatus.PUBLISHED:
        raise Conflict(
            _("Only submitted applications of unpublished calls are reviewed."),
            code="wrong_status",
            field="status",
        )
    try:
        value = Decimal(str(score))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= call.review_scale_max:
        raise ValidationFailed(
            {
                "score": [
                    _("Give a score from 0 to %(max)s; %(score)s is outside the scale.")
                    % {"max": call.review_scale_max, "score": score}
                ]
            }
        )
    values = {"score": value.quantize(Decimal("0.01")), "comment": comment.strip()}
    review = Review.objects.filter(application=application, reviewer=actor).first()
    if review is None:
        return Review.objects.create(application=application, reviewer=actor, updated_by=actor, **values)
    save_changes(review, values, actor=actor, expected_version=expected_version)
    return review
