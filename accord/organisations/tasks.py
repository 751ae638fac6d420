"""Background work of the directory: imports of organisations and contacts, and the XLSX export.

Where the uploaded file waits for the worker
--------------------------------------------
The bytes are saved to ``default_storage`` under ``imports/<uuid>`` and the job's payload holds only
that name; the handler deletes the file when it finishes, whatever the outcome. Storing the file
base64-encoded in ``Job.payload`` would be simpler, but the job row is read on every poll of the
progress page (once a second) and is kept as the record of the import, so a 5 MiB upload would
become ~7 MiB read per poll and kept for ever. Workers on other hosts need ``default_storage`` to be
shared (object storage or a shared volume) — which uploaded logos already require.

The XLSX export of the directory takes seconds for a few thousand organisations (a workbook cannot be
streamed the way CSV is), so it runs as a job too: the file goes to ``exports/<job id>.xlsx`` and the
job's page links to it once it is written. CSV stays a direct, streamed download.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core.errors import ValidationFailed
from accord.core.jobs import JobProgress, job_enqueue, job_handler
from accord.core.models import Job
from accord.organisations import selectors
from accord.organisations.transfer import ImportFailed, Mode, Target, import_file
from accord.organisations.transfer.columns import refuse
from accord.organisations.transfer.exporting import organisation_records, xlsx_bytes
from accord.organisations.transfer.reading import size_text

IMPORT_JOB = "organisations.import"
EXPORT_JOB = "organisations.export"
_STORAGE_PREFIX = "imports/"
_EXPORT_PREFIX = "exports/"


def import_enqueue(*, actor, data: bytes, filename: str, target: Target | str, mode: Mode | str) -> Job:
    """Keep the upload and start its import in the background; the job's page shows the outcome.

    The size limit is checked here already, so that an oversized upload is refused at once.
    """
    target, mode = Target(target), Mode(mode)
    limit = settings.ACCORD_MAX_IMPORT_BYTES
    if len(data) > limit:
        message = f"The file is {size_text(len(data))}; files of at most {size_text(limit)} can be imported."
        raise ValidationFailed({"file": message})
    if not data:
        raise ValidationFailed({"file": _("The file is empty.")})
    suffix = PurePath(filename).suffix.lower()[:8] if filename else ""
    stored = default_storage.save(f"{_STORAGE_PREFIX}{uuid.uuid4()}{suffix}", ContentFile(data))
    display = PurePath(filename).name[:100] if filename else "an uploaded file"
    return job_enqueue(
        owner=actor,
        kind=IMPORT_JOB,
        label=f"Import of {target.value} from {display}"[:200],
        payload={"file": stored, "filename": display, "target": target.value, "mode": mode.value},
    )


@job_handler(IMPORT_JOB)
def import_job(job: Job, progress: JobProgress) -> dict:
    """Run an import; a refused file ends the job as FAILED with ``result["errors"]``, at 100 %."""
    payload = job.payload
    try:
        try:
            with default_storage.open(payload["file"], "rb") as stored:
                data = stored.read()
        except FileNotFoundError:
            raise refuse("The uploaded file is no longer available; upload it again.") from None
        outcome = import_file(
            data, target=payload["target"], mode=payload["mode"], actor=job.owner, progress=progress.update
        )
    except ImportFailed as exc:
        progress.update(1, 1, exc.message)
        raise
    finally:
        if default_storage.exists(payload["file"]):
            default_storage.delete(payload["file"])
    return outcome.as_dict()


def export_enqueue(*, actor, filters: QueryDict) -> Job:
    """Start writing the directory as the user sees it with these filters (the directory page's
    query string) to an XLSX file; the job's page shows its progress and then the download link."""
    return job_enqueue(
        owner=actor,
        kind=EXPORT_JOB,
        label="Export of the directory (XLSX)",
        payload={"filters": {key: filters.getlist(key) for key in filters}},
    )


@job_handler(EXPORT_JOB)
def export_job(job: Job, progress: JobProgress) -> dict:
    """Write the workbook, reporting progress per organisation; the last percent is the saving."""
    filters = QueryDict(mutable=True)
    for key, values in job.payload.get("filters", {}).items():
        filters.setlist(key, values)
    queryset, _form = selectors.organisation_list(user=job.owner, filters=filters)
    total = queryset.count()

    def counted(records):
        for done, record in enumerate(records, start=1):
            progress.update(done, total + 1)
            yield record

    data = xlsx_bytes(Target.ORGANISATIONS, counted(organisation_records(queryset)))
    stored = default_storage.save(f"{_EXPORT_PREFIX}{job.pk}.xlsx", ContentFile(data))
    return {
        "file": stored,
        "rows": total,
        "filename": f"organisations-{timezone.now():%Y%m%d-%H%M}.xlsx",
    }
