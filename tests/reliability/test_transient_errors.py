"""Transient database errors are 503 + Retry-After, logged once, never a 500 or a traceback.

Each error is provoked for real on PostgreSQL: a lock held by another connection (lock timeout,
statement timeout), a deadlock between the request and another connection, the request's own
connection terminated by the server (lost connection). Connection refused: test_database_down.py. Nothing is mocked.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from rest_framework.test import APIClient

from carts.models import Cart, LineItem
from carts.services import ItemInput, cart_create
from catalog.models import ProductSalesChannel
from tests.reliability.shop import variant_in

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT_SECONDS = 10


@pytest.fixture(autouse=True)
def _fresh_session():
    """Drop this connection after each test: the SETs below must not reach the test's flush."""
    yield
    connection.close()


@pytest.fixture
def client() -> APIClient:
    return APIClient(raise_request_exception=False)


@pytest.fixture
def cart(shop):
    """A cart of the shop's channel holding one tee, and a mug (of the channel) to add."""
    tee = variant_in(shop.channel, title="Tee", amount=1950, stock=10)
    mug = variant_in(shop.channel, title="Mug", amount=800, stock=10)
    cart = cart_create(
        region_id=shop.region.pk,
        sales_channel_id=shop.channel.pk,
        email="a@example.com",
        items=[ItemInput(tee.pk, 1)],
    )
    cart.mug = mug
    return cart


