"""Accord settings, read from the environment (12-factor).

Every setting that differs between a laptop and production comes from an environment variable;
the defaults are the embedded development set-up (SQLite, eager Celery, console e-mail).
"""

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from accord.env import env_bool, env_int, env_list, env_str

# Django's generic classes (ModelAdmin, QuerySet, ...) accept the type parameters django-stubs gives them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ACCORD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
PRODUCTION = not DEBUG

_DEV_SECRET = "dev-insecure-secret-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105 (refused when DEBUG is off)
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "accord.core",
    "accord.reference",
    "accord.accounts",
    "accord.organisations",
    "accord.exchanges",
    "accord.partnerships",
    "accord.agreements",
    "accord.ewp",
    "accord.mobilities",
    "accord.bips",
    "accord.surveys",
    "accord.funding",
    "accord.virtual_exchange",
    "accord.courses",
    "accord.discovery",
    "accord.evaluation",
    "accord.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accord.accounts.middleware.UserLanguageMiddleware",  # after authentication: the saved choice wins
    "django_otp.middleware.OTPMiddleware",
    "accord.accounts.middleware.TwoFactorMiddleware",  # after OTPMiddleware: needs user.is_verified()
    "django.contrib.messages.middleware.MessageMiddleware",
    "accord.core.idempotency.IdempotencyMiddleware",  # after sessions, authentication and CSRF
    "accord.core.contention.ContentionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "accord" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.accounts.context_processors.memberships",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default: a SQLite file under var/, created on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'accord.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must stay first: refuses locked-out attempts
    "accord.accounts.backends.UsernameOrEmailBackend",  # ModelBackend that also accepts an e-mail
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Count failures per account, whether the person typed its username or its e-mail.
AXES_USERNAME_CALLABLE = "accord.accounts.backends.axes_username"

LANGUAGE_CODE = "en"
# Portuguese is one catalogue, "pt": a Brazilian browser (pt-BR) falls back to it, as zh-CN falls
# back to zh-hans. The switcher shows each name in its own language (Django's name_local).
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("de", "Deutsch"),
    ("pt", "Português"),
    ("zh-hans", "简体中文"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "accord" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: imports are read in memory, so cap them well below what would hurt a worker.
ACCORD_MAX_IMPORT_BYTES = env_int("ACCORD_MAX_IMPORT_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ACCORD_MAX_IMPORT_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = ACCORD_MAX_IMPORT_BYTES + 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Accord <accord@localhost>")
# The multilingual course index (decision 15); "off" leaves suggestions to the lexical index.
ACCORD_SEMANTIC_INDEX = env_str("ACCORD_SEMANTIC_INDEX", "on") != "off"
ACCORD_BASE_URL = env_str("ACCORD_BASE_URL", "http://127.0.0.1:8000")
ACCORD_INVITATION_DAYS = env_int("ACCORD_INVITATION_DAYS", 14)  # how long an invitation link works
# Academic years start on the 1st of this month; an agreement ends on the eve of it in its last year.
ACCORD_ACADEMIC_YEAR_START_MONTH = env_int("ACCORD_ACADEMIC_YEAR_START_MONTH", 9)
# How many days before an agreement ends its contacts are reminded, once per threshold.
ACCORD_AGREEMENT_REMINDER_DAYS = [
    int(days) for days in env_list("ACCORD_AGREEMENT_REMINDER_DAYS", ["180", "60"])
]
ACCORD_MAX_ATTACHMENT_BYTES = env_int("ACCORD_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)

# Background work: with no broker, tasks run inline ("eager") so the embedded set-up needs no
# services; with CELERY_BROKER_URL (Redis) they run on workers, which is how Accord scales out.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Daily housekeeping for `celery beat`; without a broker, run the matching management commands from cron.
CELERY_BEAT_SCHEDULE = {
    "action-item-reminders": {
        "task": "accord.partnerships.tasks.send_action_item_reminders",
        "schedule": 24 * 60 * 60,
    },
    "agreements-daily": {"task": "accord.agreements.tasks.agreement_daily", "schedule": 24 * 60 * 60},
    "mobilities-daily": {"task": "accord.mobilities.tasks.mobility_daily", "schedule": 24 * 60 * 60},
    "surveys-daily": {"task": "accord.surveys.tasks.survey_daily", "schedule": 24 * 60 * 60},
    # EWP: notifications due (retries) every minute, the index pull behind them every hour.
    "ewp-send-outbox": {"task": "accord.ewp.notify.outbox.ewp_send_outbox", "schedule": 60},
    "ewp-pull": {"task": "accord.ewp.tasks.ewp_pull", "schedule": 60 * 60},
    "ewp-pull-omobilities": {"task": "accord.ewp.tasks.ewp_pull_omobilities", "schedule": 60 * 60},
    "ewp-pull-omobility-las": {"task": "accord.ewp.tasks.ewp_pull_omobility_las", "schedule": 60 * 60},
    "ewp-pull-tors": {"task": "accord.ewp.tasks.ewp_pull_tors", "schedule": 60 * 60},
}

# Erasmus Without Paper node (accord/ewp; docs/decisions/0006-ewp-node.md). The base URL must be the
# public https:// address for the manifests to be valid; the private key never goes in the repository.
ACCORD_EWP_BASE_URL = env_str("ACCORD_EWP_BASE_URL", ACCORD_BASE_URL)
ACCORD_EWP_PRIVATE_KEY = Path(env_str("ACCORD_EWP_PRIVATE_KEY", str(VAR_DIR / "ewp" / "node-key.pem")))
ACCORD_EWP_REGISTRY_CATALOGUE = env_str("ACCORD_EWP_REGISTRY_CATALOGUE", "")  # https:// URL or file path
ACCORD_EWP_CATALOGUE_MAX_AGE = env_int("ACCORD_EWP_CATALOGUE_MAX_AGE", 300)  # seconds
ACCORD_EWP_ADMIN_EMAIL = env_str("ACCORD_EWP_ADMIN_EMAIL", "ewp-admin@example.org")
ACCORD_EWP_PROVIDER = env_str("ACCORD_EWP_PROVIDER", "Accord")
# The official EWP schemas (the folder layout of the specification copies; never in the repository):
# when set, imported IIA files and the self-test's documents are validated against them.
ACCORD_EWP_SCHEMAS = env_str("ACCORD_EWP_SCHEMAS", "")
ACCORD_EWP_MAX_IMPORT_BYTES = env_int("ACCORD_EWP_MAX_IMPORT_BYTES", 10 * 1024 * 1024)

OTP_TOTP_ISSUER = "Accord"

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
