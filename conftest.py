"""Actors and clients shared by every test module. Data comes from the factories under tests/."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from commerce.api import rendering
from saleschannels.selectors import default_sales_channel_get
from tests.commerce.factories import StaffUserFactory, UserFactory
from tests.render_cache import render_cache_cold as _render_cache_cold


@pytest.fixture(autouse=True)
def render_cache_cold():
    """Every test starts with an empty render cache (commerce.api.fragments): its first list
    request is cold, as the pinned query counts say; a second request of the same page within a
    test is warm (tests/perf/test_render_cache.py pins both).
    """
    _render_cache_cold()


@pytest.fixture(autouse=True)
def no_kept_serializer_trees():
    """Every test builds its own serializer trees (`commerce.api.rendering.serialize`): none is
    kept from a test that ran under other settings."""
    rendering._TREES.__dict__.clear()


@pytest.fixture
def default_channel(db):
    """The store's default channel, created by the post-migrate hook."""
    return default_sales_channel_get()


@pytest.fixture
def admin_user(db):
    return StaffUserFactory(email="admin@example.com")


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def admin_api_client(admin_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=admin_user)
    return client


@pytest.fixture
def flags_off(settings, monkeypatch):
    """Turn feature flags off through settings: `flags_off("sales_channels")`."""
    for name in (
        "FF_SALES_CHANNELS",
        "MEDUSA_FF_SALES_CHANNELS",
        "FF_PUBLISHABLE_API_KEYS",
        "MEDUSA_FF_PUBLISHABLE_API_KEYS",
    ):
        monkeypatch.delenv(name, raising=False)

    def turn_off(*names: str) -> None:
        settings.FEATURE_FLAGS = {**settings.FEATURE_FLAGS, **dict.fromkeys(names, False)}

    return turn_off


POSTGRES_ONLY_SKIP_REASON = (
    "postgres_only: needs PostgreSQL (real row locks, SELECT ... FOR UPDATE, or its catalogue), "
    "which SQLite does not have; run with DATABASE_URL=postgres://... (CI runs the suite on "
    "PostgreSQL too)"
)


def pytest_collection_modifyitems(config, items):
    """Skip every `postgres_only` test, with the reason printed, unless the database is PostgreSQL."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason=POSTGRES_ONLY_SKIP_REASON)
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)
