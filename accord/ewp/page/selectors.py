"""What the EWP page shows an institution's admins, read in a fixed number of queries: whether the
institution is served, the node's keys, what the registry's catalogue says about the node and the
institution's partners, the outbox, the last pulls and the last self-test."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.access import Action
from accord.core.errors import NotFound
from accord.core.models import Job
from accord.ewp.models import (
    GIVEN_UP,
    IiaPull,
    MobilityPull,
    NotificationStatus,
    OutgoingNotification,
    ServedInstitution,
)
from accord.ewp.node import keys
from accord.ewp.node.catalogue import Catalogue, catalogue_status
from accord.ewp.page.services import key_id_of
from accord.ewp.serve.discovery import own_manifest_url
from accord.ewp.tasks import SELFTEST_JOB
from accord.organisations.models import Organisation
from accord.organisations.selectors import get_organisation_for_user

# How many rows of each part of the outbox the page lists (the counts are always complete).
OUTBOX_ROWS = 50


def get_institution_for_admin(*, user, pk: int) -> Organisation:
    """The institution whose EWP page ``user`` opens: 404 when they may not see it or it has no SCHAC
    code (no EWP identity), 403 when they see it but are not its admin."""
    organisation = get_organisation_for_user(user=user, pk=pk, action=Action.CHANGE)
    if not organisation.schac_code:
        raise NotFound(_("This organisation has no SCHAC code, so no EWP identity."))
    return organisation


@dataclass(frozen=True)
class Partner:
    organisation: Organisation
    on_network: bool
    apis: list[str]


@dataclass(frozen=True)
class Registry:
    source: str
    read_at: datetime | None
    error: str
    lists_institution: bool
    lists_key: bool
    lists_next_key: bool


@dataclass
class Outbox:
    waiting: list[OutgoingNotification] = field(default_factory=list)
    retrying: list[OutgoingNotification] = field(default_factory=list)
    given_up: list[OutgoingNotification] = field(default_factory=list)
    sent: list[OutgoingNotification] = field(default_factory=list)
    skipped: int = 0


@dataclass(frozen=True)
class SelftestGroup:
    api: str
    results: list[dict]
    failed: int


@dataclass(frozen=True)
class EwpPage:
    organisation: Organisation
    served: bool
    manifest_url: str
    key_id: str
    next_key_id: str
    registry: Registry
    partners: list[Partner]
    outbox: Outbox
    iia_pulls: list[IiaPull]
    mobility_pulls: list[MobilityPull]
    selftest: Job | None


def ewp_page(*, user, organisation: Organisation) -> EwpPage:
    hei_id = organisation.schac_code or ""
    key_id, next_key_id = key_id_of(keys.node_private_key()), key_id_of(keys.node_next_key())
    status = catalogue_status()
    partners = _partners(organisation, status.catalogue)
    partner_heis = [(partner.organisation.schac_code or "").lower() for partner in partners]
    return EwpPage(
        organisation=organisation,
        served=ServedInstitution.objects.filter(organisation=organisation).exists(),
        manifest_url=own_manifest_url(hei_id),
        key_id=key_id,
        next_key_id=next_key_id,
        registry=_registry(status, hei_id, key_id, next_key_id),
        partners=partners,
        outbox=_outbox(hei_id),
        iia_pulls=list(IiaPull.objects.filter(partner_hei_id__in=partner_heis).order_by("partner_hei_id")),
        mobility_pulls=list(
            MobilityPull.objects.filter(partner_hei_id__in=partner_heis).order_by("partner_hei_id")
        ),
        selftest=last_selftest(user=user, hei_id=hei_id),
    )


def last_selftest(*, user, hei_id: str) -> Job | None:
    """The last self-test of the institution that ``user`` started (jobs are their owner's)."""
    return (
        Job.objects.filter(owner_id=user.pk, kind=SELFTEST_JOB, payload__hei_id=hei_id)
        .order_by("-created_at")
        .first()
    )


def selftest_groups(job: Job | None) -> list[SelftestGroup]:
    """A finished self-test's checks grouped by the API they test (the part of the check's name before
    its colon: "iias get", "echo"), failing groups first, each check with its reason."""
    if job is None or not job.result:
        return []
    groups: dict[str, list[dict]] = {}
    for result in job.result.get("results", []):
        api = result["name"].split(":", 1)[0] if ":" in result["name"] else _("Node")
        groups.setdefault(api, []).append(result)
    built = [
        SelftestGroup(api, results, sum(1 for result in results if result["status"] == "fail"))
        for api, results in groups.items()
    ]
    return sorted(built, key=lambda group: (group.failed == 0, group.api))


def _registry(status, hei_id: str, key_id: str, next_key_id: str) -> Registry:
    hosts = status.catalogue.hosts_covering(hei_id) if status.catalogue else []
    return Registry(
        source=status.source,
        read_at=status.read_at,
        error=status.error,
        lists_institution=bool(hosts),
        lists_key=bool(key_id) and any(key_id in host.client_key_ids for host in hosts),
        lists_next_key=bool(next_key_id) and any(next_key_id in host.client_key_ids for host in hosts),
    )


def _partners(organisation: Organisation, catalogue: Catalogue | None) -> list[Partner]:
    """The institution's partners with a SCHAC code (sharing a partnership or an agreement with it),
    and what the catalogue says each one's node serves."""
    partners = (
        Organisation.objects.filter(
            Q(partnership_memberships__partnership__members__organisation=organisation)
            | Q(agreements__parties=organisation)
        )
        .exclude(pk=organisation.pk)
        .exclude(schac_code__isnull=True)
        .exclude(schac_code="")
        .distinct()
        .order_by("name")
    )
    found = []
    for partner in partners:
        hosts = catalogue.hosts_covering(partner.schac_code) if catalogue else []
        apis = sorted({f"{api.name} {api.version}" for host in hosts for api in host.apis})
        found.append(Partner(partner, bool(hosts), apis))
    return found


def _outbox(hei_id: str) -> Outbox:
    rows = OutgoingNotification.objects.filter(sender_hei_id__iexact=hei_id)
    outbox = Outbox()
    pending = rows.filter(status=NotificationStatus.PENDING).order_by("next_attempt_at")[:OUTBOX_ROWS]
    for notification in pending:
        (outbox.retrying if notification.attempts else outbox.waiting).append(notification)
    outbox.given_up = list(rows.filter(status__in=GIVEN_UP).order_by("-next_attempt_at")[:OUTBOX_ROWS])
    outbox.sent = list(rows.filter(status=NotificationStatus.SENT).order_by("-sent_at")[:10])
    outbox.skipped = rows.filter(status=NotificationStatus.SKIPPED).count()
    return outbox


def catalogue_age(read_at: datetime | None) -> int | None:
    """Seconds since this process read the catalogue."""
    return None if read_at is None else int((timezone.now() - read_at).total_seconds())
