"""Reads for accounts, always from the acting user's point of view."""

import base64

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.accounts.access import Action, is_member, is_platform_staff, may
from accord.accounts.models import ApiToken, Invitation, Membership, User, hash_secret
from accord.core.errors import NotFound, PermissionDenied


def get_organisation_for_member_admin(*, user, organisation_id: int):
    """The organisation whose members ``user`` manages.

    Outsiders get "not found" (who belongs where is not public); members who are not admins get
    "permission denied", since they know the organisation exists.
    """
    if not (is_platform_staff(user) or is_member(user, organisation_id)):
        raise NotFound(_("No such organisation."))
    # Looked up by app label: the directory app builds on this one, not the reverse.
    organisation = apps.get_model("organisations", "Organisation").objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(_("No such organisation."))
    if not may(user, Action.MANAGE_MEMBERS, organisation.pk):
        raise PermissionDenied(_("You may see this organisation but not change it."))
    return organisation


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def account_exists_for_email(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def member_list(*, organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def _open_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def pending_invitations(*, organisation) -> QuerySet[Invitation]:
    return _open_invitations().filter(organisation=organisation).select_related("invited_by")


def invitations_for_user(*, user) -> QuerySet[Invitation]:
    """Open invitations addressed to the user's e-mail (accepted through the e-mailed link)."""
    if not user.email:
        return Invitation.objects.none()
    return _open_invitations().filter(email__iexact=user.email).select_related("organisation")


def invitation_by_secret(*, secret: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(secret_hash=hash_secret(secret)).first()


def tokens_for_user(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def two_factor_state(*, user) -> tuple[TOTPDevice | None, TOTPDevice | None]:
    """(confirmed device, device awaiting confirmation), from one query."""
    confirmed = pending = None
    for device in TOTPDevice.objects.filter(user=user).order_by("-id"):
        if device.confirmed and confirmed is None:
            confirmed = device
        elif not device.confirmed and pending is None:
            pending = device
    return confirmed, pending


def totp_secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, grouped by four, for typing into an app that cannot scan the QR code."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
