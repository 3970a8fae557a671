"""TSOC Tracker settings.

Every value comes from the environment (or a ``.env`` file beside ``manage.py``) with a safe
development default: with nothing set the app runs on an embedded SQLite database, runs Celery
tasks in-process and writes email to ``var/mail/``. Production secrets have no default at all:
with ``DEBUG`` off, ``SECRET_KEY`` must be set.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


class StrictEnv(environ.Env):
    """Reads ``<NAME>_FILE`` for container secrets and rejects booleans it cannot read."""

    BOOLEAN_TRUE = ("1", "true", "yes", "on")
    BOOLEAN_FALSE = ("0", "false", "no", "off", "")

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        secret_file = os.environ.get(f"{var}_FILE")
        if secret_file:
            return Path(secret_file).read_text().strip()
        value = super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        if cast is bool and var in os.environ:
            raw = os.environ[var].strip().lower()
            if raw not in self.BOOLEAN_TRUE + self.BOOLEAN_FALSE:
                raise ImproperlyConfigured(f"{var}={os.environ[var]!r} is not a boolean")
            value = raw in self.BOOLEAN_TRUE
        return value


env = StrictEnv()


def file_storage(bucket: str) -> dict:
    """``STORAGES["default"]``, where reports' PDFs and evidence are kept: the file system under
    ``MEDIA_ROOT``, or with ``bucket``, an S3-compatible store (django-storages, the ``s3``
    extra; docs/operations.md). Its objects are private: evidence is downloaded only through
    the tracker's permission-checked view, never from the store's own address."""
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env("STORAGE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("STORAGE_S3_REGION", default="") or None,
            "access_key": env("STORAGE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("STORAGE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env("STORAGE_S3_PREFIX", default=""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }


def cache_settings(redis_url: str, key_prefix: str) -> dict:
    """``CACHES``: with Redis, Django's RedisCache in the database after the broker's (``/0`` →
    ``/1``; ``/15``, the last of Redis's 16, wraps to ``/0``), keys prefixed ``key_prefix``;
    without, each process's own memory."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    parts = urlsplit(redis_url)
    database = parts.path.strip("/") or "0"
    if parts.scheme not in ("redis", "rediss") or not database.isdigit():
        raise ImproperlyConfigured(
            f"REDIS_URL={redis_url!r}: expected redis://host:port/<database number> (or rediss://)"
        )
    location = parts._replace(path=f"/{(int(database) + 1) % 16}").geturl()
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": key_prefix,
            # Fail fast: while Redis is away the API answers without rate limits (throttling.py).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")
# Where `make run HOST=… PORT=…` serves: the default site address and an allowed host.
RUN_HOST = env("RUN_HOST", default="127.0.0.1")
RUN_PORT = env.int("RUN_PORT", default=8000)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=list(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", RUN_HOST]))
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default=f"http://{RUN_HOST}:{RUN_PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "agencies",
    "actions",
    "actions.uploads",
    "reporting",
]

MIDDLEWARE = [
    # First, so load balancers and container health checks reach /healthz whatever the Host
    # header or scheme, and without touching sessions.
    "tsoc_tracker.health.HealthCheckMiddleware",
    # Says in the log when TRUSTED_PROXY_COUNT doesn't match the X-Forwarded-For headers seen.
    "core.proxies.ProxyCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside what it marks, so a refusal below it (the 400 for a NUL byte) is marked too.
    "core.middleware.NoStoreMiddleware",
    # Before anything reads the database: a NUL byte in a URL is a 400, not a 500.
    "core.middleware.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Notes when the session expires, for the warning pages give before it does.
    "core.sessions.SessionExpiryMiddleware",
    # After sessions (it reads the chosen language from the cookie set_language writes) and
    # before CommonMiddleware, as Django asks; every page is answered in English or te reo Māori.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tsoc_tracker.urls"
WSGI_APPLICATION = "tsoc_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.context_processors.reporting",
                "actions.editing.context_processors.plan_editing",
                "agencies.signin.context_processors.sign_in",
                "agencies.people.context_processors.people",
                "core.markings.page_marking",
                "core.sessions.session_expiry",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'tsoc.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Fail fast with the "temporarily unavailable" page rather than hang when the server is gone.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    # PostgreSQL's JIT compiles a query the planner thinks costly before running it: for the
    # API's page of 1,000 actions it spent 5.5 s of 5.6 compiling what then ran in 0.2 s. This
    # app's queries are short; DATABASE_JIT=1 puts it back.
    if not env.bool("DATABASE_JIT", default=False):
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# How long the link in an invitation (agencies/people/) sets a password; it stops working sooner
# once used, or when the account is deactivated.
INVITATION_TIMEOUT_DAYS = env.int("INVITATION_TIMEOUT_DAYS", default=7)
LOGIN_REDIRECT_URL = "reporting:home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused for the cool-off, even with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "agencies.signin.backends.LocalPasswordBackend",
    "agencies.signin.oidc.AgencySignInBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For entries to trust; checked
# against the headers of the requests that arrive (core/proxies.py). The lock is on the pair, not
# on the username alone: a per-username lock is one a stranger can set off against anyone.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# (django-ipware isn't installed, so axes would read REMOTE_ADDR, the proxy's, whatever the count.)
AXES_CLIENT_IP_CALLABLE = "core.proxies.client_address"

# Sign-in (docs/operations.md, "Sign-in"). Local passwords, with a second factor (an authenticator
# app, agencies/signin/) required for the secretariat and staff, and/or the agency's own identity
# provider over OpenID Connect (mozilla-django-oidc), which signs in only people who already have
# an account here with the same verified email address.
LOCAL_PASSWORDS_ENABLED = env.bool("LOCAL_PASSWORDS_ENABLED", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="TSOC Tracker")
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET") if OIDC_RP_CLIENT_ID else ""
# The issuer's discovery document (<issuer>/.well-known/openid-configuration) supplies any
# endpoint left unset; the ID token's `iss` must be the issuer.
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", default="").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_EMAIL_CLAIM = env("OIDC_EMAIL_CLAIM", default="email")
# The claim that says the email address is verified (true); empty trusts the email claim as it is.
OIDC_EMAIL_VERIFIED_CLAIM = env("OIDC_EMAIL_VERIFIED_CLAIM", default="email_verified")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your agency account")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "signin:oidc-callback"
if OIDC_RP_CLIENT_ID and not (OIDC_OP_ISSUER or OIDC_OP_AUTHORIZATION_ENDPOINT):
    raise ImproperlyConfigured(
        "OIDC_RP_CLIENT_ID is set: set OIDC_OP_ISSUER (or the endpoints) too"
    )
if not LOCAL_PASSWORDS_ENABLED and not OIDC_RP_CLIENT_ID:
    raise ImproperlyConfigured(
        "LOCAL_PASSWORDS_ENABLED is off and no identity provider (OIDC_RP_CLIENT_ID) is set: "
        "nobody could sign in"
    )

# HTTPS, cookies and headers. Off in development; on by default in production. Behind a proxy that
# terminates TLS, set TRUST_X_FORWARDED_PROTO=1 (and make sure the proxy sets the header).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# The language chosen with the header's switch (Django's set_language) is kept in this cookie.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Pages warn this many seconds before the session expires, with a button to stay signed in.
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=5 * 60)
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): pages load scripts, styles, fonts and images from this
# site only, so no inline <script>, style="" or on*="" attributes in templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

