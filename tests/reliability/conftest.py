"""Reliability tests. Race tests need real row locks, so they run on PostgreSQL only."""

import pytest
from django.db import connection

from commerce.models import Currency
from tests.reliability.shop import Shop, shop_create


@pytest.fixture
def shop() -> Shop:
    """A region with shipping and a "B2B" channel (see `tests.reliability.shop`)."""
    return shop_create()


@pytest.fixture(scope="module", autouse=True)
def _restore_migration_data(django_db_blocker):
    """Leave the database as `migrate` left it for the tests that run after this module.

    Transactional tests here use `serialized_rollback=True`: each starts from the data the
    migrations seeded (currencies, the manual payment provider, the store and its default
    channel) but ends with a flush that removes it. Load that data back once the module is done.
    """
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents:
        return
    with django_db_blocker.unblock():
        if not Currency.objects.exists():  # a flush emptied the tables
            connection.creation.deserialize_db_from_string(contents)
