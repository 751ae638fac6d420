"""HTTP responses for exports and template files, shared by the pages and the API."""

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.access import Action
from accord.core.errors import ValidationFailed
from accord.organisations import selectors
from accord.organisations.models import Contact, Organisation
from accord.organisations.transfer.columns import Target
from accord.organisations.transfer.exporting import (
    CONTENT_TYPES,
    Format,
    contact_records,
    csv_lines,
    organisation_records,
    xlsx_bytes,
)


def parse_format(value: str | None) -> Format:
    try:
        return Format((value or Format.CSV).lower())
    except ValueError:
        raise ValidationFailed(
            {"format": _("'%(value)s' is not a file format: use csv or xlsx.") % {"value": value}}
        ) from None


def _response(target: Target, fmt: Format, records, filename: str) -> HttpResponse | StreamingHttpResponse:
    if fmt == Format.CSV:
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            csv_lines(target, records), content_type=CONTENT_TYPES[fmt]
        )
    else:
        response = HttpResponse(xlsx_bytes(target, records), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt.value}"'
    response["Cache-Control"] = "no-store"
    return response


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%d-%H%M")


def organisations_export_response(*, user, filters, fmt: Format) -> HttpResponse | StreamingHttpResponse:
    """The directory as the user sees it with these filters (the directory page's query string)."""
    queryset, _form = selectors.organisation_list(user=user, filters=filters)
    return _response(Target.ORGANISATIONS, fmt, organisation_records(queryset), f"organisations-{_stamp()}")


def visible_contacts(*, user, organisations: QuerySet[Organisation]) -> QuerySet[Contact]:
    """The contacts of these organisations that the user may see."""
    return Contact.objects.for_user(user, Action.VIEW).filter(organisation__in=organisations)


def contacts_export_response(*, user, organisation: Organisation, fmt: Format):
    contacts = selectors.contacts_visible(user=user, organisation=organisation)
    slug = organisation.schac_code or f"organisation-{organisation.pk}"
    return _response(Target.CONTACTS, fmt, contact_records(contacts), f"contacts-{slug}-{_stamp()}")


def template_response(*, target: Target, fmt: Format) -> HttpResponse | StreamingHttpResponse:
    """An empty file with just the header row, to fill in and import."""
    return _response(target, fmt, [], f"{target.value}-template")
