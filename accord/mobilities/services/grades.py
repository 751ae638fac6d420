"""Grading scales, grade distribution tables, transcripts of records and grade conversion."""

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.algorithms.mobility.grade_conversion.conversion import convert, manual_conversion
from accord.algorithms.mobility.grade_conversion.distribution import GradeTableError, UnknownGradeError
from accord.algorithms.mobility.grade_conversion.files import parse_distribution_csv, parse_distribution_xlsx
from accord.algorithms.mobility.learning_agreement import EARNED_SECTIONS, parse_components
from accord.algorithms.mobility.terms import parse_term
from accord.algorithms.mobility.transcript import (
    TranscriptFileError,
    parse_transcript_csv,
    parse_transcript_xlsx,
)
from accord.core.concurrency import bump, require_version
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.mobilities import events
from accord.mobilities.choices import ConversionMethod, ConversionPolicy, EventKind, MobilityStatus
from accord.mobilities.models import (
    GradeConversion,
    GradeDistributionTable,
    GradingScale,
    Mobility,
    MobilitySettings,
    Transcript,
    TranscriptEntry,
)
from accord.mobilities.querysets import MobilityAction
from accord.mobilities.selectors import (
    conversion_tables,
    distribution,
    no_table_reason,
    settings_for,
    table_note,
)
from accord.mobilities.services._common import event, lock, notify_on_commit, require
from accord.mobilities.wording import term_hint
from accord.reference.isced import is_isced


def _policy_names() -> str:
    return ", ".join(str(label) for label in ConversionPolicy.labels)


TRANSCRIPT_STATUSES = frozenset({MobilityStatus.ONGOING, MobilityStatus.COMPLETED})
MAX_GRADES = 100


def _require_managing(actor, organisation) -> None:
    if not (
        is_platform_staff(actor) or organisation.pk in organisation_ids_with_roles(actor, MANAGING_ROLES)
    ):
        raise PermissionDenied(
            _("Only admins and coordinators of this institution can change its grading data.")
        )


def _grade_list(value, field: str, errors: dict) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    grades = [str(grade).strip() for grade in value or [] if str(grade).strip()]
    if len(grades) != len(set(grades)):
        errors[field] = _("Each grade is listed once.")
    if len(grades) > MAX_GRADES:
        errors[field] = _("A scale has at most %(n)s grades.") % {"n": MAX_GRADES}
    return grades


@transaction.atomic
def scale_save(*, actor, organisation, name: str, passing_grades, failing_grades=()) -> GradingScale:
    """Create or replace an institution's scale (by name); passing grades best first."""
    _require_managing(actor, organisation)
    errors: dict[str, str] = {}
    passing = _grade_list(passing_grades, "passing_grades", errors)
    failing = _grade_list(failing_grades, "failing_grades", errors)
    if not name.strip():
        errors["name"] = _("Name the scale.")
    if not passing:
        errors.setdefault("passing_grades", _("List the passing grades, best first."))
    if set(passing) & set(failing):
        errors["failing_grades"] = _("A grade cannot both pass and fail.")
    if errors:
        raise ValidationFailed(errors)
    scale, _created = GradingScale.objects.update_or_create(
        organisation=organisation,
        name=name.strip(),
        defaults={"passing_grades": passing, "failing_grades": failing},
    )
    for table in scale.tables.all():
        labels = [grade for grade, _count in table.counts]
        if labels != [grade for grade in passing if grade in labels]:
            raise ValidationFailed({"passing_grades": _("Existing distribution tables use other grades.")})
    return scale


@transaction.atomic
def settings_save(*, actor, organisation, conversion_policy: str, transcript_days: int, home_scale=None):
    _require_managing(actor, organisation)
    errors = {}
    if home_scale is not None and home_scale.organisation_id != organisation.pk:
        errors["home_scale_id"] = _("The home scale must be one of this institution's scales.")
    if not 0 < transcript_days <= 365:
        errors["transcript_days"] = _("Between 1 and 365 days.")
    if errors:
        raise ValidationFailed(errors)
    values = {
        "conversion_policy": conversion_policy,
        "transcript_days": transcript_days,
        "home_scale": home_scale,
    }
    found, _created = MobilitySettings.objects.update_or_create(organisation=organisation, defaults=values)
    return found


