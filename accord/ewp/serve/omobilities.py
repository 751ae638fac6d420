"""Outgoing Mobilities v3 as the sending node serves it: which mobilities, mapped how, the documents
of get, index and update, and the endpoints.

Served are the student mobilities whose sending institution this node serves, never copies of other
nodes' mobilities, to a caller covering their receiving institution. A mobility that cannot be
written validly (see below) is left out and logged, as if unknown.

The caller sees the mobilities whose *receiving* institution it covers
(``request.ewp_client.hei_ids``); ``sending_hei_id`` is required and must be served here (400
otherwise). The receiving institution approves or rejects the nomination through ``update`` (POST, XML
body): the mobilities service moves our mobility to accepted or cancelled, acting as that institution's
system account (:func:`accord.ewp.services.partner_node_user`). An approval or a rejection of a
nomination that changed since the caller read it (another ``proposal-id``) answers 409. As a receiving
node, Accord sends its own decisions with :func:`update_request` (:mod:`accord.ewp.pull.omobilities`).

Mapping (documented in docs/decisions/0009-mobilities.md):

* **status**: nominated → ``pending``; cancelled while nominated by the receiving institution →
  ``rejected``; any other cancellation → ``cancelled``; accepted and every later status →
  ``approved`` (EWP's status ends at the nomination decision; later steps live in the learning
  agreement and the incoming mobility).
* **activity**: v3 only knows student mobilities for studies. Long-term physical → ``long-term``;
  blended and blended intensive programmes → ``short-term-blended``; short-term doctoral →
  ``short-term-doctoral``. Virtual mobilities and mobilities under a traineeship condition have no
  v3 form and are not served.
* **term**: Accord records planned dates, not terms: a mobility planned within its academic year is
  sent as the whole year (``<year>-1/1``), otherwise as a non-standard mobility period.
* **student**: name and e-mail from the account; birth date, nationality, gender and European
  Student Identifier from ``ParticipantDetails`` (all four are required by v3: without them the
  mobility is not served).
* **ISCED-F**: the nominee's code is the mobility's; the agreement's is the first four-digit code of
  the cooperation condition's subject areas, else the mobility's. Both must have four digits.
* **iia-ids**: both sides' ids, when the mobility's agreement is one this node serves and the
  partner's copy told us its id; otherwise neither.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, QueryDict
from lxml import etree

from accord.accounts.access import organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.algorithms.ewp.mobility import (
    EwpMobilityError,
    EwpStudentMobility,
    nomination_proposal_id,
    student_mobility_element,
)
from accord.ewp.node import xml
from accord.ewp.node.mobility_scope import NOT_SERVED_SOURCES
from accord.ewp.node.xml import qname, sub
from accord.ewp.serve.endpoint import EwpError, ewp_endpoint, xml_body, xml_response
from accord.ewp.serve.params import (
    LIMITS,
    academic_year,
    covered_hei_ids,
    modified_since,
    required_ids,
    served_hei,
)
from accord.ewp.services import partner_node_user
from accord.exchanges import services as exchanges_services
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import STAFF_TYPES, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility, MobilityEvent, MobilityTransition, ParticipantDetails
from accord.mobilities.services.mobility import academic_year_bounds

logger = logging.getLogger(__name__)

ACTIVITY_ATTRIBUTES = {
    MobilityType.LONG_TERM_PHYSICAL: "long-term",
    MobilityType.BLENDED: "short-term-blended",
    MobilityType.BLENDED_INTENSIVE: "short-term-blended",
    MobilityType.SHORT_TERM_DOCTORAL: "short-term-doctoral",
}


# --- which mobilities ---------------------------------------------------------------------------------


def _numbers(values: Iterable[str]) -> list[int]:
    # Our omobility-ids are primary keys (at most 19 digits); anything else names no mobility of ours.
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19]


def outgoing_mobilities(
    *,
    sending_hei_id: str | None,
    receiving_hei_ids: Iterable[str],
    omobility_ids: Iterable[str] | None = None,
    academic_year: str | None = None,
    modified_since: datetime | None = None,
) -> QuerySet[Mobility]:
    """Student mobilities sent by ``sending_hei_id`` (an institution this node serves; None: any) to
    one of ``receiving_hei_ids``, with everything :func:`ewp_student_mobility` reads."""
    mobilities = (
        Mobility.objects.filter(sending_organisation__ewp_node__isnull=False)
        .exclude(mobility_type__in=STAFF_TYPES)
        .exclude(source__in=NOT_SERVED_SOURCES)
        .annotate(sending_hei=Lower("sending_organisation__schac_code"))
        .annotate(receiving_hei=Lower("receiving_organisation__schac_code"))
        .filter(receiving_hei__in=[hei_id.lower() for hei_id in receiving_hei_ids])
    )
    if sending_hei_id is not None:
        mobilities = mobilities.filter(sending_hei=sending_hei_id.lower())
    if omobility_ids is not None:
        mobilities = mobilities.filter(pk__in=_numbers(omobility_ids))
    if academic_year is not None:
        mobilities = mobilities.filter(academic_year=academic_year)
    if modified_since is not None:
        mobilities = mobilities.filter(
            Q(updated_at__gt=modified_since)
            | Q(participant__participant_details__updated_at__gt=modified_since)
            | Exists(MobilityEvent.objects.filter(mobility=OuterRef("pk"), at__gt=modified_since))
        )
    cancellations = MobilityTransition.objects.filter(to_status=MobilityStatus.CANCELLED).select_related(
        "actor"
    )
    return (
        mobilities.select_related(
            "participant__participant_details",
            "sending_organisation",
            "receiving_organisation",
            "sending_unit",
            "receiving_unit",
            "agreement__owner",
        )
        .prefetch_related(
            Prefetch("transitions", queryset=cancellations, to_attr="ewp_cancellations"),
            "agreement__partner_copies",
        )
        .order_by("pk")
    )


# --- the mapping ----------------------------------------------------------------------------------------


def ewp_status(mobility: Mobility) -> str:
    if mobility.status == MobilityStatus.NOMINATED:
        return "pending"
    if mobility.status != MobilityStatus.CANCELLED:
        return "approved"
    cancellation = next(iter(getattr(mobility, "ewp_cancellations", None) or []), None)
    if cancellation is None:
        cancellation = mobility.transitions.filter(to_status=MobilityStatus.CANCELLED).first()
    if (
        cancellation is not None
        and cancellation.from_status == MobilityStatus.NOMINATED
        and cancellation.actor
    ):
        managing = organisation_ids_with_roles(cancellation.actor, MANAGING_ROLES)
        if (
            mobility.receiving_organisation_id in managing
            and mobility.sending_organisation_id not in managing
        ):
            return "rejected"
    return "cancelled"


def _condition(mobility: Mobility) -> dict | None:
    agreement = mobility.agreement
    if agreement is None or agreement.approved_version_id is None:
        return None
    conditions = agreement.approved_version.content.get("conditions", [])
    return next((c for c in conditions if c.get("key") == mobility.condition_key), None)


def _agreement_isced(mobility: Mobility, condition: dict | None) -> str:
    for area in (condition or {}).get("subject_areas") or []:
        code = (area or {}).get("isced_code") or ""
        if len(code) == 4 and code.isdigit():
            return code
    return mobility.isced_code


def _iia_ids(mobility: Mobility) -> tuple[str | None, str | None]:
    agreement = mobility.agreement
    if agreement is None or agreement.owner_id != mobility.sending_organisation_id:
        return None, None
    copy = next(
        (
            copy
            for copy in agreement.partner_copies.all()
            if copy.organisation_id == mobility.receiving_organisation_id and copy.remote_id
        ),
        None,
    )
    return (str(agreement.pk), copy.remote_id) if copy is not None else (None, None)


def _term(mobility: Mobility) -> str | None:
    first, last = academic_year_bounds(mobility.academic_year)
    if first <= mobility.planned_start and mobility.planned_end <= last:
        return f"{mobility.academic_year}-1/1"
    return None


def ewp_student_mobility(mobility: Mobility) -> EwpStudentMobility:
    """The mobility as a v3 ``student-mobility``; :class:`EwpMobilityError` says why it cannot be one."""
    attributes = ACTIVITY_ATTRIBUTES.get(mobility.mobility_type)
    if attributes is None:
        raise EwpMobilityError(f"a {mobility.mobility_type} mobility has no Outgoing Mobilities v3 form")
    condition = _condition(mobility)
    if condition is not None and condition.get("mobility_type") == "student_traineeship":
        raise EwpMobilityError("traineeships have no Outgoing Mobilities v3 form")
    try:
        details = mobility.participant.participant_details
    except ParticipantDetails.DoesNotExist:
        raise EwpMobilityError(
            "the participant's birth date, nationality, gender and student identifier are not recorded"
        ) from None
    if mobility.eqf_level is None:
        raise EwpMobilityError("the mobility has no EQF level")
    participant = mobility.participant
    sending_iia, receiving_iia = _iia_ids(mobility)
    mapped = EwpStudentMobility(
        omobility_id=str(mobility.pk),
        given_names=participant.first_name,
        family_name=participant.last_name,
        global_id=details.global_id,
        birth_date=details.birth_date,
        nationality=details.nationality,
        gender=details.gender,
        email=participant.email,
        sending_hei_id=mobility.sending_organisation.schac_code,
        sending_ounit_id=mobility.sending_unit.ounit_id if mobility.sending_unit else None,
        sending_iia_id=sending_iia,
        receiving_hei_id=mobility.receiving_organisation.schac_code,
        receiving_ounit_id=mobility.receiving_unit.ounit_id if mobility.receiving_unit else None,
        receiving_iia_id=receiving_iia,
        academic_term=_term(mobility),
        receiving_academic_year=mobility.academic_year,
        activity_attributes=attributes,
        agreement_isced=_agreement_isced(mobility, condition),
        eqf_level=mobility.eqf_level,
        nominee_isced=mobility.isced_code,
        status=ewp_status(mobility),
    )
    mapped.check()
    return mapped


def servable(mobilities: Iterable[Mobility]) -> list[tuple[Mobility, EwpStudentMobility]]:
    """The mobilities that can be served, each with its mapping; the others are logged and left out."""
    served = []
    for mobility in mobilities:
        try:
            served.append((mobility, ewp_student_mobility(mobility)))
        except EwpMobilityError as exc:
            logger.warning("Mobility %s is not served as an EWP omobility: %s", mobility.pk, exc)
    return served


# --- documents ------------------------------------------------------------------------------------------


def get_response(mobilities: list[EwpStudentMobility]) -> bytes:
    root = etree.Element(
        qname(xml.OMOBILITIES_GET, "omobilities-get-response"), nsmap={None: xml.OMOBILITIES_GET}
    )
    for mobility in mobilities:
        root.append(student_mobility_element(mobility))
    return xml.to_bytes(root)


def index_response(omobility_ids: list[str]) -> bytes:
    ns = xml.OMOBILITIES_INDEX
    root = etree.Element(qname(ns, "omobilities-index-response"), nsmap={None: ns})
    for omobility_id in omobility_ids:
        sub(root, ns, "omobility-id", omobility_id)
    return xml.to_bytes(root)


def update_response(message: str) -> bytes:
    return xml.update_response(xml.OMOBILITIES_UPDATE_RESPONSE, "omobilities-update-response", message)


# --- update requests ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NominationDecision:
    approve: bool
    omobility_id: str
    proposal_id: str
    comment: str = ""


def update_request(decision: NominationDecision) -> bytes:
    """The body the receiving node POSTs to the sending node's update endpoint."""
    ns = xml.OMOBILITIES_UPDATE_REQUEST
    root = etree.Element(qname(ns, "omobilities-update-request"), nsmap={None: ns})
    element = sub(root, ns, "approve-proposal-v1" if decision.approve else "reject-proposal-v1")
    sub(element, ns, "omobility-id", decision.omobility_id)
    sub(element, ns, "proposal-id", decision.proposal_id)
    if not decision.approve:
        sub(element, ns, "comment", decision.comment)
    return xml.to_bytes(root)


