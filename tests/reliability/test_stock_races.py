"""Stock locations under concurrency (issue 20): never oversold, never reserved where unlinked.

PostgreSQL only (row locks). Each test pauses its workers right before the statement its lock
guards (`pause_before`), so the interleaving a lock must survive happens on every run.
"""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from carts.services import ItemInput
from inventory.exceptions import InsufficientInventory
from inventory.models import InventoryLevel, ReservationItem, SalesChannelLocation
from inventory.services import sales_channel_location_remove
from orders.models import Order
from orders.services import cart_complete
from tests.inventory.stock import stock_create
from tests.reliability.concurrency import errors_of, pause_before, run_concurrently
from tests.reliability.shop import ready_cart

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_channels_sharing_a_location_never_reserve_more_than_is_stocked():
    """Guard: inventory.locks.levels_qs_for_update (the levels, before their reserved is read)."""
    # given: one unit, only at the shared location; a cart for it in each channel
    stock = stock_create(shared=1, web_only=0, b2b_only=0)
    web_cart = ready_cart(stock.shop, [ItemInput(stock.variant.pk, 1)], channel=stock.web)
    b2b_cart = ready_cart(stock.shop, [ItemInput(stock.variant.pk, 1)], channel=stock.b2b)
    barrier = threading.Barrier(2)

    def complete(cart_id):
        def run():
            with pause_before("inventory_inventorylevel", barrier):
                return cart_complete(cart_id=cart_id)

        return run

    # when: both complete at once, each reading the level at the same moment
    outcomes = run_concurrently(complete(web_cart), complete(b2b_cart))

    # then: one order, one reservation, the other refused cleanly
    errors = errors_of(outcomes)
    assert len(errors) == 1, errors
    assert isinstance(errors[0], InsufficientInventory), errors
    assert Order.objects.count() == 1
    level = InventoryLevel.objects.get(location=stock.shared)
    assert (level.stocked_quantity, level.reserved_quantity) == (1, 1)
    assert sum(ReservationItem.objects.values_list("quantity", flat=True)) == 1


def test_a_location_unlinked_while_a_cart_completes_gets_no_reservation():
    """Guard: inventory.locks.channel_locations_hold (FOR KEY SHARE on the channel's links)."""
    # given: the web shop's stock is all at the shared location
    stock = stock_create(shared=5, web_only=0)
    cart_id = ready_cart(stock.shop, [ItemInput(stock.variant.pk, 2)], channel=stock.web)
    unlinked = threading.Event()
    release = threading.Event()

    def unlink():
        # The unlink deletes the link, then holds its transaction open until told to commit.
        with transaction.atomic():
            sales_channel_location_remove(channel_id=stock.web.pk, location_id=stock.shared.pk)
            unlinked.set()
            release.wait(10)

    def complete():
        unlinked.wait(10)
        timer = threading.Timer(1.0, release.set)  # commit the unlink a moment later
        timer.start()
        return cart_complete(cart_id=cart_id)

    # when
    outcomes = run_concurrently(unlink, complete)

    # then: the completion waited for the unlink and found no location to sell from; no
    # reservation sits at a location the channel no longer sells from
    assert outcomes[0].error is None
    linked = set(
        SalesChannelLocation.objects.filter(sales_channel=stock.web).values_list(
            "location_id", flat=True
        )
    )
    reserved_at = set(ReservationItem.objects.values_list("location_id", flat=True))
    assert reserved_at <= linked, (reserved_at, linked)
    assert isinstance(outcomes[1].error, InsufficientInventory), outcomes[1]
    assert not Order.objects.exists()