@transaction.atomic
def grade_table_import(
    *,
    actor,
    organisation,
    scale: GradingScale,
    filename: str,
    data: bytes,
    isced_code: str = "",
    eqf_level: int | None = None,
    reference_period: str = "",
) -> GradeDistributionTable:
    """Import a grade distribution table (CSV or XLSX, format of ``grade_conversion.files``) for a scale.

    Values given here win over the file's ``# ISCED code:`` and ``# EQF level:`` lines. A table for
    the same scale, field and cycle is replaced."""
    _require_managing(actor, organisation)
    if scale.organisation_id != organisation.pk:
        raise ValidationFailed({"scale_id": _("The scale belongs to another institution.")})
    if len(data) > settings.ACCORD_MAX_IMPORT_BYTES:
        raise ValidationFailed({"file": _("The file is too large.")})
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix == ".xlsx":
            table = parse_distribution_xlsx(data, default_scale=scale.name)
        elif suffix == ".csv":
            table = parse_distribution_csv(data.decode("utf-8-sig"), default_scale=scale.name)
        else:
            raise ValidationFailed({"file": _("Upload a .csv or .xlsx file.")})
    except UnicodeDecodeError as error:
        raise ValidationFailed({"file": _("The CSV file is not UTF-8 text.")}) from error
    except GradeTableError as error:
        raise ValidationFailed({"file": str(error)}) from error
    isced = isced_code or table.isced_code
    eqf = eqf_level if eqf_level is not None else table.eqf_level
    errors = {}
    if isced and not is_isced(isced):
        errors["isced_code"] = _("'%(code)s' is not an ISCED-F 2013 field.") % {"code": isced}
    unknown = [grade for grade in table.labels if grade not in scale.passing_grades]
    if unknown:
        errors["file"] = _("Not passing grades of %(scale)s: %(grades)s.") % {
            "scale": scale.name,
            "grades": ", ".join(unknown),
        }
    elif list(table.labels) != [grade for grade in scale.passing_grades if grade in table.labels]:
        errors["file"] = _("List the grades best first, in the order of the scale.")
    if errors:
        raise ValidationFailed(errors)
    found, _created = GradeDistributionTable.objects.update_or_create(
        organisation=organisation,
        scale=scale,
        isced_code=isced,
        eqf_level=eqf,
        defaults={
            "counts": [[entry.grade, entry.count] for entry in table.grades],
            "reference_period": reference_period or table.reference_period,
            "imported_by": actor,
        },
    )
    return found


def _component_refs(mobility: Mobility) -> tuple[dict[str, str], dict[str, str]]:
    """Refs of the approved agreement's components earned abroad, by code and by title."""
    agreement = getattr(mobility, "learning_agreement", None)
    version = agreement.approved_version if agreement else None
    if version is None:
        return {}, {}
    components = [c for c in parse_components(version.components) if c.section in EARNED_SECTIONS]
    return (
        {c.code.casefold(): c.ref for c in components if c.code},
        {c.title.casefold(): c.ref for c in components},
    )


