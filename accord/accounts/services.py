"""Writes to accounts: invitations, memberships and two-factor devices.

Every function is keyword-only, atomic and validates before it saves; refusals are domain errors
(``accord.core.errors``), so a refused request changes nothing. API tokens live in ``tokens.py``.
"""

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.accounts.access import Action, forget_roles, is_platform_staff, may
from accord.accounts.choices import Role
from accord.accounts.models import Invitation, Membership, User, hash_secret
from accord.core.concurrency import bump, require_version
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.core.mail import language_of

TOTP_DEVICE_NAME = "Authenticator app"


# --- preferences -------------------------------------------------------------------------------


@transaction.atomic
def user_language_set(*, actor, language: str) -> User:
    """Save the language the user reads Accord and its e-mails in; blank follows the browser."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to choose your language."))
    language = (language or "").strip()
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationFailed({"language": _("Choose one of the languages offered.")})
    User.objects.filter(pk=actor.pk).update(language=language)
    actor.language = language
    return actor


# --- invitations -------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """Invitations and look-ups compare addresses case-insensitively; we store them lower-cased."""
    return (email or "").strip().lower()


def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise ValidationFailed(
            {"role": _("Choose one of the roles: %(roles)s.") % {"roles": ", ".join(Role.values)}}
        )
    return role


def _require_member_manager(actor, organisation_id: int) -> None:
    if not may(actor, Action.MANAGE_MEMBERS, organisation_id):
        raise PermissionDenied(_("Only the organisation's admins may manage its members."))


def invitation_accept_url(secret: str) -> str:
    return settings.ACCORD_BASE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[secret])


def _send_invitation_email(*, invitation: Invitation, secret: str, inviter_name: str) -> None:
    context = {
        "invitation": invitation,
        "organisation_name": invitation.organisation.name,
        "role": invitation.get_role_display(),
        "inviter": inviter_name,
        "url": invitation_accept_url(secret),
    }
    with translation.override(language_of(invitation.email)):
        context["role"] = invitation.get_role_display()
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(*, actor, organisation, email: str, role: str) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation`` with ``role``; returns the invitation and its secret.

    Only the secret's hash is stored; the secret travels in the e-mail, sent once the transaction
    commits. A new invitation to the same address replaces any still-open one (its link stops working).
    """
    _require_member_manager(actor, organisation.pk)
    email = normalise_email(email)
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed({"email": _("Enter a valid e-mail address.")}) from None
    role = _clean_role(role)
    _require_admin_among(actor, _locked_memberships(organisation.pk))
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Conflict(
            _("%(email)s is already a member of this organisation.") % {"email": email},
            code="already_member",
            field="email",
        )
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        secret_hash=hash_secret(secret),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.ACCORD_INVITATION_DAYS),
    )
    transaction.on_commit(
        partial(
            _send_invitation_email,
            invitation=invitation,
            secret=secret,
            inviter_name=str(actor),
        )
    )
    return invitation, secret


@transaction.atomic
def invitation_revoke(*, actor, invitation_id: int) -> Invitation:
    organisation_id = (
        Invitation.objects.filter(pk=invitation_id).values_list("organisation_id", flat=True).first()
    )
    if organisation_id is None or not may(actor, Action.MANAGE_MEMBERS, organisation_id):
        raise NotFound(_("No such invitation."))
    # The memberships first, as every change of members takes them: the actor's role is read again
    # under that lock (an admin removed a moment ago revokes nothing), and the order cannot deadlock.
    _require_admin_among(actor, _locked_memberships(organisation_id))
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation has already been accepted."), code="invitation_used")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


INVITATION_CLOSED_MESSAGES = {
    "accepted": gettext_lazy("This invitation has already been used."),
    "revoked": gettext_lazy("This invitation has been withdrawn by the organisation."),
    "expired": gettext_lazy("This invitation has expired. Ask the organisation's admin to invite you again."),
}


def invitation_closed_message(status: str) -> str:
    return str(INVITATION_CLOSED_MESSAGES[status])


def _open_invitation_for_update(secret: str) -> Invitation:
    # The invitation's row alone: its organisation is read after the lock, not locked with it.
    invitation = Invitation.objects.select_for_update().filter(secret_hash=hash_secret(secret or "")).first()
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Check that you copied all of it."))
    if invitation.status != "open":
        raise Conflict(invitation_closed_message(invitation.status), code=f"invitation_{invitation.status}")
    return invitation


def _join(*, invitation: Invitation, user: User) -> Membership:
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        # An existing membership keeps its role: accepting an invitation never demotes anyone.
        membership = Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_roles(user)
    return membership


@transaction.atomic
def invitation_accept(*, actor, secret: str) -> Membership:
    """A signed-in user accepts an invitation addressed to their own e-mail."""
    invitation = _open_invitation_for_update(secret)
    if normalise_email(actor.email) != normalise_email(invitation.email):
        raise PermissionDenied(
            _("This invitation was sent to %(email)s; sign in with that account to accept it.")
            % {"email": invitation.email}
        )
    return _join(invitation=invitation, user=actor)


@transaction.atomic
def invitation_accept_new_user(
    *, secret: str, username: str, first_name: str, last_name: str, password: str
) -> Membership:
    """A newcomer accepts: their account is created with the invited e-mail, then they join."""
    invitation = _open_invitation_for_update(secret)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise Conflict(
            _("An account with this e-mail already exists. Sign in to accept the invitation."),
            code="account_exists",
        )
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    user = User(
        username=username,
        email=invitation.email,
        first_name=(first_name or "").strip()[:150],
        last_name=(last_name or "").strip()[:150],
    )
    try:
        user.clean_fields(exclude=["password"])
    except DjangoValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if username and User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("This username is taken; choose another."))
    try:
        validate_password(password or "", user=user)
    except DjangoValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed(errors)
    user.set_password(password)
    user.save()
    return _join(invitation=invitation, user=user)


