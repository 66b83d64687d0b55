"""The render cache in tests (commerce.api.fragments): start each test, or a request, cold."""

import secrets

from django.conf import settings
from django.core.cache import caches

from commerce.api.fragments import CACHE_ALIAS


def render_cache_cold() -> None:
    """Make the render cache look empty to what follows, without flushing a shared Redis.

    A fresh key prefix: nothing written before is found again. (`clear()` on Redis is a FLUSHDB,
    which would also drop the Celery broker's queues sharing the test database.) Set on the
    cache and in its settings, so it outlives an `override_settings(CACHES=...)`, after which
    Django builds the cache anew from the settings. Tests that roll their writes back and read
    again (Hypothesis examples) must call it per example: a rolled-back write leaves the
    listings version where it was, and the next example's first write takes the same number.
    """
    prefix = f"t{secrets.token_hex(6)}"
    settings.CACHES[CACHE_ALIAS]["KEY_PREFIX"] = prefix
    caches[CACHE_ALIAS].key_prefix = prefix
