"""Settings shared by every environment. Environment-specific modules only override."""

from pathlib import Path
from typing import Any

import environ
from corsheaders.defaults import default_headers as cors_default_headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# ---- GENERAL ----
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# ---- DATABASES ----
# SQLite with zero set-up unless DATABASE_URL points elsewhere (postgres://user@host:port/name).


# Bounded waiting (docs/reliability.md, "Bounded waiting"): on PostgreSQL every connection gets
# these, in milliseconds (0 = no limit). A statement running longer is cancelled and a lock
# awaited longer is given up; the request answers 503 with Retry-After (commerce.db.transient)
# instead of holding its worker. The statement limit stays under gunicorn's worker timeout (30 s)
# so the database, not the worker kill, ends a stuck request. Long maintenance (a migration on
# a big database, `generate_catalog`) runs with DATABASE_STATEMENT_TIMEOUT_MS=0.
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=15_000)
DATABASE_LOCK_TIMEOUT_MS = env.int("DATABASE_LOCK_TIMEOUT_MS", default=5_000)
# The planner's cost of reading a random page, for this app's sessions: 1.1, for SSDs or a working
# set in memory, where PostgreSQL's default (4) is for spinning disks. With 4, a channel's count of
# 15,000 links (benchmark data) is an index-only scan of product_channel_newest_idx (6 ms) or a
# bitmap scan of the 4,187 table pages the links lie on (18 ms), depending on ANALYZE's sample
# (15,008 or 25,032 rows estimated); with 1.1 it is the index-only scan under either estimate.
# Empty: the server's own setting (docs/deployment.md, PostgreSQL).
DATABASE_RANDOM_PAGE_COST = env("DATABASE_RANDOM_PAGE_COST", default="1.1")
# Seconds to wait for a connection to PostgreSQL (libpq's connect_timeout).
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
# The product pages' JSON statement prepared once per connection (commerce.db.postgresql.base,
# `prepared_rows`). Off behind a pooler that cannot follow prepared statements (PgBouncer older
# than 1.21, or without max_prepared_statements): then it is planned on every run.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)


def database(config: dict) -> dict:
    """Return a DATABASES entry; PostgreSQL goes through our backend, with bounded waits.

    The backend is Django's, with psycopg's compiled timestamp loader
    (commerce/db/postgresql/base.py). The timeouts travel in the connection's startup packet
    (`-c name=value`), so they cost no extra round trip.
    """
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "commerce.db.postgresql"
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        startup = [
            f"statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
            f"lock_timeout={DATABASE_LOCK_TIMEOUT_MS}",
        ]
        if DATABASE_RANDOM_PAGE_COST:
            startup.append(f"random_page_cost={float(DATABASE_RANDOM_PAGE_COST)}")
        options.setdefault("options", " ".join(f"-c {setting}" for setting in startup))
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        # `make run` writes from more than one thread (webhook deliveries run beside requests):
        # a transaction takes SQLite's write lock when it begins, so two writers queue (up to
        # `timeout` seconds) instead of one failing at once with "database is locked" when it
        # tries to turn its read lock into a write lock.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
    return config


# Caches. `default`: throttles and health (production: CACHE_URL). `render`: the store lists'
# rendered product fragments (commerce.api.fragments), RENDER_CACHE_URL, else CACHE_URL, else
# this process's memory (`make run`). With Redis, give it short timeouts so that an unreachable
# cache costs milliseconds, e.g. redis://host:6379/1?socket_connect_timeout=0.1&socket_timeout=0.1
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
CACHES["render"] = env.cache(
    "RENDER_CACHE_URL", default=env("CACHE_URL", default="locmemcache://render")
)

