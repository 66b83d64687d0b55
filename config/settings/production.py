"""Production settings: secrets from the environment, no defaults, secure cookies."""

from .base import *

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES["default"] = database(env.db("DATABASE_URL"))
for _alias in ("default", *DATABASE_REPLICAS):  # replicas: DATABASE_REPLICA_URLS (base.py)
    DATABASES[_alias]["ATOMIC_REQUESTS"] = False
    DATABASES[_alias]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True
# One cache shared by every worker and server, so that limits such as the admin login throttle
# count across all of them: e.g. CACHE_URL=dbcache://django_cache (after `createcachetable`),
# or a Redis/Memcached URL (with its client installed). Default: each process its own.
CACHES["default"] = env.cache("CACHE_URL", default="locmemcache://")

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# Product pictures: with MEDIA_S3_BUCKET set, on S3 or any S3-compatible store (MinIO, R2, …)
# through django-storages (`pip install '.[s3]'`); without it, files under MEDIA_ROOT that the
# web server must serve at MEDIA_URL. See docs/deployment.md.
if env("MEDIA_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default=None),
            "location": env("MEDIA_S3_LOCATION", default=""),
            "querystring_auth": env.bool("MEDIA_S3_SIGNED_URLS", default=False),
            "file_overwrite": False,
        },
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers and supervisors probe the server directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health(/live)?$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Webhooks go through Celery workers (CELERY_BROKER_URL) and never to private addresses.
WEBHOOKS_DELIVERY_MODE = "celery"
WEBHOOKS_ALLOW_PRIVATE_URLS = False