LANGUAGE_CODE = "en-nz"
# The interface's two languages (docs/te-reo.md): a string with no sourced Māori translation
# stays in English, so a page in ``mi`` is part English by design.
LANGUAGES = [
    ("en-nz", "English"),
    ("mi", "Te reo Māori"),
]

# Dates and times as New Zealanders write them, the admin included ("1 December 2026",
# "12.21 pm"): Django has no en_NZ formats of its own, and its catalogue spells "p.m.".
FORMAT_MODULE_PATH = ["tsoc_tracker.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Pacific/Auckland")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": file_storage(env("STORAGE_S3_BUCKET", default="")),
    # Hashed, compressed files served by WhiteNoise; needs `collectstatic` (the image runs it).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "tsoc_tracker.storage.GzipManifestStaticFilesStorage"
    },
}
# Only the hashed copies are kept (templates use {% static %}), and source maps, which only
# developer tools fetch, are not compressed: this keeps collectstatic quick.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# Email: with no EMAIL_URL, messages are written as files a new user can open in var/mail/.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="TSOC Tracker <tsoc-tracker@localhost>")
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", default="tsoc-secretariat@localhost")

# Celery: with no REDIS_URL, tasks run in-process so the embedded default needs no server.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# One queue name per deployment, so several can share a Redis (and tests can have their own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
# Every module that defines tasks (each sits beside the service it runs).
CELERY_IMPORTS = (
    "actions.uploads.tasks",
    "reporting.reminders.tasks",
    "reporting.reports.tasks",
    "reporting.governance.tasks",
)

