"""Django settings, driven by environment variables (each is listed in .env.example)."""

import os
from importlib.util import find_spec
from pathlib import Path

import dj_database_url

from oversight.lib.forwarded import parse_networks


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("OVERSIGHT_DATA_DIR", "var")).resolve()

DEBUG = envbool("OVERSIGHT_DEBUG", False)
# A fixed development key is safe only because production refuses to start without its own.
SECRET_KEY = os.environ.get("OVERSIGHT_SECRET_KEY", "")
if not SECRET_KEY:
    if envbool("OVERSIGHT_PRODUCTION", False):
        raise RuntimeError("OVERSIGHT_SECRET_KEY must be set when OVERSIGHT_PRODUCTION is on")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"  # noqa: S105
PRODUCTION = envbool("OVERSIGHT_PRODUCTION", False)
ALLOWED_HOSTS = envlist("OVERSIGHT_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("OVERSIGHT_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "simple_history",
    "django_q",
    "oversight.core",
    "oversight.accounts",
    "oversight.audit",
    "oversight.plans",
    "oversight.reports",
    "oversight.scrutiny",
    "oversight.registers",
    "oversight.delivery",
    "oversight.opendata",
    "oversight.cycle",
    "oversight.finance",
    "oversight.engagement",
    "oversight.commissioning",
    "oversight.subscriptions",
    "oversight.web",
    "oversight.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "oversight.core.middleware.RefuseNulCharacters",
    "oversight.core.middleware.StaticFilesMiddleware",  # whitenoise
    # Before sessions and the rest: an anonymous visitor's public page straight from the cache.
    "oversight.core.middleware.PublicPageCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Credits each saved version (django-simple-history) to the signed-in user.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oversight.urls"
WSGI_APPLICATION = "oversight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oversight.web.context.site",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'oversight.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        conn_max_age=envint("OVERSIGHT_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (public pages, statistics and charts, each keyed on a version read from the database,
# so an edit on one server shows at once on every other): Django's Redis cache when
# OVERSIGHT_CACHE_URL is set (redis://host:6379/0), shared by every app server; unset, each
# process's own memory; "off" caches nothing (to measure pages as they are built).
CACHE_URL = os.environ.get("OVERSIGHT_CACHE_URL", "")
_CACHE_BACKENDS = {
    "": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "off": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
CACHES = {
    "default": _CACHE_BACKENDS.get(
        CACHE_URL,
        {"BACKEND": "oversight.core.cache.RedisCache", "LOCATION": CACHE_URL},
    )
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# django-ninja's static files (Swagger UI), for the API's interactive documentation, found without
# importing django-ninja: as an installed app it was loaded (with pydantic) by every command and
# server start, most of the half-second `django.setup()` took. oversight.api has its own template
# for the page.
_NINJA = find_spec("ninja")
if _NINJA is None or not _NINJA.submodule_search_locations:
    raise RuntimeError("django-ninja is not installed: run `make setup`")
STATICFILES_DIRS = [Path(_NINJA.submodule_search_locations[0]) / "static"]
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = PRODUCTION and envbool("OVERSIGHT_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("OVERSIGHT_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("OVERSIGHT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# The largest file an import takes, uploaded or from the command line. An upload past it is
# counted but not kept (the first handler drops its bytes), so it costs no memory or disk.
OVERSIGHT_MAX_IMPORT_BYTES = envint("OVERSIGHT_MAX_IMPORT_BYTES", 25 * 1024 * 1024)
# A forecast variance within ±GREEN% of its budget is green, within ±AMBER% amber, beyond that red
# (METHODOLOGY.md §12). Percent, as decimals ("1", "0.5").
OVERSIGHT_FINANCE_GREEN_PERCENT = os.environ.get("OVERSIGHT_FINANCE_GREEN_PERCENT", "1")
OVERSIGHT_FINANCE_AMBER_PERCENT = os.environ.get("OVERSIGHT_FINANCE_AMBER_PERCENT", "2")
# The office's own report layouts (YAML, README "Report layouts"); a file named as a shipped
# layout replaces it. Empty: the three shipped layouts only.
OVERSIGHT_REPORT_LAYOUTS_DIR = os.environ.get("OVERSIGHT_REPORT_LAYOUTS_DIR", "")
FILE_UPLOAD_HANDLERS = [
    "oversight.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = os.environ.get(
    "OVERSIGHT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("OVERSIGHT_FROM_EMAIL", "oversight@localhost")
# SMTP, for OVERSIGHT_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("OVERSIGHT_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("OVERSIGHT_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("OVERSIGHT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("OVERSIGHT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("OVERSIGHT_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("OVERSIGHT_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("OVERSIGHT_EMAIL_TIMEOUT", 30)
# The site's own address, for the links in reminders (e.g. https://oversight.example.org).
OVERSIGHT_SITE_URL = os.environ.get("OVERSIGHT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The date "today" for deadlines and overdue flags; set it to replay a past meeting cycle.
OVERSIGHT_TODAY = os.environ.get("OVERSIGHT_TODAY", "")
# A figure whose data end more than this many months before its period ends is called stale.
OVERSIGHT_STALE_MONTHS = envint("OVERSIGHT_STALE_MONTHS", 6)
# A survey result is "too small to judge" above this margin of error (± percentage points, 95%)
# or below this many responses (METHODOLOGY.md: Surveys).
OVERSIGHT_SURVEY_MAX_MARGIN = envint("OVERSIGHT_SURVEY_MAX_MARGIN", 5)
OVERSIGHT_SURVEY_MIN_RESPONSES = envint("OVERSIGHT_SURVEY_MIN_RESPONSES", 100)

# Functions `(today) -> Iterable[oversight.lib.due.DueItem]`: everything that falls due, for the
# reminder job and the calendar (see lib/due.py). Each app adds its own.
OVERSIGHT_DUE_PROVIDERS: list[str] = [
    "oversight.plans.due.collection_due_items",
    "oversight.plans.due.milestone_due_items",
    "oversight.scrutiny.due.action_due_items",
    "oversight.registers.due.contract_due_items",
    "oversight.registers.due.publication_due_items",
    "oversight.scrutiny.calendar.statutory_due_items",
    "oversight.delivery.due.milestone_due_items",
    "oversight.delivery.due.risk_review_due_items",
    "oversight.scrutiny.due_interests.interest_review_due_items",
]

# The scheduler (django-q2): jobs stored in the database (visible in the admin), run by
# `oversight worker` (which `oversight serve` starts beside the site). The database is the broker
# unless OVERSIGHT_QUEUE_REDIS_URL names a Redis server (install the `redis` extra).
OVERSIGHT_QUEUE_REDIS_URL = os.environ.get("OVERSIGHT_QUEUE_REDIS_URL", "")
Q_CLUSTER: dict = {
    "name": "oversight",
    "workers": envint("OVERSIGHT_WORKERS", 1),
    "timeout": envint("OVERSIGHT_JOB_TIMEOUT_SECONDS", 600),
    "retry": envint("OVERSIGHT_JOB_TIMEOUT_SECONDS", 600) + 60,  # must exceed the timeout
    "max_attempts": 1,  # a job that failed waits for its next scheduled run
    "catch_up": False,  # after a stopped worker, run each job once, not once per missed run
    "save_limit": 250,
    "label": "Scheduled jobs",
}
if OVERSIGHT_QUEUE_REDIS_URL:
    Q_CLUSTER["redis"] = OVERSIGHT_QUEUE_REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 2  # seconds between the worker's looks at the database

# The scheduled jobs, each (name, dotted function, schedule): created or updated in the database
# when the database is migrated and when the worker starts. A schedule is "hourly", "daily",
# "weekly" or a number of minutes. Every job is safe to run twice.
OVERSIGHT_JOBS: list[tuple[str, str, str | int]] = [
    ("reminders", "oversight.cycle.jobs.run_reminders", "hourly"),
    ("subscription-digest", "oversight.subscriptions.jobs.send_digests", "daily"),
]

# Subscriptions: subscribe requests one client address may make an hour, and confirmation mails
# one email address may be sent a day (so the form cannot be used to flood a mailbox).
OVERSIGHT_SUBSCRIBE_REQUESTS_PER_HOUR = envint("OVERSIGHT_SUBSCRIBE_REQUESTS_PER_HOUR", 20)
OVERSIGHT_SUBSCRIBE_MAILS_PER_DAY = envint("OVERSIGHT_SUBSCRIBE_MAILS_PER_DAY", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OVERSIGHT_LOG_LEVEL", "WARNING")},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# ---------------------------------------------------------------- the web application

# The reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For is believed when they are
# the connection's address; empty, the connection's address is the client's (core/client.py).
# A bad entry stops the site at start rather than silently trusting nothing.
OVERSIGHT_TRUSTED_PROXIES = envlist("OVERSIGHT_TRUSTED_PROXIES", "")
parse_networks(OVERSIGHT_TRUSTED_PROXIES)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one
# address, or LOGIN_FAILURE_LIMIT_PER_ADDRESS failures from one address whatever the user names,
# the login is refused for the cool-off period (accounts/throttle.py keeps the two counts). The
# backend skips calls without a request (tests).
AUTHENTICATION_BACKENDS = [
    "oversight.accounts.backends.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("OVERSIGHT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("OVERSIGHT_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "oversight.accounts.throttle.AddressAndUserHandler"
AXES_CLIENT_IP_CALLABLE = "oversight.core.client.client_address"
LOGIN_FAILURE_LIMIT_PER_ADDRESS = envint("OVERSIGHT_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# Version history (django-simple-history): a change's reason is an import's file name or a
# restore's note, which can be longer than the library's default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# GOV.UK Design System form layout (crispy-forms-gds).
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Content Security Policy (django-csp 4): scripts only from this site and never inline. Inline
# styles are allowed only for the charts' SVG, which matplotlib styles with attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Static files straight from the apps through whitenoise: no separate web server and no
# collectstatic step needed (running it first makes start-up faster).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("OVERSIGHT_SESSION_SECONDS", 8 * 3600)
if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (the client's address is
    # OVERSIGHT_TRUSTED_PROXIES' business).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# API tokens: how many days a new token lasts.
OVERSIGHT_TOKEN_DAYS = envint("OVERSIGHT_TOKEN_DAYS", 365)

# police.uk open data: Parquet and DuckDB files, and the reference tables an office can replace.
OPENDATA_DIR = Path(os.environ.get("OVERSIGHT_OPENDATA_DIR", DATA_DIR / "opendata"))
OPENDATA_FORCE_AREAS = os.environ.get("OVERSIGHT_FORCE_AREAS", "")
OPENDATA_POPULATIONS = os.environ.get("OVERSIGHT_POPULATIONS", "")
OPENDATA_FORCE_REGIONS = os.environ.get("OVERSIGHT_FORCE_REGIONS", "")
OPENDATA_MOST_SIMILAR_GROUPS = os.environ.get("OVERSIGHT_MOST_SIMILAR_GROUPS", "")
# The largest police.uk CSV (a file, or a zip member once decompressed) the import reads; a real
# force-month is at most about 30 MB, and each file being read is held in memory whole.
POLICE_UK_MAX_FILE_BYTES = envint("OVERSIGHT_POLICE_UK_MAX_FILE_BYTES", 128 * 1024 * 1024)

# Registers: an office's own publication-duty rules file (default: the shipped one), and the
# identifiers its 360Giving files carry.
OVERSIGHT_PUBLICATION_RULES = os.environ.get("OVERSIGHT_PUBLICATION_RULES", "")
OVERSIGHT_360GIVING_PREFIX = os.environ.get("OVERSIGHT_360GIVING_PREFIX", "")
OVERSIGHT_FUNDER_NAME = os.environ.get("OVERSIGHT_FUNDER_NAME", "Police and Crime Commissioner")
OVERSIGHT_FUNDER_ORG_ID = os.environ.get("OVERSIGHT_FUNDER_ORG_ID", "")

# The command line (django-typer): usage lines name `oversight`, and an error is Django's one
# readable line, never a rich traceback.
DT_MANAGE_SCRIPT = "oversight"
DT_RICH_TRACEBACK_CONFIG = False
