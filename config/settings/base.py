"""Settings for every environment, switched by environment variables.

Nothing set gives the embedded default: SQLite in the project folder and Celery
tasks run in-process. DATABASE_URL=postgres://... selects PostgreSQL (psycopg 3);
CELERY_BROKER_URL=redis://... sends tasks to real Celery workers and beat.
A malformed value stops start-up with ImproperlyConfigured rather than running
on a setting nobody asked for.
"""

import ipaddress
import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Only for the embedded default on a developer's machine; production.py insists on one and refuses this.
EMBEDDED_DEFAULT_SECRET_KEY = "insecure-embedded-default-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=EMBEDDED_DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Failed sign-ins counted per client address and per username (see "Auth" below).
    "axes",
    "reports",
    "casualties",
]

MIDDLEWARE = [
    # Drops X-Forwarded-Proto unless a proxy in TRUSTED_PROXIES sent it (config/security.py).
    "config.security.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON gzipped when the client accepts it (static files come compressed from WhiteNoise, above);
    # Django pads every gzipped body with random bytes, against BREACH (docs/security.md).
    "django.middleware.gzip.GZipMiddleware",
    # An ETag on every GET answer, and 304 Not Modified when the client already holds it: a repeat visit
    # of the dashboard receives no JSON body unless the data changed. Inside GZip, so the tag is the
    # uncompressed body's (GZip's random padding would make every gzipped body unique).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL in a query parameter: a 400 in the one error shape, before any query (config/errors.py).
    "config.errors.NulInQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # With PUBLIC_READ=false, dashboard pages need the viewer role (casualties/middleware.py).
    "casualties.middleware.ReadAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database that is down or restarting: 503 "try again" (JSON for the API), not a bare 500.
    "config.outage.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
if not DATABASE_URL.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
    raise ImproperlyConfigured(f"DATABASE_URL must be sqlite:// or postgres://, not {DATABASE_URL.split(':')[0]!r}")
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASE_ENGINE = "postgresql" if "postgresql" in DATABASES["default"]["ENGINE"] else "sqlite"
if DATABASE_ENGINE == "postgresql":
    DATABASES["default"].update(
        {
            "ENGINE": "django.db.backends.postgresql",  # psycopg 3 is picked up when installed
            "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=60),
            # Reconnect by itself after a PostgreSQL restart instead of failing the next request.
            "CONN_HEALTH_CHECKS": True,
        }
    )
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Concurrent writers (the in-process tasks and a request) wait instead of failing.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An article submitted as text may be up to 5,000,000 characters; the request that carries it is
# allowed a little more than that in bytes, so the API can answer which field is too long.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Django 6's default now: a URL typed without a scheme means https.
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Celery -------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL must be a redis:// URL (or memory:// in tests)")
# No broker: run every task in the calling process, so the app works with Python alone.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Eager tasks retry in place (Celery re-applies them) only when their exceptions are not propagated;
# the tasks record their own failures on the article, so nothing is hidden.
CELERY_TASK_EAGER_PROPAGATES = False
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged after it ran, so a worker that dies mid-task leaves it to be redelivered.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up closes the database connection around every task unless this is set; config/celery.py
# keeps it between tasks as Django keeps it between requests (CONN_MAX_AGE, CONN_HEALTH_CHECKS). The fix-up
# still closes it every 2 x this many tasks.
CELERY_DB_REUSE_MAX = 500
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "poll-due-feeds": {"task": "reports.tasks.feeds_poll_due", "schedule": 60.0},
    "sweep-pending-articles": {"task": "reports.tasks.articles_sweep_pending", "schedule": 120.0},
}
# Every task stops: past the soft limit it gets SoftTimeLimitExceeded and can record why; past the hard
# limit its worker process is killed (and the message acknowledged, not redelivered). The longest task
# extracts and files INGEST_BATCH_SIZE articles, a few seconds; reports/tasks.py gives the tasks that fetch
# a tighter limit, from HTTP_TIMEOUT_SECONDS.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
if CELERY_TASK_SOFT_TIME_LIMIT < 1:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be >= 1")
# Bounded retries for network errors and crashing extractions, with exponential backoff.
INGEST_MAX_RETRIES = env.int("INGEST_MAX_RETRIES", default=5)
# Articles extracted and filed per task when many arrive at once (a folder, the sweep), and at most taken
# together when they come one at a time (the API, feeds): a queue message and a transaction cost more than
# extracting an article, and filing a chunk costs about the same for 25 articles as for 100
# (docs/ingestion.md, "Throughput").
INGEST_BATCH_SIZE = env.int("INGEST_BATCH_SIZE", default=100)
if INGEST_BATCH_SIZE < 1:
    raise ImproperlyConfigured("INGEST_BATCH_SIZE must be >= 1")