@transaction.atomic
def transcript_record(
    *,
    actor,
    mobility: Mobility,
    scale: GradingScale,
    issued_on: date,
    entries: list[dict],
    expected_version: int | None = None,
) -> Transcript:
    """Record (or replace) the transcript: grades and credits per component, every grade in
    ``scale``. Entries are matched to the approved agreement's components by code, then by title.
    Nothing is written if any entry is wrong; errors name ``entries[i].field``. The transcript is
    part of its mobility: recording it counts as a write of the mobility, and is refused when the
    mobility is no longer at ``expected_version``, the version the person read."""
    lock(mobility)
    require(actor, MobilityAction.RECEIVE, mobility)
    require_version(mobility, expected_version)
    if mobility.status not in TRANSCRIPT_STATUSES:
        raise Conflict(
            _("A transcript is recorded once the participant has arrived, and before recognition."),
            code="no_transcript_yet",
        )
    errors: dict[str, str] = {}
    if scale.organisation_id != mobility.receiving_organisation_id:
        errors["scale_id"] = _("Use a grading scale of the receiving institution.")
    if not entries:
        errors["entries"] = _("Add at least one component.")
    by_code, by_title = _component_refs(mobility)
    rows = []
    for index, entry in enumerate(entries):
        prefix = f"entries[{index}]"
        title = str(entry.get("title") or "").strip()
        code = str(entry.get("code") or "").strip()
        grade = str(entry.get("grade") or "").strip()
        if not title:
            errors[f"{prefix}.title"] = _("The title is required.")
        try:
            credits = Decimal(str(entry.get("credits")).replace(",", "."))
            if not credits.is_finite() or credits < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[f"{prefix}.credits"] = _("Credits must be a number of zero or more.")
            credits = Decimal(0)
        if grade not in scale.grades:
            errors[f"{prefix}.grade"] = _("'%(grade)s' is not a grade of %(scale)s (%(grades)s).") % {
                "grade": grade,
                "scale": scale.name,
                "grades": ", ".join(scale.grades),
            }
        term = parse_term(str(entry.get("term") or ""))
        if term is None:
            errors[f"{prefix}.term"] = _("'%(value)s' is not a term: %(hint)s.") % {
                "value": entry.get("term"),
                "hint": term_hint(),
            }
        ref = by_code.get(code.casefold()) if code else None
        rows.append(
            TranscriptEntry(
                component_ref=ref or by_title.get(title.casefold(), ""),
                code=code,
                title=title,
                credits=credits,
                grade=grade,
                term=term or "",
                passed=grade in scale.passing_grades,
            )
        )
    if errors:
        raise ValidationFailed(errors)
    transcript, _created = Transcript.objects.update_or_create(
        mobility=mobility, defaults={"scale": scale, "issued_on": issued_on, "recorded_by": actor}
    )
    transcript.entries.all().delete()
    for row in rows:
        row.transcript = transcript
    TranscriptEntry.objects.bulk_create(rows)
    mobility.save(update_fields=bump(mobility, actor))
    event(mobility, EventKind.TRANSCRIPT, actor, _("%(n)s components recorded.") % {"n": len(rows)})
    notify_on_commit(mobility.pk, "transcript")
    publish(events.TranscriptRecorded(mobility))
    return transcript


def transcript_import(
    *, actor, mobility: Mobility, scale: GradingScale, issued_on: date, filename: str, data: bytes
) -> Transcript:
    """Read a CSV or XLSX transcript and record it; errors name the file's rows."""
    if len(data) > settings.ACCORD_MAX_IMPORT_BYTES:
        raise ValidationFailed({"file": _("The file is too large.")})
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix == ".xlsx":
            rows = parse_transcript_xlsx(data)
        elif suffix == ".csv":
            rows = parse_transcript_csv(data.decode("utf-8-sig"))
        else:
            raise ValidationFailed({"file": _("Upload a .csv or .xlsx file.")})
    except UnicodeDecodeError as error:
        raise ValidationFailed({"file": _("The CSV file is not UTF-8 text.")}) from error
    except TranscriptFileError as error:
        raise ValidationFailed(error.errors) from error
    entries = [
        {"code": row.code, "title": row.title, "credits": row.credits, "grade": row.grade, "term": row.term}
        for row in rows
    ]
    try:
        return transcript_record(
            actor=actor, mobility=mobility, scale=scale, issued_on=issued_on, entries=entries
        )
    except ValidationFailed as error:
        renamed: dict[str, list[str]] = {}
        for key, messages in error.errors.items():
            if key.startswith("entries["):
                index = int(key[len("entries[") : key.index("]")])
                key = f"row {rows[index].row}"
            renamed.setdefault(key, []).extend(messages)
        raise ValidationFailed(renamed) from error


def _entry_mobility(entry: TranscriptEntry) -> Mobility:
    return entry.transcript.mobility


