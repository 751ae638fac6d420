"""Reports made in the background (``core.jobs``): the job reloads the scope as its owner, so access
is checked again, writes the file to ``default_storage`` under ``reports/`` and names it in its result;
the report page polls the job's progress and then offers the file."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.bips.exports import participants_export
from accord.core.errors import ValidationFailed
from accord.core.jobs import JobProgress, job_enqueue, job_handler
from accord.core.models import Job
from accord.evaluation import reports, selectors
from accord.evaluation.library import ScopeKind
from accord.partnerships.models import Partnership

REPORT_JOB = "evaluation.report"
FORMATS = ("pdf", "xlsx", "csv")


def _nothing_recorded(dashboard) -> ValidationFailed:
    period = f"{dashboard.period.labels[0]} – {dashboard.period.labels[-1]}"
    return ValidationFailed(
        {
            "from_year": _(
                "Nothing was recorded for %(name)s in %(period)s: no mobilities count in these academic "
                "years, so there is no report to make. Choose other years."
            )
            % {"name": dashboard.scope.label, "period": period}
        }
    )


def report_enqueue(
    *, actor, kind: str, pk: int | None, first_year: int | None, last_year: int | None, fmt: str
) -> Job:
    """Check the request now (access, period, a period with something in it) and start the job."""
    if fmt not in FORMATS:
        raise ValidationFailed({"fmt": _("Choose PDF, XLSX or CSV.")})
    scope, _record = selectors.scope_for_user(user=actor, kind=kind, pk=pk)
    period = selectors.period_from(first_year, last_year, timezone.localdate())
    dashboard = selectors.dashboard(user=actor, scope=scope, period=period)
    if dashboard.empty:
        raise _nothing_recorded(dashboard)
    label = _("Report of %(name)s, %(first)s–%(last)s (%(fmt)s)") % {
        "name": scope.label,
        "first": period.labels[0],
        "last": period.labels[-1],
        "fmt": fmt.upper(),
    }
    return job_enqueue(
        owner=actor,
        kind=REPORT_JOB,
        label=label[:200],
        payload={"kind": kind, "pk": pk, "first": period.first, "last": period.last, "fmt": fmt},
    )


@job_handler(REPORT_JOB)
def report_job(job: Job, progress: JobProgress) -> dict:
    payload = job.payload
    today = timezone.localdate()
    progress.update(1, 4, _("Reading the figures"))
    scope, record = selectors.scope_for_user(user=job.owner, kind=payload["kind"], pk=payload["pk"])
    period = selectors.period_from(payload["first"], payload["last"], today)
    dashboard = selectors.dashboard(user=job.owner, scope=scope, period=period)
    if dashboard.empty:
        raise _nothing_recorded(dashboard)
    progress.update(2, 4, _("Writing the report"))
    fmt = payload["fmt"]
    if fmt == "pdf":
        if scope.kind == ScopeKind.PARTNERSHIP and isinstance(record, Partnership):
            health = selectors.health_of(partnerships=[record], today=today)
            content = reports.partnership_report_pdf(
                dashboard=dashboard,
                objectives=selectors.tracked_objectives(partnership=record, today=today),
                health=health[0] if health else None,
                today=today,
            )
        else:
            partnerships = list(_portfolio_partnerships(job.owner, scope))
            content = reports.portfolio_review_pdf(
                dashboard=dashboard,
                health=selectors.health_of(partnerships=partnerships, today=today),
                today=today,
            )
    else:
        content = participants_export(reports.all_rows(dashboard), fmt, "report").content
    progress.update(3, 4, _("Saving the file"))
    name = default_storage.save(f"reports/{job.pk}.{fmt}", ContentFile(content))
    filename = f"accord-{scope.kind}-{period.first}-{period.last}.{fmt}"
    return {"file": name, "filename": filename, "format": fmt}


def _portfolio_partnerships(user, scope):
    return selectors.portfolio_partnerships(user=user, scope=scope)
