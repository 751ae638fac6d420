"""Two-step sign-in: keep password-only sessions of 2FA users on the verification page.

Runs after ``django_otp.middleware.OTPMiddleware``, which gives ``request.user.is_verified()``.
A user who has a confirmed device but has not entered a code in this session is redirected to
``accounts:login_verify`` from every page; the exceptions are that page, signing out, static files
and the language switch. On the API such a session counts as anonymous, so only a valid API token
(which is unaffected by 2FA) or a verified session gets in.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django_otp import user_has_device

API_PREFIX = "/api/"


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt_prefixes(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = (
                reverse("accounts:login_verify"),
                reverse("accounts:logout"),
                reverse("set_language"),
                settings.STATIC_URL,
            )
        return self._exempt

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(self.exempt_prefixes()) and self.needs_code(request.user):
            if path.startswith(API_PREFIX):
                request.user = AnonymousUser()
            else:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:login_verify')}?{query}")
        return self.get_response(request)

    @staticmethod
    def needs_code(user) -> bool:
        return bool(
            user.is_authenticated
            and not (hasattr(user, "is_verified") and user.is_verified())
            and user_has_device(user, confirmed=True)
        )


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the language cookie and the browser's choice.

    Runs after ``AuthenticationMiddleware``; Django's ``LocaleMiddleware`` (earlier) has already chosen
    from the cookie or Accept-Language, which is what everyone without a saved language keeps.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        saved = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if saved:
            try:
                language = translation.get_supported_language_variant(saved)
            except LookupError:
                language = ""
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
