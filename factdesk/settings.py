"""Factdesk settings: one module, driven by environment variables.

Every variable is listed in docs/configuration.md. Malformed values raise
ImproperlyConfigured at start-up rather than misbehaving later.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true/false, 1/0, yes/no.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None


DEBUG = env_bool("DEBUG", default=False)

# Commands that sign nothing with the key: they run without one, so the README's recovery step
# (`.venv/bin/python manage.py changepassword admin`) works in a local checkout outside `make`.
# They get a random key that nothing will ever trust; servers and every other command still
# need a real one when DEBUG is off.
KEYLESS_COMMANDS = frozenset({"changepassword", "createsuperuser"})


def _keyless_command() -> bool:
    argv = sys.argv
    return Path(argv[0]).name == "manage.py" and len(argv) > 1 and argv[1] in KEYLESS_COMMANDS


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and not DEBUG and _keyless_command():
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set SECRET_KEY to a long random string "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), or set DEBUG=true '
            "for local development."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    # Three third-party apps under names for editors (factdesk/app_names.py), and readers'
    # tips below.
    "factdesk.app_names.BackgroundTasksConfig",
    "rest_framework_api_key",
    "django_otp",
    "factdesk.app_names.TwoFactorDevicesConfig",
    "factdesk.app_names.SignInLockoutsConfig",
    "sources",
    "factchecks",
    "claimants",
    "claims",
    "monitoring",
    "tips",
    "api",
    "accounts",
    "ops",
]

MIDDLEWARE = [
    # Answers /healthz and /readyz before host checks and HTTPS redirects, which a load
    # balancer's probe (plain HTTP, the container's own address) would fail.
    "lib.middleware.HealthCheckMiddleware",
    # Request id and the one log line per request; outermost so it times everything below.
    "lib.middleware.RequestLogMiddleware",
    # An API body over API_MAX_BODY_BYTES: a problem+json 413 before anything reads it.
    "api.middleware.ApiBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Absolute links follow the address the request came to when FACTDESK_SITE_URL is unset.
    "lib.site_url.SiteUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user as verified when the session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records the logged-in user on every history entry written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A view that fails because the database is unreachable answers 503, not a traceback.
    "lib.middleware.DatabaseUnavailableMiddleware",
    # Turns a locked-out login into the lockout page; django-axes wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factdesk.urls"

TEMPLATES = [
    # The public reader pages: Jinja2, for speed (factdesk/jinja2.py says why).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "factdesk.jinja2.environment",
            "context_processors": [
                "factdesk.context_processors.organization",
                "factdesk.jinja2.translations",
            ],
        },
    },
    # The admin, sign-in pages and e-mails.
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
                "factdesk.context_processors.organization",
            ],
        },
    },
]

WSGI_APPLICATION = "factdesk.wsgi.application"
ASGI_APPLICATION = "factdesk.asgi.application"

# SQLite is the zero-configuration default; production and CI set DATABASE_URL to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Keep each worker's SQLite connection open between requests: opening one (and reading
    # the schema on its first query) took longer than serving a claim page from it. The file
    # is local, so there is no server to drop it; runserver closes its own after each request.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool keeps connections open inside each worker process; it replaces
    # CONN_MAX_AGE (Django refuses both at once).
    DB_POOL_MAX = env_int("DB_POOL_MAX", 8)
    if DB_POOL_MAX > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_MAX,
            # Waiting for a pooled connection only happens when PostgreSQL is unreachable
            # (a sync worker holds one connection at a time): give up soon and answer 503.
            "timeout": env_float("DB_POOL_TIMEOUT", 3.0),
        }
    # The public pages' compiled queries (lib/compiled_query.py) are prepared on first
    # use, so PostgreSQL plans each once per connection instead of on every visit (planning
    # took longer than running them). Django's own queries bind client-side and psycopg never
    # prepares those. Behind PgBouncer in transaction mode a connection may change server
    # between transactions: no server-side cursors, and no prepared statements.
    if env_bool("DB_PGBOUNCER", default=False):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
    else:
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0

# Optional read replica (docs/operations.md, "Scaling"): anonymous page reads go to it, the
# rest stays on the primary. Tests mirror it onto the test database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL is not a valid database URL: {exc}"
        ) from None
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["lib.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(2, "lib.db_router.ReplicaRoutingMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("it", _("Italian"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not one of the shipped languages: "
        + ", ".join(dict(LANGUAGES))
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Rome")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known IANA time zone.") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The fact-checking organisation named as author in public ClaimReview markup.
FACTDESK_ORGANIZATION_NAME = env_str("FACTDESK_ORGANIZATION_NAME", "Factdesk")
# The desk's home page (ClaimReview author.url, oEmbed provider); unset, the site's address.
FACTDESK_ORGANIZATION_URL = env_str("FACTDESK_ORGANIZATION_URL").rstrip("/")
# The public address of this Factdesk, for every absolute link (lib/site_url.py). Unset, links
# use the address each request came to (right by default in development, whatever the port).
FACTDESK_SITE_URL = env_str("FACTDESK_SITE_URL").rstrip("/")
# Two-person rule: the editor who publishes a claim may not be the person who researched it.
FACTDESK_REQUIRE_SECOND_REVIEWER = env_bool("FACTDESK_REQUIRE_SECOND_REVIEWER", default=True)
# The desk's main language: with FACTDESK_PUBLISH_NEEDS_MAIN_LANGUAGE, a claim is published
# only once its text exists in it (its own language or a translation).
FACTDESK_MAIN_LANGUAGE = env_str("FACTDESK_MAIN_LANGUAGE", LANGUAGE_CODE)
if FACTDESK_MAIN_LANGUAGE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"FACTDESK_MAIN_LANGUAGE={FACTDESK_MAIN_LANGUAGE!r} is not one of: "
        + ", ".join(dict(LANGUAGES))
    )
FACTDESK_PUBLISH_NEEDS_MAIN_LANGUAGE = env_bool("FACTDESK_PUBLISH_NEEDS_MAIN_LANGUAGE")
# The desk dashboard lists open claims whose status has not moved for this many days.
FACTDESK_STUCK_DAYS = env_int("FACTDESK_STUCK_DAYS", 7)

# Public pages are cached whole (claims/caching.py) under a version bumped whenever published
# content changes; 0 turns the page cache off (conditional GETs still answer 304).
FACTDESK_PAGE_CACHE_SECONDS = env_int("FACTDESK_PAGE_CACHE_SECONDS", 600)

# Content-Security-Policy: everything from this origin, no inline script or style anywhere
# (verdict colours come from a generated stylesheet, the popover from a static file). Only the
# embeddable claim card may be framed by other sites (it widens frame-ancestors itself).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# The integration API (/api/v1/): docs/api.md.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 2 * 1024 * 1024)
# Source health: links are re-checked this many days after their last check; sources are
# archived with the Wayback Machine's Save Page Now when both keys are set
# (keys from https://archive.org/account/s3.php).
FACTDESK_LINK_CHECK_DAYS = env_int("FACTDESK_LINK_CHECK_DAYS", 7)
WAYBACK_ACCESS_KEY = env_str("WAYBACK_ACCESS_KEY")
WAYBACK_SECRET_KEY = env_str("WAYBACK_SECRET_KEY")
WAYBACK_ENDPOINT = "https://web.archive.org"
# The safe fetcher (lib/fetching.py) refuses loopback addresses; only tests turn this on.
FACTDESK_FETCH_ALLOW_LOOPBACK = False

# Similar-claim vectors (lib/vector_index.py, docs/vector-search.md): pgvector's HNSW index where
# the database has the extension, else a usearch snapshot file under FACTDESK_VECTOR_INDEX_DIR
# (one per host, shared by its processes), rebuilt by `manage.py vector_index_build`.
FACTDESK_VECTOR_BACKEND = env_str("FACTDESK_VECTOR_BACKEND", "auto")
if FACTDESK_VECTOR_BACKEND not in {"auto", "pgvector", "local"}:
    raise ImproperlyConfigured(
        f"FACTDESK_VECTOR_BACKEND={FACTDESK_VECTOR_BACKEND!r}: use auto, pgvector or local."
    )
FACTDESK_VECTOR_INDEX_DIR = Path(
    env_str("FACTDESK_VECTOR_INDEX_DIR") or BASE_DIR / "var" / "vector-index"
)
FACTDESK_VECTOR_SOURCE = {"table": "claims_claimembedding", "id_column": "claim_id"}

# Other organisations' fact-checks (factchecks/, docs/harvest.md): harvested by the worker from
# the sources configured in the admin, through the safe fetcher, within these bounds per run.
# The Google Fact Check Tools search is used only when FACTDESK_GOOGLE_API_KEY is set.
FACTDESK_GOOGLE_API_KEY = env_str("FACTDESK_GOOGLE_API_KEY", "")
FACTDESK_GOOGLE_FACTCHECK_URL = env_str(
    "FACTDESK_GOOGLE_FACTCHECK_URL",
    "https://factchecktools.googleapis.com/v1alpha1/claims:search",
)
FACTDESK_HARVEST_MAX_BYTES = env_int("FACTDESK_HARVEST_MAX_BYTES", 20 * 1024 * 1024)
FACTDESK_HARVEST_TIMEOUT = env_int("FACTDESK_HARVEST_TIMEOUT", 30)
FACTDESK_HARVEST_MAX_PAGES = env_int("FACTDESK_HARVEST_MAX_PAGES", 50)
FACTDESK_HARVEST_MAX_SITEMAPS = env_int("FACTDESK_HARVEST_MAX_SITEMAPS", 5)
FACTDESK_HARVEST_MAX_API_PAGES = env_int("FACTDESK_HARVEST_MAX_API_PAGES", 10)
FACTDESK_HARVEST_MAX_ITEMS = env_int("FACTDESK_HARVEST_MAX_ITEMS", 5000)
_harvest_bounds = {
    "FACTDESK_HARVEST_MAX_BYTES": FACTDESK_HARVEST_MAX_BYTES,
    "FACTDESK_HARVEST_TIMEOUT": FACTDESK_HARVEST_TIMEOUT,
    "FACTDESK_HARVEST_MAX_PAGES": FACTDESK_HARVEST_MAX_PAGES,
    "FACTDESK_HARVEST_MAX_SITEMAPS": FACTDESK_HARVEST_MAX_SITEMAPS,
    "FACTDESK_HARVEST_MAX_API_PAGES": FACTDESK_HARVEST_MAX_API_PAGES,
    "FACTDESK_HARVEST_MAX_ITEMS": FACTDESK_HARVEST_MAX_ITEMS,
}
for _name, _value in _harvest_bounds.items():
    if _value < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")

# Monitored media (monitoring/, docs/intake.md): feeds, news sitemaps and pages fetched by the
# worker through the safe fetcher, transcripts uploaded or posted live. Sentences neither
# check-worthy nor repeating a published check are deleted after RETENTION_DAYS.
FACTDESK_MONITOR_RETENTION_DAYS = env_int("FACTDESK_MONITOR_RETENTION_DAYS", 14)
FACTDESK_MONITOR_MAX_BYTES = env_int("FACTDESK_MONITOR_MAX_BYTES", 10 * 1024 * 1024)
FACTDESK_MONITOR_TIMEOUT = env_int("FACTDESK_MONITOR_TIMEOUT", 30)
FACTDESK_MONITOR_MAX_ITEMS = env_int("FACTDESK_MONITOR_MAX_ITEMS", 50)
FACTDESK_MONITOR_MAX_SENTENCES = env_int("FACTDESK_MONITOR_MAX_SENTENCES", 2000)
for _name in [
    "FACTDESK_MONITOR_RETENTION_DAYS",
    "FACTDESK_MONITOR_MAX_BYTES",
    "FACTDESK_MONITOR_TIMEOUT",
    "FACTDESK_MONITOR_MAX_ITEMS",
    "FACTDESK_MONITOR_MAX_SENTENCES",
]:
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "api.filters.SingleValuedQuery",
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated call gets 401 with "WWW-Authenticate: Api-Key".
        "api.authentication.IntegrationKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "api.permissions.KeyScopePermission",
        "api.permissions.DeskWritePermission",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "api.rest.LimitedJSONParser",
        "api.rest.LimitedJSONLDParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PAGINATION_CLASS": "api.rest.ApiCursorPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_CLASSES": [
        "api.rest.AnonThrottle",
        "api.rest.CallerThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_CALLER", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factdesk API",
    "DESCRIPTION": (
        "Claims, their evidence and verdicts, for newsroom systems and other fact-checkers. "
        "Anonymous callers read published claims; integrations authenticate with "
        "`Authorization: Api-Key <key>`. Errors are RFC 9457 problem details."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.problem_responses",
    ],
    # Staff see more fields than anonymous callers: a field is documented but not promised.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.choices.ClaimStatus",
        "SourceKindEnum": "sources.models.SourceKind",
        "EventKindEnum": "claims.models.ClaimEvent.Kind",
        "WebhookEventEnum": "api.models.WebhookEvent",
        "ClaimantKindEnum": "claimants.models.ClaimantKind",
        "SightingStatusEnum": "claims.choices.SightingStatus",
        # A site language, wherever a body names one (translations, a reader's tip).
        "SiteLanguageEnum": LANGUAGES,
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Webhooks never go to private, loopback or link-local addresses. Only tests turn this on
# (for a receiver on 127.0.0.1); it is deliberately not read from the environment.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

# Background work (webhook deliveries, link checks, archiving) runs on Django's tasks API
# (the django-tasks backport) with the database backend: `make worker` runs it
# (`manage.py worker`, which also recovers work that a killed worker left behind). Tasks are
# enqueued in the same transaction as the change that causes them, so none is lost or sent
# for a change that rolled back. Tests use the immediate backend.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# `manage.py worker` queues again a task left RUNNING this long by a worker that died (the
# longest of ours, archiving, takes ~6 minutes): ops/taskqueue.py.
FACTDESK_TASK_ABANDONED_MINUTES = env_int("FACTDESK_TASK_ABANDONED_MINUTES", 60)
if FACTDESK_TASK_ABANDONED_MINUTES < 1:
    raise ImproperlyConfigured("FACTDESK_TASK_ABANDONED_MINUTES must be at least 1.")

# "Checked before?" compares claims by meaning with this sentence embedder (docs/matching.md):
# the dotted path of a class following lib.embedding.Embedder. Changing it means running
# `manage.py embed_claims`, which re-embeds every claim with the new model.
FACTDESK_EMBEDDER = env_str("FACTDESK_EMBEDDER", "lib.embedding.Usem3Embedder")

# Readers' tips (tips/, docs/intake.md "Readers' tips"): how long a reader's address for the
# reply is kept, how many tips one client address may send per hour and how many may leave
# one contact address per day (0: no limit), and which open requests a new tip is compared
# with (last asked within the window, at most this many).
TIPS_CONTACT_RETENTION_DAYS = env_int("TIPS_CONTACT_RETENTION_DAYS", 90)
TIPS_RATE_PER_ADDRESS = env_int("TIPS_RATE_PER_ADDRESS", 10)
TIPS_RATE_PER_CONTACT = env_int("TIPS_RATE_PER_CONTACT", 5)
TIPS_GROUP_WINDOW_DAYS = env_int("TIPS_GROUP_WINDOW_DAYS", 30)
TIPS_GROUP_CANDIDATES = env_int("TIPS_GROUP_CANDIDATES", 500)
for _name in ("TIPS_CONTACT_RETENTION_DAYS", "TIPS_GROUP_WINDOW_DAYS", "TIPS_GROUP_CANDIDATES"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "factdesk@localhost")

LOGIN_URL = "admin:login"

# --- Security: `manage.py check --deploy` is silent with DEBUG off and a real SECRET_KEY. ---
# Behind a TLS-terminating proxy Django sees plain HTTP; name the header the proxy sets, such
# as "X-Forwarded-Proto=https". Only set it when the proxy overwrites that header, or a client
# could claim HTTPS.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    _header, _, _value = _proxy_ssl_header.partition("=")
    if not _header.strip() or not _value.strip():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={_proxy_ssl_header!r} must look like X-Forwarded-Proto=https."
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _header.strip().upper().replace("-", "_"),
        _value.strip(),
    )
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes speak plain HTTP to the container (the health middleware answers them first anyway).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Sessions live in the database alone: every replica reads the same session, and a cache
# outage neither signs anyone out nor breaks signing in. (Cached sessions would also let a
# session deleted at sign-out during an outage come back from Redis afterwards.) Only staff
# have sessions, so the query each admin request costs is small.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)  # one working day
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SAMESITE = "Lax"

# --- Cache: Redis shared by every replica; local memory for a single process. ---
CACHE_URL = env_str("REDIS_URL") or env_str("CACHE_URL") or "locmem://"
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _cache_backend = {
        "BACKEND": "lib.cache.RedisCache",
        "LOCATION": CACHE_URL,
        # An unreachable Redis is waited for at most this long, once per few seconds per
        # process (lib/cache.py), and then the site is served without it.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
elif CACHE_URL == "locmem://":
    _cache_backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
elif CACHE_URL == "dummy://":
    _cache_backend = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
else:
    raise ImproperlyConfigured(
        f"REDIS_URL/CACHE_URL={CACHE_URL!r} is not redis://host:port/db, locmem:// or dummy://."
    )
CACHES = {
    "default": {
        **_cache_backend,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "factdesk"),
        "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
    }
}

# --- Staff login: lockout (django-axes) and two-factor authentication (django-otp). ---
# Django's password backend with django-axes' lockout check in front (accounts/backends.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.StaffBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# A lockout holds one account from one address: an attacker cannot lock a colleague out from
# elsewhere, and each guessed pair still costs them the cool-off.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Password spraying (one guess at each of many accounts) never repeats a pair: an address is
# also locked, for every account, after this many failures across usernames (checked by
# accounts/backends.py, as axes has one limit for all its parameters). Higher than the limit
# per account, so that a newsroom behind one address is not locked out by a few typos.
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
if AXES_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        f"AXES_ADDRESS_FAILURE_LIMIT={AXES_ADDRESS_FAILURE_LIMIT} must be at least "
        f"AXES_FAILURE_LIMIT={AXES_FAILURE_LIMIT}: it counts every account's failures."
    )
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1.0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.backends.client_ip"
# Behind a reverse proxy every request comes from the proxy's address: name the header in which
# the proxy puts the client's (deploy/nginx.conf sets X-Real-IP). Only set it when clients cannot
# reach the app except through that proxy, or they could pick their own address.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")
OTP_TOTP_ISSUER = env_str("FACTDESK_ORGANIZATION_NAME", "Factdesk")
# When on, editors (and superusers) must pass a second factor before using the admin.
FACTDESK_REQUIRE_2FA_FOR_EDITORS = env_bool("FACTDESK_REQUIRE_2FA_FOR_EDITORS", default=False)

# --- Logging: one line per request (factdesk.request), optionally JSON for a log shipper. ---
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "lib.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "lib.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Our request line replaces Django's own "Not Found"/"Internal Server Error" lines;
        # errors still reach the log with their traceback through django.request.
        "django.server": {"level": "WARNING"},
        # Lockouts are warnings; axes' start-up banner and every failure are not worth a line.
        "axes": {"level": "WARNING"},
    },
}

# --- Error reporting: Sentry when a DSN is configured. ---
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
        # Reader addresses and staff identities stay out of a third party's hands.
        send_default_pii=False,
    )
