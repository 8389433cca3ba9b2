"""Settings for the SMS-tool, read from the environment (see README.md)."""

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from sms_tool.env import (
    SettingsError,
    get_bool,
    get_cache,
    get_database,
    get_int,
    get_list,
    get_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Under pytest: fast password hashing, plain static storage, no HTTPS redirect.
TESTING = "pytest" in sys.modules

DEBUG = get_bool("DEBUG", False)

SECRET_KEY = get_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-used-with-debug"  # noqa: S105
    else:
        raise SettingsError(
            "SECRET_KEY must be set when DEBUG is off "
            "(for example: export SECRET_KEY="
            "$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'))."
        )

ALLOWED_HOSTS = get_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if DEBUG or TESTING:
        ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    else:
        raise SettingsError(
            "ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names, "
            "for example: export ALLOWED_HOSTS=sms.example.org)."
        )
CSRF_TRUSTED_ORIGINS = get_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "partnerships",
    "motives",
    "sessions.apps.DialogueSessionsConfig",
    "django_tasks",
    "django_tasks_db",
    "notifications",
]

MIDDLEWARE = [
    # First: /health/ answers before the host check and the HTTPS redirect.
    "sms_tool.health.HealthCheckMiddleware",
    "sms_tool.logs.RequestLogMiddleware",  # request id, user id, duration: one JSON line
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sms_tool.http.SafeResponseMiddleware",  # no-store for signed-in pages, a 405 page
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sms_tool.language.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that its lockout page still passes through the middleware above.
    "axes.middleware.AxesMiddleware",
]

# django-axes watches every sign-in (it needs the request); ModelBackend signs people in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_USER_MODEL = "partnerships.User"
ROOT_URLCONF = "sms_tool.urls"
WSGI_APPLICATION = "sms_tool.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sessions.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": get_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process's memory by default. With several gunicorn workers, use a cache they
# share (dbcache://sms_cache, after `manage.py createcachetable`), so the Quick Scan
# flood limits hold across workers and a PDF report is rendered once, not per worker.
CACHES = {"default": get_cache("CACHE_URL", "locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = get_str("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap's two dist files are vendored in static/bootstrap/ (see its LICENSE).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Uploaded files (the learning communities' logos). Not served as public media:
# there is no MEDIA_URL route; a view with the community's access rule serves a logo.
MEDIA_ROOT = Path(get_str("MEDIA_ROOT", str(BASE_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = get_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = get_str("EMAIL_HOST", "localhost")
EMAIL_PORT = get_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = get_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = get_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = get_bool("EMAIL_USE_TLS", False)
# Mail is sent by the background worker (notifications.tasks); this bounds one try.
EMAIL_TIMEOUT = get_int("EMAIL_TIMEOUT", 10, minimum=1)
# With the file-based backend (django.core.mail.backends.filebased.EmailBackend): the folder.
EMAIL_FILE_PATH = get_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = get_str("DEFAULT_FROM_EMAIL", "SMS-tool <noreply@localhost>")

# Background tasks (django-tasks with its database backend): `manage.py run_worker`
# runs them; `make run` starts one beside runserver. Several workers on several
# machines share the queue in the database.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "reports"],
    }
}
# A failed mail is tried again after 1, 2, 4, ... times MAIL_RETRY_SECONDS.
MAIL_MAX_ATTEMPTS = get_int("MAIL_MAX_ATTEMPTS", 6, minimum=1)
MAIL_RETRY_SECONDS = get_int("MAIL_RETRY_SECONDS", 60, minimum=1)
# A task still RUNNING after this long lost its worker and is run again.
TASK_STALE_SECONDS = get_int("TASK_STALE_SECONDS", 900, minimum=60)
PERIODIC_JOBS = [
    "notifications.services.requeue_stalled_mail",
    "notifications.worker.requeue_stalled_tasks",
]

# The address people reach the app at: links in mail the worker sends (no request there).
SITE_URL = get_str("SITE_URL", "http://127.0.0.1:8000")
SITE_DOMAIN = SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
# The first deadline reminder goes this many days before the day (the second on the day).
REMINDER_DAYS_BEFORE = get_int("REMINDER_DAYS_BEFORE", 3, minimum=1)
# A report whose render took longer than this is announced by mail to who asked for it.
REPORT_MAIL_AFTER_SECONDS = get_int("REPORT_MAIL_AFTER_SECONDS", 30, minimum=0)

# How long an invitation link can be used.
INVITATION_VALID_DAYS = get_int("INVITATION_VALID_DAYS", 14, minimum=1)

# Reverse proxies in front of the app (0: people connect to gunicorn directly). The
# sign-in rate limit and the Quick Scan flood limits then count the address the
# outermost proxy saw, not the proxy's own (sms_tool/network.py).
TRUSTED_PROXY_COUNT = get_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# A proxy's word that the request came over HTTPS is trusted only when there is a
# proxy: without one, any client could send the header and pass for HTTPS.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Production hardening; off for local DEBUG runs and the test suite's HTTP client.
SECURE_SSL_REDIRECT = get_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = not (DEBUG or TESTING)
CSRF_COOKIE_SECURE = not (DEBUG or TESTING)
SECURE_HSTS_SECONDS = get_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload flag only takes effect once the operator submits the domain to the list.
SECURE_HSTS_PRELOAD = get_bool("SECURE_HSTS_PRELOAD", not (DEBUG or TESTING))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The language choice: sent over HTTPS only, and no script reads it.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = SESSION_COOKIE_SECURE

# Sign-in rate limit (django-axes): after AXES_FAILURE_LIMIT failed attempts for one
# address from one IP, that pair waits AXES_COOLOFF_TIME; a success resets the count.
AXES_FAILURE_LIMIT = get_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# The sign-in form's field is "username" (it holds the e-mail address).
AXES_USERNAME_FORM_FIELD = "username"


def axes_username(request, credentials):
    """The typed address in one case, so Alice@ and alice@ share one counter.

    At most 255 characters: axes stores it in a column of that size, and the
    sign-in form does not limit what is typed (PostgreSQL refused longer ones).
    """
    typed = (credentials or {}).get("username") or request.POST.get("username") or ""
    return typed.strip().lower()[:255]


AXES_USERNAME_CALLABLE = axes_username
AXES_CLIENT_IP_CALLABLE = "sms_tool.network.client_address"

# A strict Content-Security-Policy in every environment: scripts, styles and fonts
# from our own static files only; no inline scripts, no style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# JSON lines on stdout (sms_tool/logs.py); LOG_FORMAT=text for people reading a terminal.
LOG_FORMAT = get_str("LOG_FORMAT", "text" if DEBUG or TESTING else "json")
if LOG_FORMAT not in ("json", "text"):
    raise SettingsError(f"LOG_FORMAT={LOG_FORMAT!r} must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "sms_tool.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": get_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request, and what the worker does (off under pytest).
        "sms_tool.request": {
            "level": "WARNING" if TESTING else get_str("REQUEST_LOG_LEVEL", "INFO")
        },
        "django_tasks_db": {"level": "WARNING" if TESTING else "INFO"},
    },
}

# Error reporting to Sentry, only when SENTRY_DSN is set (pip install "sms-tool[sentry]").
SENTRY_DSN = get_str("SENTRY_DSN", "")
if SENTRY_DSN and not TESTING:
    try:
        import sentry_sdk
    except ImportError:
        raise SettingsError(
            'SENTRY_DSN is set but sentry-sdk is not installed: pip install "sms-tool[sentry]".'
        ) from None
    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0.0)

