"""Settings for the test suite: the local settings, with fast hashing, in-memory caches and email."""

import tempfile

from .local import *

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# TEST_CACHE_URL: a cache shared with a worker process (tests/batchjobs/test_workers.py).
CACHES = {
    "default": env.cache("TEST_CACHE_URL", default="locmemcache://"),
    # The render cache on Redis when TEST_RENDER_CACHE_URL says so (CI: the machine's Redis).
    "render": env.cache("TEST_RENDER_CACHE_URL", default="locmemcache://render"),
}
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # An on-disk test database lets browser tests share it with a live server thread.
    DATABASES["default"]["TEST"]["NAME"] = env(
        "TEST_SQLITE_PATH", default=str(BASE_DIR / ".test-db.sqlite3")
    )

# Uploads made by tests land in a throw-away directory, never in the repository's media/.
MEDIA_ROOT = env("TEST_MEDIA_ROOT", default=tempfile.mkdtemp(prefix="commerce-test-media-"))

# Webhooks: delivered in the caller's thread (no broker) unless a test runs a real Celery worker
# (tests/webhooks/test_celery_worker.py sets WEBHOOKS_DELIVERY_MODE=celery for its worker, on the
# Redis of CELERY_BROKER_URL, db 15 by default). Short timeouts and retry delays keep the tests
# fast; they are fixed here (the environment does not move them); loopback receivers are allowed
# (local.py).
WEBHOOKS_DELIVERY_MODE = env("WEBHOOKS_DELIVERY_MODE", default="sync")
WEBHOOKS_TIMEOUT_SECONDS = 2.0
WEBHOOKS_RETRY_BASE_SECONDS = 0.05
WEBHOOKS_RETRY_MAX_SECONDS = 0.2
WEBHOOKS_LEASE_MARGIN_SECONDS = 1.0
WEBHOOKS_SWEEP_INTERVAL_SECONDS = 0.5
WEBHOOKS_SWEEP_GRACE_SECONDS = 0.5
BATCH_JOBS_RUN_MODE = env("BATCH_JOBS_RUN_MODE", default="sync")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_BEAT_SCHEDULE["webhooks-sweep"]["schedule"] = WEBHOOKS_SWEEP_INTERVAL_SECONDS
CELERY_BEAT_SCHEDULE["webhooks-sweep"]["options"] = {
    "queue": CELERY_TASK_DEFAULT_QUEUE,
    "expires": WEBHOOKS_SWEEP_INTERVAL_SECONDS * 4,
}

# A replica alias for tests/commerce/test_replicas.py: a second connection to the test database
# (TEST MIRROR). Store reads use it only where a test turns DATABASE_REPLICAS on.
if not DATABASE_REPLICAS:
    DATABASES["replica_0"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