@transaction.atomic
def grade_convert(*, actor, entry: TranscriptEntry, policy: str | None = None) -> GradeConversion:
    """Convert a passing grade with the two institutions' distribution tables (EGRACONS), with the
    sending institution's policy unless ``policy`` is given. The tables are those of the closest
    reference group both institutions have (``selectors.conversion_tables``), and the conversion says
    which in ``tables_used``. Without a table, refuses with ``no_table``: convert by hand with a reason
    then."""
    mobility = lock(_entry_mobility(entry))
    require(actor, MobilityAction.MANAGE, mobility)
    _refuse_if_recognised(mobility)
    if not entry.passed:
        raise Conflict(
            _("%(grade)s is a failing grade; only passing grades are converted.") % {"grade": entry.grade},
            code="failed_grade",
        )
    home_settings = settings_for(mobility.sending_organisation)
    choice = conversion_tables(mobility, entry.transcript.scale, home_settings.home_scale)
    if choice is None:
        raise Conflict(
            no_table_reason(mobility, entry.transcript.scale, home_settings.home_scale), code="no_table"
        )
    host_table, home_table = choice.host, choice.home
    chosen = policy or home_settings.conversion_policy
    if chosen not in ConversionPolicy.values:
        raise ValidationFailed(
            {"policy": _("Choose one of the policies: %(policies)s.") % {"policies": _policy_names()}}
        )
    try:
        result = convert(entry.grade, distribution(host_table), distribution(home_table), chosen)
    except UnknownGradeError as error:
        raise ValidationFailed(
            {
                "grade": _(
                    "%(grade)s is not in the receiving institution's table for %(scale)s, which lists "
                    "%(grades)s: import a table with every passing grade, or convert by hand."
                )
                % {"grade": error.grade, "scale": error.scale, "grades": ", ".join(error.valid_grades)}
            }
        ) from error
    conversion, _created = GradeConversion.objects.update_or_create(
        entry=entry,
        defaults={
            "host_grade": result.host_grade,
            "home_grade": result.home_grade,
            "method": ConversionMethod.TABLE,
            "policy": str(result.policy),
            "host_table": host_table,
            "home_table": home_table,
            "explanation": result.explanation,
            "tables_used": table_note(choice),
            "reason": "",
            "converted_by": actor,
        },
    )
    event(mobility, EventKind.CONVERTED, actor, f"{entry.title}: {result.host_grade} → {result.home_grade}")
    return conversion


@transaction.atomic
def grade_convert_manual(*, actor, entry: TranscriptEntry, home_grade: str, reason: str) -> GradeConversion:
    """Record a conversion decided by a person, with the reason shown to the student: the home grade
    must be one of the sending institution's home scale, and the reason is required."""
    mobility = lock(_entry_mobility(entry))
    require(actor, MobilityAction.MANAGE, mobility)
    _refuse_if_recognised(mobility)
    home_scale = settings_for(mobility.sending_organisation).home_scale
    grade, why = home_grade.strip(), reason.strip()
    errors = {}
    if home_scale is None:
        errors["home_grade"] = _(
            "Choose your institution's home scale on the grading page first, so that the grade can be "
            "checked against it."
        )
    elif not grade:
        errors["home_grade"] = _("Give the home grade, one of %(scale)s: %(grades)s.") % {
            "scale": home_scale.name,
            "grades": ", ".join(home_scale.grades),
        }
    elif grade not in home_scale.grades:
        errors["home_grade"] = _("'%(grade)s' is not a grade of %(scale)s; choose one of %(grades)s.") % {
            "grade": grade,
            "scale": home_scale.name,
            "grades": ", ".join(home_scale.grades),
        }
    if not why:
        errors["reason"] = _("Say why no table is used: the student reads this reason.")
    if errors:
        raise ValidationFailed(errors)
    result = manual_conversion(entry.grade, grade, why)
    conversion, _created = GradeConversion.objects.update_or_create(
        entry=entry,
        defaults={
            "host_grade": result.host_grade,
            "home_grade": result.home_grade,
            "method": ConversionMethod.MANUAL,
            "policy": "",
            "host_table": None,
            "home_table": None,
            "explanation": result.explanation,
            "tables_used": "",
            "reason": result.reason,
            "converted_by": actor,
        },
    )
    event(mobility, EventKind.CONVERTED, actor, result.explanation)
    return conversion


def _refuse_if_recognised(mobility: Mobility) -> None:
    if mobility.status == MobilityStatus.RECOGNISED:
        raise Conflict(_("Recognition is complete; grades no longer change."), code="recognised")
