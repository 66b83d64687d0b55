"""The outbox (issue 21): every service writes its event in the transaction of its change."""

import pytest
from django.db import transaction

from carts.models import Cart
from catalog import services as catalog_services
from catalog.models import Product
from commerce.events import EventType, event_committed
from commerce.models import OutboxEvent
from orders.services import cart_complete
from saleschannels import services, signals
from saleschannels.exceptions import DefaultSalesChannelNotDeletable
from tests.carts.api.store_helpers import ready_cart, shop
from tests.catalog.factories import ProductFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox():
    """Return the events written since the fixture was made, oldest first, as (type, channels, data)."""
    before = set(OutboxEvent.objects.values_list("pk", flat=True))

    def read():
        rows = OutboxEvent.objects.exclude(pk__in=before).order_by("created_at", "pk")
        return [(row.type, row.sales_channel_ids, row.data) for row in rows]

    return read


def test_channel_lifecycle_writes_one_event_each(outbox):
    channel = services.sales_channel_create(name="Outlet", metadata={"tier": "b"})
    services.sales_channel_update(channel_id=channel.pk, is_disabled=True)
    services.sales_channel_delete(channel_id=channel.pk)

    data = {
        "id": channel.pk,
        "name": "Outlet",
        "description": None,
        "is_disabled": False,
        "metadata": {"tier": "b"},
    }
    assert outbox() == [
        ("sales_channel.created", [channel.pk], data),
        ("sales_channel.updated", [channel.pk], data | {"is_disabled": True}),
        ("sales_channel.deleted", [channel.pk], data | {"is_disabled": True}),
    ]


def test_event_ids_are_stable_prefixed_and_timed():
    channel = services.sales_channel_create(name="Outlet")
    event = OutboxEvent.objects.get(type="sales_channel.created", data__id=channel.pk)
    assert event.pk.startswith("evt_")
    assert event.created_at is not None
    assert event.dispatched_at is None  # not handed to the webhooks (no commit in this test)


def test_a_rolled_back_change_leaves_no_event_and_sends_no_signal(outbox):
    sent = []

    def receiver(**kwargs):
        sent.append(kwargs)

    event_committed.connect(receiver, dispatch_uid="test-outbox")
    signals.sales_channel_created.connect(receiver, dispatch_uid="test-outbox")
    try:
        with pytest.raises(RuntimeError):  # noqa: PT012, SIM117  (the failure must follow the service)
            with transaction.atomic():
                services.sales_channel_create(name="Never")
                raise RuntimeError("the caller's transaction fails after the service")
    finally:
        event_committed.disconnect(dispatch_uid="test-outbox")
        signals.sales_channel_created.disconnect(dispatch_uid="test-outbox")
    assert outbox() == []
    assert sent == []


def test_a_refused_change_writes_no_event(outbox, default_channel):
    with pytest.raises(DefaultSalesChannelNotDeletable):
        services.sales_channel_delete(channel_id=default_channel.pk)
    assert outbox() == []


def test_batch_of_ten_thousand_products_is_one_event_with_every_id(outbox):
    channel = SalesChannelFactory()
    products = Product.objects.bulk_create(
        [Product(title=f"Bulk {n}", handle=f"bulk-{n}") for n in range(10_000)], batch_size=2000
    )
    ids = [p.pk for p in products]
    catalog_services.sales_channel_products_add(channel_id=channel.pk, product_ids=ids)
    catalog_services.sales_channel_products_remove(channel_id=channel.pk, product_ids=ids[:2])
    assert outbox() == [
        ("sales_channel.products_added", [channel.pk], {"id": channel.pk, "product_ids": ids}),
        (
            "sales_channel.products_removed",
            [channel.pk],
            {"id": channel.pk, "product_ids": ids[:2]},
        ),
    ]