# A claim the engine is less sure of than this (its confidence, a probability in [0, 1]) is filed as needing
# review, on its article and on its incident, with the reason (docs/ingestion.md, "Nothing silent").
# Two-person verification: an analyst's "verify" leaves the incident unverified, awaiting confirmation,
# and a second analyst (neither the one who asked nor the one who made the last change) confirms it.
REVIEW_TWO_PERSON = env.bool("REVIEW_TWO_PERSON", default=False)

EXTRACTION_REVIEW_THRESHOLD = env.float("EXTRACTION_REVIEW_THRESHOLD", default=0.5)
if not 0 <= EXTRACTION_REVIEW_THRESHOLD <= 1:
    raise ImproperlyConfigured("EXTRACTION_REVIEW_THRESHOLD must be a number from 0 to 1")

# --- Cache ----------------------------------------------------------------------

# Rate-limit and lockout counts live here. CACHE_URL=redis://host:6379/1 shares them between every
# gunicorn worker and machine; unset, each process counts on its own (fine for one process).
CACHE_URL = env.str("CACHE_URL", default="locmemcache://")
if not CACHE_URL.startswith(("redis://", "rediss://", "locmemcache://")):
    raise ImproperlyConfigured("CACHE_URL must be a redis:// URL (or locmemcache:// for one process)")
CACHES = {"default": env.cache_url_config(CACHE_URL)}
# django-axes warns that a local-memory cache is not shared between processes. True, and harmless with
# one process; production.py lets the warning through, so `check --deploy` asks for CACHE_URL.
SILENCED_SYSTEM_CHECKS = ["axes.W001"] if CACHE_URL.startswith("locmemcache://") else []

# --- Auth, roles, rate limits ------------------------------------------------------

# Roles are the groups casualties/services/roles.py keeps: viewers, analysts, admins (docs/security.md).
# PUBLIC_READ=false makes reading (dashboard, API, exports) need the viewer role's permission.
PUBLIC_READ = env.bool("PUBLIC_READ", default=True)
LOGIN_URL = "casualties:login"
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in from a locked-out address or username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Proxies in front of the app whose X-Forwarded-For may be trusted; 0 means the client address is the
# peer's (REMOTE_ADDR), so a forged header cannot dodge the rate limits.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be >= 0")
# Addresses or networks (comma-separated) of the TLS proxies in front of the app, whose X-Forwarded-Proto
# is believed (production.py reads it through SECURE_PROXY_SSL_HEADER). From any other peer the header is
# dropped; unset, it is dropped from everyone.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network") from None
# django-axes: after LOGIN_FAILURE_LIMIT failed sign-ins from one address, or for one username, within
# LOGIN_COOLOFF_MINUTES of each other, sign-in is refused (429) until that many minutes have passed.
# It counts every authenticate() call: the dashboard form, the admin's and the API's token endpoint.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be >= 1")
# django-axes' cache handler, with `manage.py axes_reset` working (config/security.py).
AXES_HANDLER = "config.security.ResettableAxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one alone locks
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it, so the wait announced is the wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "casualties.login.login_lockout_response"  # 429, Retry-After, a readable page
AXES_CLIENT_IP_CALLABLE = "casualties.api.auth.client_address"
AXES_ENABLE_ADMIN = False  # the cache handler keeps nothing in the database to show
AXES_VERBOSE = False  # no banner on every command's start-up; lockouts are still logged as warnings
# The token endpoint's own request rates (DRF throttles), per client address and per username.
TOKEN_RATE_PER_ADDRESS = env.str("TOKEN_RATE_PER_ADDRESS", default="30/hour")
TOKEN_RATE_PER_USERNAME = env.str("TOKEN_RATE_PER_USERNAME", default="10/hour")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- i18n, static -----------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js from the plotly package, as vendor/plotly-<version>/plotly.min.js.
    "casualties.static_finders.PlotlyFinder",
]
# STATIC_COLLECTED=true serves what `collectstatic` wrote to STATIC_ROOT: names with a hash of the
# content, cached by browsers for a year, with gzip and Brotli copies made once at collectstatic
# (production.py and `make demo`). Unset, the embedded default serves static files straight from the
# source folders, uncompressed and cached for a minute: nothing to collect first (tests, runserver).
STATIC_COLLECTED = env.bool("STATIC_COLLECTED", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=not STATIC_COLLECTED)