# --- audit log and privacy (issue 16) ------------------------------------------------
INSTALLED_APPS += ["audit", "privacy"]
# After the authentication middleware: events recorded by signals know who acted.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "audit.events.AuditActorMiddleware",
)

# Retention periods (privacy/retention.py, run daily by `manage.py apply_retention`).
SIGN_IN_LOG_RETENTION_DAYS = get_int("SIGN_IN_LOG_RETENTION_DAYS", 90, minimum=1)
INVITATION_RETENTION_DAYS = get_int("INVITATION_RETENTION_DAYS", 90, minimum=1)
CLOSED_SESSION_RETENTION_YEARS = get_int("CLOSED_SESSION_RETENTION_YEARS", 5, minimum=1)
AUDIT_LOG_RETENTION_DAYS = get_int("AUDIT_LOG_RETENTION_DAYS", 2 * 365, minimum=30)
# The retention task (privacy.tasks.run_retention) runs again this many hours after a run.
RETENTION_INTERVAL_HOURS = get_int("RETENTION_INTERVAL_HOURS", 24, minimum=1)

# --- sign-in (issue 16): second factor for the admin, e-mail links, institution ----------
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "signin",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("signin.context_processors.sign_in_options")
OTP_TOTP_ISSUER = get_str("OTP_TOTP_ISSUER", "SMS-tool")

# A sign-in link by e-mail (django-sesame): works once, for SESAME_MAX_AGE seconds.
AUTHENTICATION_BACKENDS.append("sesame.backends.ModelBackend")
SESAME_MAX_AGE = get_int("SIGN_IN_LINK_MINUTES", 15, minimum=1) * 60
SESAME_ONE_TIME = True
# Sign-in links asked for per address and per client (IP address) in one window.
SIGN_IN_LINKS_PER_ADDRESS = get_int("SIGN_IN_LINKS_PER_ADDRESS", 3, minimum=1)
SIGN_IN_LINKS_PER_CLIENT = get_int("SIGN_IN_LINKS_PER_CLIENT", 10, minimum=1)
SIGN_IN_LINK_WINDOW_MINUTES = get_int("SIGN_IN_LINK_WINDOW_MINUTES", 15, minimum=1)

# Sign-in with the institution's account (OpenID Connect, e.g. SURFconext); off unless
# OIDC_RP_CLIENT_ID is set, and then every endpoint must be set too.
OIDC_RP_CLIENT_ID = get_str("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
_why = " when OIDC_RP_CLIENT_ID is set (institution sign-in)"
OIDC_RP_CLIENT_SECRET = get_str("OIDC_RP_CLIENT_SECRET", required=OIDC_ENABLED, why=_why)
OIDC_OP_AUTHORIZATION_ENDPOINT = get_str(
    "OIDC_OP_AUTHORIZATION_ENDPOINT", required=OIDC_ENABLED, why=_why
)
OIDC_OP_TOKEN_ENDPOINT = get_str("OIDC_OP_TOKEN_ENDPOINT", required=OIDC_ENABLED, why=_why)
OIDC_OP_USER_ENDPOINT = get_str("OIDC_OP_USER_ENDPOINT", required=OIDC_ENABLED, why=_why)
OIDC_OP_JWKS_ENDPOINT = get_str("OIDC_OP_JWKS_ENDPOINT", required=OIDC_ENABLED, why=_why)
OIDC_RP_SIGN_ALGO = get_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = True
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?institution=failed"
# Signing out also ends the session at the provider (its end_session endpoint) for
# someone who signed in through it; off unless set.
OIDC_OP_LOGOUT_ENDPOINT = get_str("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)
OIDC_OP_LOGOUT_URL_METHOD = "signin.oidc.provider_logout_url"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("signin.oidc.InstitutionBackend")