def _session(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _blocked_backends() -> int:
    """How many other backends of this database wait for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _wait_until(predicate) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not predicate():
        assert time.monotonic() < deadline, "the other connection never got there"
        time.sleep(0.02)


class Holder(threading.Thread):
    """Another connection: lock rows in a transaction, keep them until told, then roll back.

    `then` (optional) runs once the request is seen waiting for a lock: a second statement that
    closes a deadlock cycle.
    """

    def __init__(self, lock_sql: str, params: list, then: tuple[str, list] | None = None):
        super().__init__(daemon=True)
        self.lock_sql, self.params, self.then = lock_sql, params, then
        self.held, self.release = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                _session("SET deadlock_timeout = '10s'")  # the request detects the deadlock
                with connection.cursor() as cursor:
                    cursor.execute(self.lock_sql, self.params)
                    self.held.set()
                    if self.then is not None:
                        _wait_until(lambda: _blocked_backends() > 0)
                        cursor.execute(*self.then)
                    self.release.wait(WAIT_SECONDS)
                    transaction.set_rollback(True)
        except BaseException as exc:  # noqa: BLE001  (asserted by the test)
            self.error = exc
        finally:
            self.held.set()
            connection.close()


def _line_items_add(client, cart):
    return client.post(
        f"/api/store/carts/{cart.pk}/line-items",
        {"variant_id": cart.mug.pk, "quantity": 1},
        format="json",
    )


def _assert_unavailable(response, message: str) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.API_RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"type": "unavailable", "message": message}


def _one_warning(caplog, cause: str) -> None:
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert f"transient database error ({cause})" in records[0].getMessage()
    assert records[0].exc_info is None  # no traceback


# Table names from our own model metadata; values are parameters.
CART_LOCK = f"SELECT 1 FROM {Cart._meta.db_table} WHERE id = %s FOR UPDATE"  # noqa: S608
LINK_LOCK = (
    f"SELECT 1 FROM {ProductSalesChannel._meta.db_table} "  # noqa: S608
    "WHERE sales_channel_id = %s AND product_id = %s FOR UPDATE"
)


def test_every_connection_gets_the_configured_timeouts():
    connection.close()  # a fresh connection, opened with the settings' options
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')"
        )
        assert cursor.fetchone() == ("15s", "5s")


def test_every_connection_costs_random_reads_as_on_ssd():
    """DATABASE_RANDOM_PAGE_COST (1.1) travels with the timeouts: the channels' counts are
    index-only scans whatever ANALYZE's sample (config/settings/base.py)."""
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('random_page_cost')")
        assert cursor.fetchone() == ("1.1",)


def test_a_lock_timeout_is_a_503_and_changes_nothing(client, cart, caplog):
    # given: another connection holds the cart; this connection waits at most 200 ms for a lock
    holder = Holder(CART_LOCK, [cart.pk])
    holder.start()
    holder.held.wait(WAIT_SECONDS)
    _session("SET lock_timeout = '200ms'")
    try:
        # when
        with caplog.at_level(logging.INFO):
            response = _line_items_add(client, cart)
    finally:
        holder.release.set()
        holder.join(WAIT_SECONDS)
    # then
    assert holder.error is None
    _assert_unavailable(response, "The data this request needs is busy. Retry it in a moment.")
    _one_warning(caplog, "lock_timeout")
    assert LineItem.objects.filter(cart=cart).count() == 1


@pytest.mark.urls("tests.reliability.plain_urls")
@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_plain_django_view_under_api_gets_the_same_503(
    client, cart, caplog, settings, method, debug
):
    """The middleware, not DRF's handler, answers for views that are not DRF's, DEBUG on or off.

    No retry on a lock timeout, even for a GET.
    """
    settings.DEBUG = debug
    holder = Holder(CART_LOCK, [cart.pk])
    holder.start()
    holder.held.wait(WAIT_SECONDS)
    _session("SET lock_timeout = '200ms'")
    try:
        with caplog.at_level(logging.INFO):
            response = getattr(client, method)(f"/api/plain/carts/{cart.pk}")
    finally:
        holder.release.set()
        holder.join(WAIT_SECONDS)
    assert holder.error is None
    _assert_unavailable(response, "The data this request needs is busy. Retry it in a moment.")
    _one_warning(caplog, "lock_timeout")
    assert not [r for r in caplog.records if "retrying once" in r.getMessage()]
    # and once the lock is gone, the same view answers
    assert getattr(client, method)(f"/api/plain/carts/{cart.pk}").json() == {"found": True}


def test_a_statement_timeout_is_a_503_and_changes_nothing(client, cart, caplog):
    holder = Holder(CART_LOCK, [cart.pk])
    holder.start()
    holder.held.wait(WAIT_SECONDS)
    _session("SET lock_timeout = 0", "SET statement_timeout = '200ms'")
    try:
        with caplog.at_level(logging.INFO):
            response = _line_items_add(client, cart)
    finally:
        holder.release.set()
        holder.join(WAIT_SECONDS)
    assert holder.error is None
    _assert_unavailable(
        response, "The database took too long to answer. Retry the request in a moment."
    )
    _one_warning(caplog, "statement_timeout")
    assert LineItem.objects.filter(cart=cart).count() == 1


def test_a_deadlock_with_another_connection_is_a_503_and_changes_nothing(
    client, shop, cart, caplog
):
    # given: another connection holds the mug's link to the channel (which the add must keep)
    # and, once the add waits for it, asks for the cart (which the add holds): a cycle
    holder = Holder(LINK_LOCK, [shop.channel.pk, cart.mug.product_id], then=(CART_LOCK, [cart.pk]))
    holder.start()
    holder.held.wait(WAIT_SECONDS)
    _session("SET deadlock_timeout = '100ms'")
    try:
        with caplog.at_level(logging.INFO):
            response = _line_items_add(client, cart)
    finally:
        holder.release.set()
        holder.join(WAIT_SECONDS)
    assert holder.error is None  # the request was the victim; the other got its lock
    _assert_unavailable(
        response, "The request collided with another one and was rolled back. Retry it."
    )
    _one_warning(caplog, "deadlock")
    assert LineItem.objects.filter(cart=cart).count() == 1


def _terminate_own_connection() -> None:
    """Have the server end this thread's connection, as a PostgreSQL restart does."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    done = threading.Event()

    def terminate():
        try:
            _session(f"SELECT pg_terminate_backend({pid})")
        finally:
            connection.close()
            done.set()

    threading.Thread(target=terminate, daemon=True).start()
    done.wait(WAIT_SECONDS)


def test_a_read_that_lost_its_connection_is_retried_once_and_answers(client, shop, caplog):
    _terminate_own_connection()

    with caplog.at_level(logging.INFO):
        response = client.get("/api/store/regions")

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["regions"]] == [shop.region.pk]
    retried = [r for r in caplog.records if "retrying once" in r.getMessage()]
    assert len(retried) == 1
    assert "(connection)" in retried[0].getMessage()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_write_that_lost_its_connection_is_a_503_and_not_retried(client, shop, caplog):
    before = Cart.objects.count()
    _terminate_own_connection()

    with caplog.at_level(logging.INFO):
        response = client.post(
            "/api/store/carts",
            {"region_id": shop.region.pk, "sales_channel_id": shop.channel.pk},
            format="json",
        )

    _assert_unavailable(response, "The database is unavailable. Retry the request in a moment.")
    _one_warning(caplog, "connection")
    assert not [r for r in caplog.records if "retrying once" in r.getMessage()]
    assert Cart.objects.count() == before
