"""TIPIMS settings: every value that differs between deployments is read from the environment.

See docs/settings.md for the full list; a test checks that every variable read here is documented.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tipims.config import (
    Secret,
    development_secret,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret,
    env_str,
    new_token,
)

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("TIPIMS_VAR_DIR", "var")).resolve()  # type: ignore[arg-type]

TIPIMS_ENV = env_choice("TIPIMS_ENV", "development", {"development", "production"})
PRODUCTION = TIPIMS_ENV == "production"
DEBUG = env_bool("TIPIMS_DEBUG", default=False)


def _secret(name: str, generate) -> Secret:
    """Production must be given its secrets; development generates them once into var/keys/."""
    secret = env_secret(name)
    if secret is not None:
        return secret
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set when TIPIMS_ENV=production")
    return development_secret(VAR_DIR / "keys" / name.lower(), generate)


def _validated_fernet_keys(secret: Secret) -> list[str]:
    keys = [key.strip() for key in secret.value.split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured("TIPIMS_FIELD_KEYS holds no key")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"TIPIMS_FIELD_KEYS key #{position} is not a valid Fernet key (32 url-safe base64 bytes)"
            ) from None
    return keys


def _validated_index_key(secret: Secret) -> bytes:
    try:
        key = base64.urlsafe_b64decode(secret.value.encode())
    except (ValueError, TypeError):
        raise ImproperlyConfigured("TIPIMS_BLIND_INDEX_KEY must be url-safe base64") from None
    if len(key) < 32:
        raise ImproperlyConfigured("TIPIMS_BLIND_INDEX_KEY must hold at least 32 bytes")
    return key


_secret_key = _secret("SECRET_KEY", new_token)
SECRET_KEY = _secret_key.value
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long and not repetitive")

# Identity fields are encrypted with keys of their own, never SECRET_KEY: rotating the session key must
# not touch stored identities, and a leaked SECRET_KEY must not open them.
_field_keys = _secret("TIPIMS_FIELD_KEYS", lambda: Fernet.generate_key().decode())
TIPIMS_FIELD_KEYS = _validated_fernet_keys(_field_keys)
TIPIMS_FIELD_KEYS_SOURCE = _field_keys.source
_index_key = _secret(
    "TIPIMS_BLIND_INDEX_KEY", lambda: base64.urlsafe_b64encode(__import__("os").urandom(32)).decode()
)
TIPIMS_BLIND_INDEX_KEY = _validated_index_key(_index_key)

TIPIMS_REQUIRE_MFA = env_bool("TIPIMS_REQUIRE_MFA", default=PRODUCTION)
TIPIMS_DEMO = env_bool("TIPIMS_DEMO", default=False)
# The protection institution that receives the possible victims border and police officers flag.
TIPIMS_PROTECTION_FLAG_INSTITUTION = env_str("TIPIMS_PROTECTION_FLAG_INSTITUTION", "sbs")
TIPIMS_SESSION_IDLE_MINUTES = env_int("TIPIMS_SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
TIPIMS_REAUTH_MINUTES = env_int("TIPIMS_REAUTH_MINUTES", 10, minimum=1, maximum=120)
# Imports (exchange/): the largest file accepted, and the most rows, before anything is read into memory.
TIPIMS_IMPORT_MAX_BYTES = env_int("TIPIMS_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
TIPIMS_IMPORT_MAX_ROWS = env_int("TIPIMS_IMPORT_MAX_ROWS", 50_000, minimum=1)
# The secret two countries agree for privacy-preserving record linkage (exchange/pprl.py); a file in production.
TIPIMS_PPRL_SECRET = env_str("TIPIMS_PPRL_SECRET", "")
# The prosecution office (institution code) whose triage queue receives the public complaint form.
TIPIMS_PUBLIC_COMPLAINT_INSTITUTION = env_str("TIPIMS_PUBLIC_COMPLAINT_INSTITUTION", "mp-fiscalia-trata")
TIPIMS_PUBLIC_COMPLAINT_RATE = env_int("TIPIMS_PUBLIC_COMPLAINT_RATE", 5, minimum=1, maximum=1000)
try:  # days a criminal case may stay in a phase, over the shipped ones (justice/data/phase_deadlines.json)
    TIPIMS_PHASE_DEADLINES = json.loads(env_str("TIPIMS_PHASE_DEADLINES", "{}") or "{}")
except ValueError as error:
    raise ImproperlyConfigured(f"TIPIMS_PHASE_DEADLINES is not JSON: {error}") from None
if not isinstance(TIPIMS_PHASE_DEADLINES, dict):
    raise ImproperlyConfigured('TIPIMS_PHASE_DEADLINES must be a JSON object such as {"investigation": 90}')

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when TIPIMS_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "tipims.web",  # before allauth: its templates restyle allauth's pages
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "tipims.core",
    "tipims.accounts",
    "tipims.audit",
    "tipims.people",
    "tipims.justice",
    "tipims.protection",
    "tipims.statistics",
    "tipims.linkage",
    "tipims.border",
    "tipims.monitoring",
    "tipims.prevention",
    "tipims.reporting",
    "tipims.exchange",
    "tipims.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "tipims.web.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tipims.accounts.middleware.RequireMFAMiddleware",
    "tipims.web.middleware.NoStoreMiddleware",
    # Axes last: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tipims.urls"
WSGI_APPLICATION = "tipims.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tipims.web.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tipims.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}  # type: ignore[arg-type]
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be used: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: every transaction takes the write lock at its start, so two writers never read
        # the same audit chain head (see audit/services.py).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must be an sqlite:// or postgres:// URL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"

# django-allauth: accounts are created by administrators, never by sign-up.
ACCOUNT_ADAPTER = "tipims.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_REAUTHENTICATION_TIMEOUT = TIPIMS_REAUTH_MINUTES * 60
# Lockouts are axes' job alone (keyed on user and address); allauth's own per-address limit would lock
# out a whole office behind one shared address.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "TIPIMS"

AXES_FAILURE_LIMIT = env_int("TIPIMS_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = TIPIMS_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("TIPIMS_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("TIPIMS_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "America/Guatemala"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request then answers 401 with WWW-Authenticate, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tipims.accounts.permissions.IsMemberWithMFA"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("TIPIMS_API_ANON_RATE", "30/minute"),
        "user": env_str("TIPIMS_API_USER_RATE", "600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tipims.web.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TIPIMS API",
    "DESCRIPTION": "Trafficking in Persons Information Management System. Every route answers under "
    "one access policy: a record that is not yours answers 404, exactly as one that does not exist.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several APIs have a "status" field with different choices: each set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "CommitmentStatusEnum": ["not_started", "in_progress", "done", "dropped"],
        "WitnessMeasureStatusEnum": ["denied", "granted", "requested"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TIPIMS_LOG_LEVEL", "WARNING")},
}
