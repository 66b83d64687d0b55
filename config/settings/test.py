"""Settings for the test suite: fast hashing, in-memory caches and email."""

import tempfile

from .base import *

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # An on-disk test database lets browser tests share it with a live server thread.
    DATABASES["default"]["TEST"]["NAME"] = env(
        "TEST_SQLITE_PATH", default=str(BASE_DIR / ".test-db.sqlite3")
    )

# Uploads made by tests land in a throw-away directory, never in the repository's media/.
MEDIA_ROOT = env("TEST_MEDIA_ROOT", default=tempfile.mkdtemp(prefix="commerce-test-media-"))

# Serve static files from the apps directly (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
