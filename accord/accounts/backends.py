"""Sign-in with a username or an e-mail address.

``axes.backends.AxesStandaloneBackend`` stays first in ``AUTHENTICATION_BACKENDS``: it refuses
locked-out attempts before this backend checks the password. ``axes_username`` makes both spellings
of the same account share one failure counter, so switching from username to e-mail gains nothing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

UserModel = get_user_model()


def find_user(identifier: str):
    """The user whose username is ``identifier`` or, failing that, whose e-mail it is (any case)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = UserModel._default_manager.filter(username=identifier).first()
    if user is None and "@" in identifier:
        matches = list(UserModel._default_manager.filter(email__iexact=identifier)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(UserModel.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            UserModel().set_password(password)  # spend the same time as for a real user
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials=None) -> str:
    """What django-axes counts failures against: the account's username when it exists."""
    identifier = (credentials or {}).get("username")
    if identifier is None and request is not None:
        identifier = request.POST.get("username", "")
    identifier = (identifier or "").strip()
    user = find_user(identifier)
    return user.username if user is not None else identifier.lower()
