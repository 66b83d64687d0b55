"""Settings shared by every environment. Environment-specific modules only override."""

from pathlib import Path

import environ

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


def database(config: dict) -> dict:
    """Return a DATABASES entry; PostgreSQL goes through our backend.

    That is Django's, with psycopg's compiled timestamp loader (commerce/db/postgresql/base.py).
    """
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "commerce.db.postgresql"
    return config


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
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
LOCAL_APPS = [
    "commerce",
    "saleschannels",
    "catalog",
    "carts",
    "orders",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# ---- AUTH ----
AUTH_USER_MODEL = "commerce.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "admin:login"

# ---- MIDDLEWARE ----
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "commerce.api.middleware.ApiTrailingSlashMiddleware",  # medusa-js sends /admin/store/
]

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
STORAGES = {
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
    "DEFAULT_FILTER_BACKENDS": [
        "commerce.api.filters.ContractFilterBackend",
        "commerce.api.filters.ContractOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "commerce.api.pagination.EnvelopeLimitOffsetPagination",
    "DEFAULT_RENDERER_CLASSES": ["commerce.api.renderers.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["commerce.api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "commerce.api.schema.ContractAutoSchema",
    "EXCEPTION_HANDLER": "commerce.api.exceptions.api_exception_handler",
    "ORDERING_PARAM": "order",
    "SEARCH_PARAM": "q",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {"admin_login": "10/min"},
}
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

# ---- LOGGING ----
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
