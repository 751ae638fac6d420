"""What an institution's admins do with the EWP node from its page: serve the institution, create and
rotate the node's key, send a given-up notification again, import a partner's IIA file and start the
self-test.

Each write takes what the page showed (``seen_*``) and refuses with a Conflict when the node changed
since, as every edit in Accord does (decision 11): two admins on the page at once never undo each
other's step. Permission is checked before anything the request carries is looked at.

A package of its own rather than part of ``ewp.services``: the serving modules import that one (the
partner's system account), and this one starts the self-test job, which calls the serving side.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.access import Action, may
from accord.algorithms.ewp.http_signature import key_id
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.core.jobs import job_enqueue
from accord.core.models import Job
from accord.ewp.models import GIVEN_UP, NotificationStatus, OutgoingNotification, ServedInstitution
from accord.ewp.node import keys
from accord.ewp.node.catalogue import CatalogueError, get_catalogue
from accord.ewp.node.iia_content import ImportReport, import_iias
from accord.ewp.notify import outbox
from accord.ewp.tasks import SELFTEST_JOB
from accord.organisations.models import Organisation


def _require_admin(actor, organisation: Organisation) -> None:
    if not may(actor, Action.CHANGE, organisation.pk):
        raise PermissionDenied(_("Only the institution's admins can run its EWP node."))


def _require_served(organisation: Organisation) -> None:
    if not ServedInstitution.objects.filter(organisation=organisation).exists():
        raise Conflict(_("Serve the institution over EWP first."), code="not_served")


def _stale(seen: str, now: str) -> None:
    if seen != now:
        raise Conflict(
            _("Someone changed the node's keys since you loaded the page. Reload it and check again."),
            code="stale_version",
        )


def institution_serve(*, actor, organisation: Organisation, serve: bool, seen_served: bool) -> bool:
    """Start or stop serving ``organisation`` over EWP (its manifest, its APIs); answers the new state."""
    _require_admin(actor, organisation)
    if not organisation.schac_code:
        raise ValidationFailed(
            {
                "serve": _(
                    "Give the organisation a SCHAC code first: "
                    "it identifies the institution on the EWP network."
                )
            }
        )
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        served = ServedInstitution.objects.filter(organisation=organisation).exists()
        if served != seen_served:
            raise Conflict(
                _("Someone changed whether this institution is served since you loaded the page."),
                code="stale_version",
            )
        if serve and not served:
            ServedInstitution.objects.create(organisation=organisation)
        elif not serve and served:
            ServedInstitution.objects.filter(organisation=organisation).delete()
    return serve


def node_key_create(*, actor, organisation: Organisation, seen_key_id: str) -> str:
    """Create the node's first key; answers its keyId."""
    _require_admin(actor, organisation)
    _require_served(organisation)
    _stale(seen_key_id, key_id_of(keys.node_private_key()))
    try:
        key = keys.create_node_key()
    except keys.NodeKeyExists:
        raise Conflict(_("The node has a key already."), code="key_exists") from None
    return key_id_of(key)


def node_key_rotation_start(*, actor, organisation: Organisation, seen_key_id: str) -> str:
    """Create the next key, published beside the current one; answers the next key's keyId."""
    _require_admin(actor, organisation)
    _require_served(organisation)
    _stale(seen_key_id, key_id_of(keys.node_private_key()))
    try:
        key = keys.start_rotation()
    except keys.NoNodeKey:
        raise Conflict(_("Create the node's key first."), code="no_key") from None
    except keys.NodeKeyExists:
        raise Conflict(_("A rotation is already under way."), code="rotation_under_way") from None
    return key_id_of(key)


def node_key_rotation_finish(*, actor, organisation: Organisation, seen_next_key_id: str) -> str:
    """Sign with the next key from now on. Refused while the registry does not list it yet, since
    partners would then refuse every request; answers the new current keyId."""
    _require_admin(actor, organisation)
    _require_served(organisation)
    next_key = keys.node_next_key()
    _stale(seen_next_key_id, key_id_of(next_key))
    if next_key is None:
        raise Conflict(_("No rotation is under way."), code="no_rotation")
    if not registry_lists_key(organisation.schac_code or "", key_id_of(next_key)):
        raise Conflict(
            _(
                "The registry does not list the new key for this institution yet; partners would "
                "refuse requests signed with it. Wait until the registry has read the manifest again."
            ),
            code="not_in_registry",
        )
    return key_id_of(keys.finish_rotation())


def notification_retry(
    *, actor, organisation: Organisation, notification_id: int, seen_attempts: int
) -> OutgoingNotification:
    """Send a notification the node gave up on (refused, or not delivered within a day) again."""
    _require_admin(actor, organisation)
    with transaction.atomic():
        notification = (
            OutgoingNotification.objects.select_for_update()
            .filter(pk=notification_id, sender_hei_id__iexact=organisation.schac_code or "")
            .first()
        )
        if notification is None:
            raise NotFound(_("No such notification."))
        if notification.status not in GIVEN_UP or notification.attempts != seen_attempts:
            raise Conflict(
                _("This notification changed since you loaded the page: it is now “%(status)s”.")
                % {"status": notification.get_status_display()},
                code="stale_version",
            )
        if OutgoingNotification.objects.filter(
            kind=notification.kind,
            partner_hei_id=notification.partner_hei_id,
            iia_id=notification.iia_id,
            status=NotificationStatus.PENDING,
        ).exists():
            raise Conflict(
                _("A newer notification of the same change is already waiting to be sent."),
                code="already_pending",
            )
        outbox.rearm(notification)
    return notification


def iias_import(*, actor, organisation: Organisation, document: bytes) -> ImportReport:
    """Import a partner's IIA file (an IIAs get-response) as received by ``organisation``."""
    _require_admin(actor, organisation)
    return import_iias(document, receiver_hei_id=organisation.schac_code or "")


def selftest_start(*, actor, organisation: Organisation) -> Job:
    """Run the conformance self-test against this node's own manifest of the institution, in the
    background; the job's result holds every check's outcome."""
    _require_admin(actor, organisation)
    _require_served(organisation)
    if keys.node_private_key() is None:
        raise Conflict(
            _("Create the node's key first: the self-test signs its requests with it."), code="no_key"
        )
    return job_enqueue(
        owner=actor,
        kind=SELFTEST_JOB,
        label=_("EWP self-test of %(hei_id)s") % {"hei_id": organisation.schac_code},
        payload={"hei_id": organisation.schac_code},
    )


def key_id_of(key) -> str:
    """The keyId (SHA-256 of the public key) of a private key, or "" for none."""
    return key_id(key.public_key()) if key is not None else ""


def registry_lists_key(hei_id: str, key_fingerprint: str) -> bool:
    """Whether a catalogue host covering ``hei_id`` lists the key as a client credential."""
    try:
        catalogue = get_catalogue()
    except CatalogueError:
        return False
    return any(key_fingerprint in host.client_key_ids for host in catalogue.hosts_covering(hei_id))