def parse_update(body: bytes) -> NominationDecision:
    """The ``omobilities-update-request`` in ``body``; anything else is a 400."""
    ns = xml.OMOBILITIES_UPDATE_REQUEST
    root = xml_body(body, ns, "omobilities-update-request")
    names = {qname(ns, "approve-proposal-v1"): True, qname(ns, "reject-proposal-v1"): False}
    updates = [child for child in root if child.tag in names]
    if len(updates) != 1:
        raise EwpError("the request must hold exactly one approve-proposal-v1 or reject-proposal-v1")
    update = updates[0]
    values = {
        name: (update.findtext(qname(ns, name)) or "").strip()
        for name in ("omobility-id", "proposal-id", "comment")
    }
    for name in ("omobility-id", "proposal-id"):
        if not values[name]:
            raise EwpError(f"{name} is required")
    approve = names[update.tag]
    if not approve and not values["comment"]:
        raise EwpError("a rejection needs its comment")
    return NominationDecision(approve, values["omobility-id"], values["proposal-id"], values["comment"])


# --- endpoints ------------------------------------------------------------------------------------------


@ewp_endpoint()
def omobilities_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = served_hei(params, "sending_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.mobility_ids)
    mobilities = outgoing_mobilities(
        sending_hei_id=sending, receiving_hei_ids=request.ewp_client.hei_ids, omobility_ids=ids
    )
    served = servable(mobilities)
    return xml_response(get_response([mapped for _mobility, mapped in served]))


@ewp_endpoint()
def omobilities_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = served_hei(params, "sending_hei_id", required=True)
    covered = covered_hei_ids(request)
    asked = params.getlist("receiving_hei_id")
    receivers = [hei_id for hei_id in asked if hei_id.lower() in covered] if asked else list(covered)
    year = academic_year(params)
    mobilities = outgoing_mobilities(
        sending_hei_id=sending,
        receiving_hei_ids=receivers,
        academic_year=year,
        modified_since=modified_since(params),
    )
    served = servable(mobilities)
    return xml_response(index_response([str(mobility.pk) for mobility, _ in served]))


def _stale() -> EwpError:
    return EwpError(
        "Your copy of the nomination is not up to date: refresh it from our server and repeat your request.",
        status=409,
    )


@ewp_endpoint()
def omobilities_update(request: HttpRequest, params: QueryDict) -> HttpResponse:
    if request.method != "POST":
        raise EwpError("the update endpoint takes POST with an XML body", status=405)
    decision = parse_update(request.body)
    # v3 update requests name no sending HEI: our omobility-ids are unique on the node.
    mobility = outgoing_mobilities(
        sending_hei_id=None,
        receiving_hei_ids=request.ewp_client.hei_ids,
        omobility_ids=[decision.omobility_id],
    ).first()
    if mobility is None:
        raise EwpError(
            f"no mobility {decision.omobility_id!r} of ours whose receiving institution the caller covers"
        )
    try:
        mapped = ewp_student_mobility(mobility)
    except EwpMobilityError as exc:
        raise EwpError(f"mobility {decision.omobility_id!r} is not served over EWP: {exc}") from None
    if nomination_proposal_id(mapped) != decision.proposal_id:
        raise _stale()
    status = ewp_status(mobility)
    wanted = "approved" if decision.approve else "rejected"
    if status == wanted:
        return xml_response(update_response("This decision was already recorded."))
    if status != "pending":
        raise EwpError(f"The nomination is {status} already: it cannot be {wanted} now.", status=409)
    actor = partner_node_user(mobility.receiving_organisation)
    with transaction.atomic():
        if decision.approve:
            mobility_services.mobility_transition(
                actor=actor, mobility=mobility, to_status=MobilityStatus.ACCEPTED
            )
            message = "Your approval of the nomination was recorded."
        else:
            mobility_services.mobility_transition(
                actor=actor,
                mobility=mobility,
                to_status=MobilityStatus.CANCELLED,
                reason=f"{decision.comment}\n\n— {mobility.receiving_organisation.schac_code} (via EWP)",
            )
            message = "Your rejection of the nomination was recorded."
        # A nomination of the exchanges app travels as this mobility: it follows the decision.
        exchanges_services.nomination_follow_mobility(actor=actor, mobility=mobility, reason=decision.comment)
    return xml_response(update_response(message))