# The cache holds the API's rate-limit counts. With Redis, every gunicorn worker counts in one
# place: Redis's next database (cache_settings), keys prefixed with the queue name so deployments
# sharing a Redis keep their own counts. Without (``make run``), each process counts alone.
CACHES = cache_settings(REDIS_URL, key_prefix=CELERY_TASK_DEFAULT_QUEUE)

# Reminders (reporting/reminders.py): the due-date reminder goes this many days before returns are
# due; the overdue notice repeats every this many days while returns are outstanding (0: never).
REMINDER_DAYS_BEFORE_DUE = env.int("REMINDER_DAYS_BEFORE_DUE", default=7)

# The longest text a quarterly return takes, in characters. What goes into a return goes, unedited,
# into Cabinet's report: 4,000 characters of commentary is about a page of a Cabinet annex.
RETURN_COMMENTARY_MAX_CHARS = env.int("RETURN_COMMENTARY_MAX_CHARS", default=4000)
RETURN_RISKS_MAX_CHARS = env.int("RETURN_RISKS_MAX_CHARS", default=2000)
RETURN_NEXT_STEPS_MAX_CHARS = env.int("RETURN_NEXT_STEPS_MAX_CHARS", default=2000)
REVIEW_COMMENT_MAX_CHARS = env.int("REVIEW_COMMENT_MAX_CHARS", default=2000)
OVERDUE_REPEAT_EVERY_DAYS = env.int("OVERDUE_REPEAT_EVERY_DAYS", default=7)

# Reporting periods: quarters; the financial year starts in this month (1 July in New Zealand).
FINANCIAL_YEAR_START_MONTH = env.int("FINANCIAL_YEAR_START_MONTH", default=7)
# Default return dates of a new period, counted from the last day of its quarter.
RETURNS_OPEN_DAYS_BEFORE_QUARTER_END = env.int("RETURNS_OPEN_DAYS_BEFORE_QUARTER_END", default=14)
RETURNS_DUE_DAYS_AFTER_QUARTER_END = env.int("RETURNS_DUE_DAYS_AFTER_QUARTER_END", default=14)
RETURNS_CLOSE_DAYS_AFTER_QUARTER_END = env.int("RETURNS_CLOSE_DAYS_AFTER_QUARTER_END", default=42)

# PDF reports (reporting/reports/): a render is stopped after this many seconds (the soft limit,
# which marks the report failed); the worker process is killed 30 seconds later (the hard one).
# The highest Protective Security Requirements marking this deployment is accredited to hold;
# nothing marked above it can be entered or chosen (core/markings.py, docs/operations.md).
PROTECTIVE_MARKING_CEILING = env("PROTECTIVE_MARKING_CEILING", default="RESTRICTED")
PSR_MARKINGS = ("UNCLASSIFIED", "IN CONFIDENCE", "SENSITIVE", "RESTRICTED")
PSR_MARKINGS += ("CONFIDENTIAL", "SECRET", "TOP SECRET")  # core.markings checks it is the same
if PROTECTIVE_MARKING_CEILING not in PSR_MARKINGS:
    raise ImproperlyConfigured(
        f"PROTECTIVE_MARKING_CEILING={PROTECTIVE_MARKING_CEILING!r} is not a PSR marking: use one "
        f"of {', '.join(PSR_MARKINGS)}."
    )
# Who a proactive release says released it ("Proactively released by …"), unless the secretariat
# names someone else when releasing; and how long the public progress page is cached (seconds).
PROACTIVE_RELEASE_BY = env("PROACTIVE_RELEASE_BY", default="the TSOC Secretariat")
PUBLIC_PROGRESS_CACHE_SECONDS = env.int("PUBLIC_PROGRESS_CACHE_SECONDS", default=300)