DATABASES = {
    "default": database(env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- APPS ----
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
LOCAL_APPS = [
    "commerce",
    "saleschannels",
    "customers",
    "catalog",
    "inventory",
    "carts",
    "orders",
    "webhooks",
    "batchjobs",
]
# Development tooling without models: the benchmark catalogue generator (`generate_catalog`).
TOOL_APPS = ["devdata"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS + TOOL_APPS

# ---- AUTH ----
AUTH_USER_MODEL = "commerce.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "admin:login"

# ---- STORE CUSTOMERS (docs/customers.md) ----
# Sign-in tokens (`POST /store/auth/token`, sent back as `Authorization: Bearer`): HS256 JWTs
# signed with STORE_JWT_SECRET (SECRET_KEY when empty), valid for STORE_JWT_EXPIRY seconds.
STORE_JWT_SECRET = env("STORE_JWT_SECRET", default="")
STORE_JWT_EXPIRY = env.int("STORE_JWT_EXPIRY", default=24 * 60 * 60)
# The store's cookie session (`POST /store/auth`): its own cookie, never the staff session's.
STORE_SESSION_COOKIE_NAME = env("STORE_SESSION_COOKIE_NAME", default="store_session")
STORE_SESSION_COOKIE_AGE = env.int("STORE_SESSION_COOKIE_AGE", default=10 * 60 * 60)
STORE_SESSION_COOKIE_SECURE = env.bool("STORE_SESSION_COOKIE_SECURE", default=False)
# Origins (scheme://host[:port]) besides the server's own whose browser pages may write with the
# store session cookie; a write carrying any other Origin header is refused.
STORE_TRUSTED_ORIGINS = env.list("STORE_TRUSTED_ORIGINS", default=[])
# `GET /store/auth/{email}` tells whether an email has an account (Medusa's route); off → 404.
STORE_AUTH_EMAIL_LOOKUP = env.bool("STORE_AUTH_EMAIL_LOOKUP", default=True)
STORE_PASSWORD_RESET_EXPIRY = env.int("STORE_PASSWORD_RESET_EXPIRY", default=15 * 60)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

# ---- READ REPLICAS ----
# DATABASE_REPLICA_URLS: comma-separated URLs of streaming replicas of DATABASE_URL. Safe store
# catalogue reads go to them, everything else to the primary (commerce/db/replicas.py).
DATABASE_REPLICAS = []
for _n, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[])):
    DATABASES[f"replica_{_n}"] = {
        **database(env.db_url_config(_url)),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica_{_n}")
DATABASE_ROUTERS = ["commerce.db.replicas.DatabaseRouter"]
REPLICA_READ_PATHS = [
    "/api/store/products",
    "/api/store/variants",
    "/api/store/collections",
    "/api/store/product-categories",
    "/api/store/product-tags",
    "/api/store/product-types",
    "/api/store/regions",
]

# ---- MIDDLEWARE ----
MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",  # first: it answers preflights itself
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "commerce.api.middleware.ApiNotFoundJsonMiddleware",  # JSON 404s under /api/ with DEBUG on
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "commerce.api.middleware.ApiTrailingSlashMiddleware",  # medusa-js sends /admin/store/
    "commerce.db.replicas.ReplicaReadsMiddleware",  # store catalogue reads on replicas, if any
    # Last: it calls the view itself (to retry a safe request once after a transient error).
    "commerce.api.middleware.TransientDatabaseErrorMiddleware",
]

# ---- CORS ----
# As Medusa's `store_cors` and `admin_cors`: comma-separated origins, e.g.
# STORE_CORS=http://localhost:8000,https://shop.example.com. Store origins may call /api/store/,
# admin origins /api/admin/ (with credentials: the admin's session cookie); any other origin
# gets no CORS header. Matching per surface: commerce/api/cors.py.
STORE_CORS = env.list("STORE_CORS", default=[])
ADMIN_CORS = env.list("ADMIN_CORS", default=[])
CORS_ALLOWED_ORIGINS: list[str] = []  # the per-surface lists above decide, through a signal
CORS_URLS_REGEX = r"^/api/(store|admin)/"
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (
    *cors_default_headers,
    "x-publishable-api-key",  # medusa-js's publishableApiKey
    "x-medusa-access-token",  # medusa-js's admin apiKey
    "idempotency-key",  # medusa-js sends it on POSTs when it retries
)
CORS_EXPOSE_HEADERS = ["idempotency-key"]

# ---- TEMPLATES / STATIC ----
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
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (product pictures) go through the default storage: files under MEDIA_ROOT,
# served at MEDIA_URL by `make run` (config/urls.py, DEBUG only); production points the default
# storage at S3 or any S3-compatible store (config/settings/production.py, docs/deployment.md).
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
PRODUCT_IMAGE_MAX_BYTES = env.int("PRODUCT_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ---- REST API ----
REST_FRAMEWORK = {
    # Deny by default; each surface sets its own authentication and permissions.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "commerce.api.authentication.ApiTokenAuthentication",
        "commerce.api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["commerce.api.authentication.AdminPermission"],
    "DEFAULT_FILTER_BACKENDS": ["commerce.api.filters.ContractFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "commerce.api.pagination.EnvelopeLimitOffsetPagination",
    "DEFAULT_RENDERER_CLASSES": ["commerce.api.renderers.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["commerce.api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "commerce.api.schema.ContractAutoSchema",
    "EXCEPTION_HANDLER": "commerce.api.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {"admin_login": "10/min", "store_login": "10/min"},
}
# A transient database error (deadlock, timeout, connection refused or lost) is a 503 with this
# Retry-After, in seconds (commerce.api.exceptions); /health uses it too.
API_RETRY_AFTER_SECONDS = env.int("API_RETRY_AFTER_SECONDS", default=2)
# Request bodies above this size are refused with a 413 (commerce.api.parsers); a batch of
# 20,000 ids, the most a batch accepts, is about 1 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

SPECTACULAR_SETTINGS = {
    "TITLE": "Sales-channel commerce API",
    "DESCRIPTION": (
        "Medusa v1 compatible admin (`/api/admin/`) and store (`/api/store/`) APIs centred on sales channels. "
        "Admin: staff session (CSRF) or `x-medusa-access-token`. Store: anonymous, optionally scoped by "
        "`x-publishable-api-key`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/(admin|store)",
    "SECURITY": [],
    # Several models have a `status` field with different choices; name their enums explicitly.
    "ENUM_NAME_OVERRIDES": {
        "ProductStatusEnum": "catalog.models.ProductStatus",
        "OrderStatusEnum": "orders.models.OrderStatus",
    },
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "publishable_key": {"type": "apiKey", "in": "header", "name": "x-publishable-api-key"},
        }
    },
}

# ---- FEATURE FLAGS ----
# Environment variables win over this dict (see commerce/flags.py and design §6).
FEATURE_FLAGS = {
    "sales_channels": True,
    "publishable_api_keys": True,
}

# ---- WEBHOOKS AND CELERY (docs/webhooks.md, docs/deployment.md) ----
# celery: Celery workers deliver (production); thread: threads in the web process (`make run`);
# sync: the caller's thread, retries left to the sweep (tests).
WEBHOOKS_DELIVERY_MODE = env("WEBHOOKS_DELIVERY_MODE", default="celery")
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10)
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=10)
# Retry n waits base * 2^(n-1) seconds, capped at max, of which half is random (jitter):
# with the defaults ~30 s, 1, 2, 4, 8, 16, 32 min, then 1 h: ~3.5 hours in all.
WEBHOOKS_RETRY_BASE_SECONDS = env.float("WEBHOOKS_RETRY_BASE_SECONDS", default=30)
WEBHOOKS_RETRY_MAX_SECONDS = env.float("WEBHOOKS_RETRY_MAX_SECONDS", default=3600)
# A worker holds a delivery for timeout + margin; past that a dead worker's delivery is retried.
WEBHOOKS_LEASE_MARGIN_SECONDS = env.float("WEBHOOKS_LEASE_MARGIN_SECONDS", default=30)
WEBHOOKS_SWEEP_INTERVAL_SECONDS = env.float("WEBHOOKS_SWEEP_INTERVAL_SECONDS", default=30)
WEBHOOKS_SWEEP_GRACE_SECONDS = env.float("WEBHOOKS_SWEEP_GRACE_SECONDS", default=30)
# Events (and their delivery logs) older than this are deleted by the sweep; 0 keeps them all.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)
# SSRF guard: refuse URLs whose host resolves to loopback, private, link-local… addresses.
WEBHOOKS_ALLOW_PRIVATE_URLS = env.bool("WEBHOOKS_ALLOW_PRIVATE_URLS", default=False)

# ---- BATCH JOBS (docs/batch-jobs.md) ----
# celery: Celery workers run them (production); thread: a thread of the web process (`make run`);
# sync: right away in the caller (tests).
BATCH_JOBS_RUN_MODE = env("BATCH_JOBS_RUN_MODE", default="celery")
# Files above this size are refused by POST /api/admin/uploads (413) and by an import.
BATCH_JOBS_UPLOAD_MAX_BYTES = env.int("BATCH_JOBS_UPLOAD_MAX_BYTES", default=32 * 1024 * 1024)
# Products read, moved or reported per step of a job (one progress update each).
BATCH_JOBS_CHUNK_SIZE = env.int("BATCH_JOBS_CHUNK_SIZE", default=1000)
# A pause before each chunk, to watch a job's progress on a small demo shop (and in tests). 0 in
# production.
BATCH_JOBS_CHUNK_PAUSE_SECONDS = env.float("BATCH_JOBS_CHUNK_PAUSE_SECONDS", default=0)

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="commerce")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers a message not acknowledged within this time; it must exceed the longest retry
# countdown (WEBHOOKS_RETRY_MAX_SECONDS). A duplicate is harmless (deliveries are claimed).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_TIMEZONE = "UTC"
# How often the channels' kept count rows are folded (catalog.services.channel_counts_compact):
# each statement writing links adds a row per channel, which every count reads until folded.
CHANNEL_COUNTS_COMPACT_SECONDS = env.float("CHANNEL_COUNTS_COMPACT_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "webhooks-sweep": {
        "task": "webhooks.sweep",
        "schedule": WEBHOOKS_SWEEP_INTERVAL_SECONDS,
        "options": {"queue": CELERY_TASK_DEFAULT_QUEUE, "expires": WEBHOOKS_SWEEP_INTERVAL_SECONDS},
    },
    "catalog-channel-counts-compact": {
        "task": "catalog.channel_counts_compact",
        "schedule": CHANNEL_COUNTS_COMPACT_SECONDS,
        "options": {"queue": CELERY_TASK_DEFAULT_QUEUE, "expires": CHANNEL_COUNTS_COMPACT_SECONDS},
    },
}

# ---- LOGGING ----
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