# --- memberships -------------------------------------------------------------------------------


def _locked_memberships(organisation_id: int) -> list[Membership]:
    """Lock every membership of the organisation, so that two admins cannot demote each other at once.

    The rows alone, in id order: the model's default ordering joins the organisation and the users,
    whose rows ``FOR UPDATE`` would lock too (holding up every sign-in of those members)."""
    return list(Membership.objects.select_for_update().filter(organisation_id=organisation_id).order_by("pk"))


def _refuse_if_last_admin(memberships: list[Membership], changing: Membership) -> None:
    admins = [m for m in memberships if m.role == Role.ADMIN]
    if changing.role == Role.ADMIN and len(admins) <= 1:
        raise Conflict(
            _("An organisation needs at least one admin. Make someone else an admin first."),
            code="last_admin",
        )


def _require_admin_among(actor, memberships: list[Membership]) -> None:
    """The actor's own role, read from the locked rows: an admin removed or demoted a moment ago was
    admitted by the roles read at the start of the request, but may no longer manage members."""
    if is_platform_staff(actor):
        return
    own = next((m for m in memberships if m.user_id == actor.pk), None)
    if own is None or own.role != Role.ADMIN:
        forget_roles(actor)
        raise PermissionDenied(
            _("You are no longer an admin of this organisation, so you cannot manage its members.")
        )


def _membership_for_update(actor, membership_id: int) -> tuple[Membership, list[Membership]]:
    target = Membership.objects.filter(pk=membership_id).only("organisation_id").first()
    if target is None or not may(actor, Action.MANAGE_MEMBERS, target.organisation_id):
        raise NotFound(_("No such member."))
    memberships = _locked_memberships(target.organisation_id)
    _require_admin_among(actor, memberships)
    membership = next((m for m in memberships if m.pk == membership_id), None)
    if membership is None:
        raise NotFound(_("No such member."))
    return membership, memberships


@transaction.atomic
def membership_change_role(
    *, actor, membership_id: int, role: str, expected_version: int | None = None
) -> Membership:
    role = _clean_role(role)
    membership, memberships = _membership_for_update(actor, membership_id)
    require_version(membership, expected_version, ("role",))
    if membership.role == role:
        return membership
    if role != Role.ADMIN:
        _refuse_if_last_admin(memberships, membership)
    membership.role = role
    membership.save(update_fields=["role", *bump(membership, actor)])
    forget_roles(membership.user)
    forget_roles(actor)
    return membership


@transaction.atomic
def membership_remove(*, actor, membership_id: int, expected_version: int | None = None) -> None:
    membership, memberships = _membership_for_update(actor, membership_id)
    require_version(membership, expected_version, ("role",))
    _refuse_if_last_admin(memberships, membership)
    membership.delete()
    forget_roles(actor)


# --- two-factor sign-in (TOTP) -----------------------------------------------------------------


def _verified_device(devices, code: str, *, confirm: bool = False) -> TOTPDevice | None:
    """Check ``code`` against the first of ``devices``, locked so that a code cannot be replayed.

    Returns the device, or None when there is none; raises ``ValidationFailed`` for a wrong code or
    while throttled. The block commits before raising, so the failure counter that slows down
    guessing is kept even though the request is refused.
    """
    code = (code or "").replace(" ", "")
    with transaction.atomic():
        device = devices.select_for_update().first()
        if device is None:
            return None
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            outcome = "throttled"
        elif code.isdigit() and len(code) == device.digits:
            outcome = "ok" if device.verify_token(code) else "bad"  # counts failures itself
        else:
            device.throttle_increment()
            outcome = "bad"
        if outcome == "ok" and confirm:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    if outcome == "throttled":
        raise ValidationFailed({"code": _("Too many wrong codes. Wait a moment, then try the newest code.")})
    if outcome == "bad":
        raise ValidationFailed(
            {"code": _("That code is not valid. Enter the current 6-digit code from your app.")}
        )
    return device


@transaction.atomic
def two_factor_start(*, actor) -> TOTPDevice:
    """Begin setting up an authenticator app: a fresh, unconfirmed device (any previous one is dropped)."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise Conflict(_("Two-factor sign-in is already on."), code="two_factor_on")
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)


# The three services below are deliberately not wrapped in one atomic block: a wrong code must still
# count towards throttling (see ``_verified_device``); each write they make is atomic on its own.


def two_factor_confirm(*, actor, code: str) -> TOTPDevice:
    """Confirm the pending device with a code from the app; from now on sign-in asks for a code."""
    device = _verified_device(TOTPDevice.objects.filter(user=actor, confirmed=False), code, confirm=True)
    if device is None:
        raise NotFound(_("Start the set-up again: there is no authenticator waiting for confirmation."))
    return device


def two_factor_check(*, actor, code: str) -> TOTPDevice:
    """The second sign-in step: the confirmed device that accepts ``code``, or a refusal."""
    device = _verified_device(TOTPDevice.objects.filter(user=actor, confirmed=True), code)
    if device is None:
        raise NotFound(_("Two-factor sign-in is not on for this account."))
    return device


def two_factor_disable(*, actor, code: str) -> None:
    """Turn two-factor sign-in off; a current code proves the person still holds the device."""
    two_factor_check(actor=actor, code=code)
    TOTPDevice.objects.filter(user=actor).delete()
