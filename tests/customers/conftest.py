import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_login_throttle():
    # Sign-ins count towards the store_login throttle, which lives in the cache.
    cache.clear()
    yield
    cache.clear()