def test_bulk_action_writes_one_event_per_channel(outbox):
    first, second = SalesChannelFactory(), SalesChannelFactory()
    shirt = ProductFactory()
    catalog_services.products_sales_channels_add(
        product_ids=[shirt.pk], channel_ids=[first.pk, second.pk]
    )
    assert outbox() == [
        ("sales_channel.products_added", [first.pk], {"id": first.pk, "product_ids": [shirt.pk]}),
        (
            "sales_channel.products_added",
            [second.pk],
            {"id": second.pk, "product_ids": [shirt.pk]},
        ),
    ]


def test_product_events_concern_its_channels_including_one_it_left(outbox):
    web, app = sorted([SalesChannelFactory(), SalesChannelFactory()], key=lambda c: c.pk)
    product = catalog_services.product_create(
        title="Tent", handle="tent", sales_channel_ids=[web.pk, app.pk]
    )
    catalog_services.product_update(
        product_id=product.pk, title="Big tent", sales_channel_ids=[web.pk]
    )
    catalog_services.product_delete(product_id=product.pk)
    base = {"id": product.pk, "handle": "tent", "status": "draft"}
    assert outbox() == [
        (
            "product.created",
            [web.pk, app.pk],
            base | {"title": "Tent", "sales_channel_ids": [web.pk, app.pk]},
        ),
        (
            "product.updated",
            [web.pk, app.pk],
            base | {"title": "Big tent", "sales_channel_ids": [web.pk]},
        ),
        ("product.deleted", [web.pk], {"id": product.pk, "sales_channel_ids": [web.pk]}),
    ]


def test_publishable_key_events(outbox):
    channel = SalesChannelFactory()
    key = services.publishable_api_key_create(title="Web", sales_channel_ids=[channel.pk])
    other = SalesChannelFactory()
    services.publishable_api_key_sales_channels_add(key_id=key.pk, sales_channel_ids=[other.pk])
    services.publishable_api_key_sales_channels_remove(
        key_id=key.pk, sales_channel_ids=[channel.pk]
    )
    services.publishable_api_key_revoke(key_id=key.pk)
    key.refresh_from_db()
    events = outbox()
    assert [(t, c) for t, c, _ in events] == [
        ("publishable_api_key.created", [channel.pk]),
        ("publishable_api_key.channels_updated", [other.pk]),
        ("publishable_api_key.channels_updated", [channel.pk]),
        ("publishable_api_key.revoked", [other.pk]),
    ]
    assert events[1][2] == {
        "id": key.pk,
        "title": "Web",
        "added_sales_channel_ids": [other.pk],
        "removed_sales_channel_ids": [],
    }
    assert events[3][2] == {
        "id": key.pk,
        "title": "Web",
        "revoked_at": key.revoked_at.isoformat(),
        "sales_channel_ids": [other.pk],
    }


def test_cart_completion_writes_order_placed_and_cart_completed(api_client, default_channel):
    s = shop(default_channel)
    cart = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 2)])
    before = set(OutboxEvent.objects.values_list("pk", flat=True))
    order = cart_complete(cart_id=cart.pk)
    cart_complete(cart_id=cart.pk)  # idempotent: no second pair of events
    rows = OutboxEvent.objects.exclude(pk__in=before).order_by("created_at", "pk")
    placed, completed = rows
    assert (placed.type, placed.sales_channel_ids) == ("order.placed", [s.default.pk])
    assert placed.data["id"] == order.pk
    assert placed.data["sales_channel_id"] == s.default.pk
    assert placed.data["total"] == order.total
    assert placed.data["items"] == [
        {"variant_id": s.mug.pk, "quantity": 2, "unit_price": placed.data["items"][0]["unit_price"]}
    ]
    assert (completed.type, completed.data) == (
        "cart.completed",
        {"id": cart.pk, "order_id": order.pk, "sales_channel_id": s.default.pk},
    )
    assert Cart.objects.get(pk=cart.pk).completed_at is not None


def test_every_legacy_signal_name_is_an_event_type():
    assert set(signals.EVENT_NAMES.values()) <= set(EventType.values)
