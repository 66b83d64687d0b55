"""Settings for running on a developer's machine (`make run`)."""

from .base import *

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# Serve static files from the apps directly (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Webhooks are delivered by threads of the web process: no broker, nothing else to start.
# Receivers on this machine (http://127.0.0.1:…) are allowed here, never in production.
WEBHOOKS_DELIVERY_MODE = env("WEBHOOKS_DELIVERY_MODE", default="thread")
WEBHOOKS_ALLOW_PRIVATE_URLS = env.bool("WEBHOOKS_ALLOW_PRIVATE_URLS", default=True)
WEBHOOKS_SWEEP_INTERVAL_SECONDS = env.float("WEBHOOKS_SWEEP_INTERVAL_SECONDS", default=10)
WEBHOOKS_SWEEP_GRACE_SECONDS = env.float("WEBHOOKS_SWEEP_GRACE_SECONDS", default=10)

# Password reset emails of store customers are printed to the console.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# Batch jobs run in a thread of the web process (docs/batch-jobs.md).
BATCH_JOBS_RUN_MODE = env("BATCH_JOBS_RUN_MODE", default="thread")