# --- Application ----------------------------------------------------------------

# Outbound HTTP (reports/http.py): loopback is refused unless this is set, for tests and local use only.
HTTP_ALLOW_LOOPBACK = env.bool("HTTP_ALLOW_LOOPBACK", default=False)
HTTP_MAX_BYTES = env.int("HTTP_MAX_BYTES", default=5 * 1024 * 1024)
HTTP_TIMEOUT_SECONDS = env.float("HTTP_TIMEOUT_SECONDS", default=20.0)

# Articles left pending longer than this are re-queued by the beat sweep.
ARTICLE_PENDING_SWEEP_AFTER = timedelta(minutes=env.int("ARTICLE_PENDING_SWEEP_MINUTES", default=10))

# --- Public API (casualties/api) ---------------------------------------------------

# Requests a minute (or /second, /hour, /day) an anonymous client may make; DRF's format.
API_ANON_THROTTLE_RATE = env.str("API_ANON_THROTTLE_RATE", default="120/minute")
# Full exports (casualties/exports.py): per client, this many a period and this many at once.
EXPORT_THROTTLE_RATE = env.str("EXPORT_THROTTLE_RATE", default="20/minute")
EXPORT_CONCURRENCY_PER_CLIENT = env.int("EXPORT_CONCURRENCY_PER_CLIENT", default=2)
if EXPORT_CONCURRENCY_PER_CLIENT < 1:
    raise ImproperlyConfigured("EXPORT_CONCURRENCY_PER_CLIENT must be >= 1")
for _name in ("API_ANON_THROTTLE_RATE", "TOKEN_RATE_PER_ADDRESS", "TOKEN_RATE_PER_USERNAME", "EXPORT_THROTTLE_RATE"):
    if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must look like 120/minute")
# PostgreSQL statement timeout for public reads (lists, stats, exports); 0 turns it off. No-op on SQLite.
API_STATEMENT_TIMEOUT_MS = env.int("API_STATEMENT_TIMEOUT_MS", default=5000)
if API_STATEMENT_TIMEOUT_MS < 0:
    raise ImproperlyConfigured("API_STATEMENT_TIMEOUT_MS must be >= 0")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated write gets 401 with "WWW-Authenticate: Token".
        "casualties.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads as PUBLIC_READ says; views that write name their own permission (casualties/api/permissions.py).
    "DEFAULT_PERMISSION_CLASSES": ["casualties.api.permissions.CanReadOrAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["casualties.api.parsers.StrictJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": API_ANON_THROTTLE_RATE,
        "token_address": TOKEN_RATE_PER_ADDRESS,
        "token_username": TOKEN_RATE_PER_USERNAME,
        "export": EXPORT_THROTTLE_RATE,
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Every error in one JSON shape, the dashboard's JSON endpoints' too (config/errors.py, docs/api.md).
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casualty tracker API",
    "DESCRIPTION": "Incidents of armed violence, their casualty figures and the reports behind them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "casualties.models.Incident.ReviewStatus",
        "ReviewDecisionEnum": [("verified", "Verified"), ("rejected", "Rejected")],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per task run drowns the command-line progress bars.
    "loggers": {"celery.app.trace": {"level": "WARNING"}},
}
