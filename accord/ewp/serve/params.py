"""The request parameters EWP endpoints share, read alike everywhere: a bad or missing one is a 400
``error-response`` that names it, and an institution the signing key does not cover is a 403. How many
ids an endpoint takes at most is in :data:`LIMITS`, which the manifest announces."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.http import HttpRequest, QueryDict

from accord.ewp import selectors
from accord.ewp.serve.endpoint import EwpError, param_list

_ACADEMIC_YEAR = re.compile(r"^[0-9]{4}/[0-9]{4}$")


@dataclass(frozen=True, slots=True)
class Limits:
    """The ``max-*`` values announced in the manifest and enforced by the endpoints."""

    hei_ids: int = 10
    ounit_ids: int = 100
    ounit_codes: int = 100
    iia_ids: int = 500
    approval_iia_ids: int = 100
    cnr_iia_ids: int = 100  # not announced (CNR manifest entries have no limit); a guard only
    omobility_ids: int = 100  # Outgoing Mobility Learning Agreements get
    cnr_omobility_ids: int = 100  # OMobility LA, OMobility and IMobility CNR receivers (announced)
    mobility_ids: int = 100  # Outgoing Mobilities get, Incoming Mobilities get
    factsheet_hei_ids: int = 10  # Mobility Factsheet
    tor_omobility_ids: int = 100  # Incoming Mobility ToRs get
    tor_cnr_omobility_ids: int = 100  # IMobility ToR CNR receiver (its manifest entry announces it)


LIMITS = Limits()


def single(params: QueryDict, name: str, *, required: bool = False) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise EwpError(f"{name} may be given once, it was given {len(values)} times")
    if not values and required:
        raise EwpError(f"{name} is required")
    return values[0] if values else None


def served_hei(params: QueryDict, name: str, *, required: bool = False) -> str | None:
    """A HEI parameter naming one of our institutions: others are refused."""
    hei_id = single(params, name, required=required)
    if hei_id is not None and selectors.served_institution(hei_id) is None:
        raise EwpError(f"this node does not cover the HEI {hei_id!r} ({name})")
    return hei_id


def covered_hei_ids(request: HttpRequest) -> set[str]:
    """The caller's HEIs (those the registry says its key covers), lower-cased."""
    return {hei_id.lower() for hei_id in request.ewp_client.hei_ids}


def callers_heis(request: HttpRequest, params: QueryDict, name: str, *, required: bool = False) -> list[str]:
    """The caller's HEIs, or the one it names, which must be among them (the specifications ask
    servers to check that a notifier is bound to the key that signed)."""
    hei_id = single(params, name, required=required)
    if hei_id is None:
        return list(request.ewp_client.hei_ids)
    if hei_id.lower() not in covered_hei_ids(request):
        raise EwpError(f"the key that signed this request does not cover {hei_id!r} ({name})", status=403)
    return [hei_id]


def required_ids(params: QueryDict, name: str, *, limit: int) -> list[str]:
    ids = param_list(params, name, limit=limit)
    if not ids:
        raise EwpError(f"{name} is required (repeatable)")
    return ids


def academic_years(params: QueryDict, name: str = "receiving_academic_year_id") -> list[str]:
    years = params.getlist(name)
    malformed = [year for year in years if not _ACADEMIC_YEAR.match(year)]
    if malformed:
        raise EwpError(f"{name} must look like 2026/2027, not {malformed[0]!r}")
    return years


def academic_year(params: QueryDict, name: str = "receiving_academic_year_id") -> str | None:
    single(params, name)
    years = academic_years(params, name)
    return years[0] if years else None


def modified_since(params: QueryDict) -> datetime | None:
    text = single(params, "modified_since")
    if text is None:
        return None
    try:
        since = datetime.fromisoformat(text)
    except ValueError:
        raise EwpError(f"modified_since is not an xs:dateTime: {text!r}") from None
    return since if since.tzinfo else since.replace(tzinfo=UTC)
