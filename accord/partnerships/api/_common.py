"""What the modules of the partnerships API share: the partnership as the user may see it, its answer,
and the people and meetings a payload names by id."""

from django.http import HttpRequest
from ninja import Schema

from accord.partnerships import selectors
from accord.partnerships.models import Partnership
from accord.partnerships.schemas import PartnershipOut


class PartnershipFilters(Schema):
    q: str | None = None
    status: str | None = None
    model: str | None = None
    organisation: int | None = None
    ordering: str | None = None


def partnership_for(request: HttpRequest, partnership_id: int) -> Partnership:
    return selectors.get_partnership_for_user(user=request.user, pk=partnership_id)


def partnership_out(request: HttpRequest, partnership: Partnership) -> dict:
    # Re-read through the selector so that members and contacts come prefetched and current.
    partnership = partnership_for(request, partnership.pk)
    return {
        **{
            field: getattr(partnership, field)
            for field in PartnershipOut.model_fields
            if hasattr(partnership, field)
        },
        "members": list(partnership.members.all()),
        "responsible_contacts": list(partnership.responsible_contacts.all()),
        "allowed_next_statuses": list(selectors.allowed_next_statuses(partnership=partnership)),
        "permissions": selectors.partnership_permissions(user=request.user, partnership=partnership),
    }


def people_from_ids(
    partnership: Partnership, data: dict, key: str, field: str, *, many: bool = False
) -> None:
    """Turn ``<field>_id(s)`` in the payload into users who work at member organisations."""
    if key not in data:
        return
    ids = data.pop(key)
    if ids is None:
        data[field] = None
        return
    people = selectors.people_by_id(partnership=partnership, ids=ids if many else [ids], field=key)
    data[field] = people if many else people[0]


def meeting_from_id(partnership: Partnership, data: dict) -> None:
    if "meeting_id" in data:
        data["meeting"] = selectors.optional_meeting(partnership=partnership, pk=data.pop("meeting_id"))