REPORT_RENDER_TIME_LIMIT = env.int("REPORT_RENDER_TIME_LIMIT", default=900)
REPORT_HARD_TIME_LIMIT = REPORT_RENDER_TIME_LIMIT + 30
# A task is acknowledged when it ends (CELERY_TASK_ACKS_LATE): if the whole worker dies, Redis
# hands its unacknowledged task to another worker after this many seconds, just longer than the
# longest a build may run, so no running build is ever handed out twice. Meanwhile the sweep
# (reporting/reports/sweep.py) fails any build older than the hard limit, so it can be retried.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": REPORT_HARD_TIME_LIMIT + 60}

# Plan import (actions/services/imports/reading.py): the largest file read (an .xlsx may unpack
# to four times this) and the most rows of actions. Django's own request limits stay at their
# defaults: form fields, and an API request's JSON body, up to 2.5 MB
# (DATA_UPLOAD_MAX_MEMORY_SIZE), and an uploaded file over 2.5 MB goes to a temporary file rather
# than memory (FILE_UPLOAD_MAX_MEMORY_SIZE); the proxy in front caps a request at 10 MB
# (docs/operations.md).
PLAN_IMPORT_MAX_BYTES = env.int("PLAN_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
PLAN_IMPORT_MAX_ROWS = env.int("PLAN_IMPORT_MAX_ROWS", default=5000)
# An uploaded plan file larger than this is checked in the background (a Celery task), its
# progress shown on its page; a smaller one while the upload waits.
PLAN_UPLOAD_BACKGROUND_BYTES = env.int("PLAN_UPLOAD_BACKGROUND_BYTES", default=256 * 1024)
# How long an upload's preview is kept for the secretariat to confirm or discard.
PLAN_UPLOAD_KEEP_DAYS = env.int("PLAN_UPLOAD_KEEP_DAYS", default=7)
# Evidence (reporting/evidence/): the largest file attached, below the proxy's 10 MB cap.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=8 * 1024 * 1024)

# The REST API (docs/api.md). Throttle rates: per token, per browser session, per address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agencies.api.authentication.TokenAuthentication",  # first, so no credentials is a 401
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "agencies.api.permissions.TokenScopePermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["agencies.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env("API_THROTTLE_TOKEN", default="2000/hour"),
        "user": env("API_THROTTLE_USER", default="2000/hour"),
        "anon": env("API_THROTTLE_ANON", default="100/hour"),
    },
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ApiPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.ORJSONRenderer",
        "core.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.BoundedJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.StrictContentNegotiation",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TSOC Tracker API",
    "DESCRIPTION": "Progress data for New Zealand's action plans against transnational, "
    "serious and organised crime. Guide: docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "/favicon.ico",  # the redirect to static/favicon.svg
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.refuse_control_characters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReturnStateEnum": "reporting.models.StatusUpdate.State",
        "PeriodStateEnum": "reporting.models.ReportingPeriod.State",
        "ProgressStatusEnum": "reporting.statuses.PROGRESS_STATUS_CHOICES",
        "CoordinationRoleEnum": "actions.models.ActionAgency.Role",
        "StatusEnum": "reporting.models.StatusUpdate.Status",
        "RiskStatusEnum": "reporting.models.Risk.Status",
        "FollowUpStatusEnum": "reporting.models.FollowUp.Status",
        "LikelihoodEnum": "reporting.models.governance.RATING_CHOICES_L",
        "ConsequenceRatingEnum": "reporting.models.governance.RATING_CHOICES_C",
    },
}

# Logs go to stderr: one JSON object a line in production (LOG_FORMAT=json), text in development.
LOG_FORMAT = env("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is neither 'json' nor 'plain'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tsoc_tracker.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every render step at INFO; django-axes and pikepdf announce themselves
    # at every start (each management command too). Their warnings (and axes' lockouts) still
    # show.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
    },
}

# Search (reporting/search/): each kind of thing yields at most this many matches, best first; on
# PostgreSQL a search's queries are stopped after this many milliseconds.
SEARCH_RESULT_CAP = env.int("SEARCH_RESULT_CAP", default=200)
SEARCH_TIME_LIMIT_MS = env.int("SEARCH_TIME_LIMIT_MS", default=3000)
