"""Personal API tokens: created, shown once, stored hashed, revocable."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.models import ApiToken, hash_secret
from accord.core.errors import NotFound, ValidationFailed

TOKEN_PREFIX = "acc_"  # noqa: S105 (a public marker that lets secret scanners spot leaked tokens)


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the secret; the secret is never retrievable again."""
    name = name.strip()
    if not name:
        raise ValidationFailed({"name": _("Give the token a name so you can recognise it later.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[:12], secret_hash=hash_secret(secret)
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(secret: str):
    """The active user behind a token, or None. Touches ``last_used_at`` at most once a minute."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
