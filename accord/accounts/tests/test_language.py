"""Choosing a language: the switcher, the profile's saved choice, the browser's, and e-mails."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, to_locale

from accord.accounts import services
from accord.core.catalogues import LOCALE_DIR
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.mail import by_language

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response.headers["Content-Language"]


def test_the_browser_chooses_when_nobody_else_did(client, personas):
    client.force_login(personas.coordinator)
    assert _lang(client.get("/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE="es,en;q=0.5")) == "es"


def test_a_brazilian_browser_gets_portuguese(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")
    assert _lang(response) == "pt"


def test_a_simplified_chinese_browser_gets_zh_hans(client):
    assert _lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")) == "zh-hans"


def test_arabic_pages_are_right_to_left(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr" dir="ltr">' in page


def test_the_switcher_offers_every_language_in_its_own_name(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="csrfmiddlewaretoken"' in page
    for name in ("English", "français", "español", "Deutsch", "Português", "简体中文", "العربيّة"):
        assert name in page


def test_the_switcher_sets_the_language_of_an_anonymous_visitor(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/login/"
    assert _lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr")) == "es"


def test_the_switcher_saves_a_signed_in_users_choice(client, personas):
    client.force_login(personas.student)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/accounts/dashboard/"})
    personas.student.refresh_from_db()
    assert personas.student.language == "pt"
    assert _lang(client.get("/accounts/dashboard/")) == "pt"


def test_the_saved_language_wins_over_cookie_and_browser(client, personas):
    personas.teacher.language = "fr"
    personas.teacher.save()
    client.force_login(personas.teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert _lang(client.get("/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE="de")) == "fr"


def test_the_profile_saves_and_clears_the_language(client, personas):
    client.force_login(personas.viewer)
    page = client.get("/accounts/profile/").content.decode()
    assert 'name="language"' in page and "The language of my browser" in page
    response = client.post("/accounts/profile/language/", {"language": "es"})
    assert response.status_code == 302
    personas.viewer.refresh_from_db()
    assert personas.viewer.language == "es"
    client.post("/accounts/profile/language/", {"language": ""})
    personas.viewer.refresh_from_db()
    assert personas.viewer.language == ""
    assert _lang(client.get("/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE="de")) == "de"


def test_the_profile_refuses_a_language_not_offered(client, personas):
    client.force_login(personas.viewer)
    response = client.post("/accounts/profile/language/", {"language": "xx"})
    assert response.status_code == 422
    personas.viewer.refresh_from_db()
    assert personas.viewer.language == ""


def test_the_service_checks_who_and_what(personas):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.user_language_set(actor=AnonymousUser(), language="fr")
    with pytest.raises(ValidationFailed):
        services.user_language_set(actor=personas.viewer, language="klingon")
    assert services.user_language_set(actor=personas.viewer, language="ar").language == "ar"


def test_mail_goes_out_in_each_recipients_saved_language(personas, django_assert_num_queries):
    personas.partner.language = "fr"
    personas.partner.save()
    personas.admin.language = "pt"
    personas.admin.save()
    addresses = [personas.partner.email.upper(), personas.admin.email, "stranger@example.org"]
    with django_assert_num_queries(1):
        groups = by_language(addresses, default="es")
    assert groups == {"fr": [addresses[0]], "pt": [addresses[1]], "es": ["stranger@example.org"]}


# --- pages and e-mails in each language ------------------------------------------------------------

OFFERED = [code for code, _name in settings.LANGUAGES]


def _has_catalogue(language: str) -> bool:
    return (LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("language", OFFERED)
def test_the_sign_in_page_speaks_each_language(client, language):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    with translation.override(language):
        heading = gettext("Sign in")
    assert f"<h1>{heading}</h1>" in page
    if language != "en" and _has_catalogue(language):
        assert heading != "Sign in"


@pytest.mark.parametrize(
    ("language", "title", "welcome"),
    [
        ("fr", "Mon tableau de bord", "Bienvenue"),
        ("es", "Mi panel", "Bienvenido/a"),
        ("pt", "O meu painel", "Bem-vindo/a"),
    ],
)
def test_the_dashboard_in_french_spanish_and_portuguese(client, personas, language, title, welcome):
    client.force_login(personas.coordinator)
    page = client.get("/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<title>{title} · Accord</title>" in page
    assert f"<h1>{welcome}, coordinator" in page


def test_switching_to_french_translates_the_next_page(client):
    client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Se connecter</h1>" in page and "Mot de passe oublié ?" in page


def test_a_saved_language_wins_on_the_dashboard(client, personas):
    personas.partner.language = "pt"
    personas.partner.save()
    client.force_login(personas.partner)
    page = client.get("/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<title>O meu painel · Accord</title>" in page


def test_an_invitation_is_written_in_the_language_its_recipient_saved(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    personas.outsider.language = "es"
    personas.outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=personas.admin, organisation=personas.home, email=personas.outsider.email, role="viewer"
        )
    (message,) = mailoutbox
    assert message.subject == "Está invitado a unirse a Home University en Accord"
    assert "Acepte la invitación aquí:" in message.body and "como Lector." in message.body
