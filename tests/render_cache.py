"""The render cache in tests (commerce.api.fragments): start each test, or a request, cold."""

import secrets

from django.core.cache import caches

from commerce.api.fragments import CACHE_ALIAS


def render_cache_cold() -> None:
    """Make the render cache look empty to what follows, without flushing a shared Redis.

    A fresh key prefix: no fragment written before is found again. (`clear()` on Redis is a
    FLUSHDB, which would also drop the Celery broker's queues sharing the test database.)
    """
    caches[CACHE_ALIAS].key_prefix = f"t{secrets.token_hex(6)}"
