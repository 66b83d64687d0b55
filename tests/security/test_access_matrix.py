"""Every admin route and method, times who asks: the exact status; a refusal changes nothing.

Who asks: a staff user with no permission, one with every view permission, one with the Admin
role (every permission, not a superuser), and the same Admin role scoped to channel A asking
about A's objects ("in") and about B's ("out"). The routes come from the URL configuration: a
route without a row in CASES fails `test_every_admin_route_has_a_case`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction

from catalog.services import category_create, collection_create
from commerce import permissions
from commerce.models import OutboxEvent, User
from commerce.services import user_create
from inventory.services import (
    inventory_item_for_variant,
    inventory_level_create,
    sales_channel_location_add,
    stock_location_create,
)
from orders.models import Order
from saleschannels.services import staff_scope_set
from tests.catalog.factories import ProductVariantFactory
from tests.commerce.factories import RegionFactory, ShippingOptionFactory
from tests.customers.factories import CustomerFactory
from tests.security.permissions_helpers import staff_with, token_client
from tests.security.scope_shop import scope_shop_create
from tests.security.shop import fingerprint
from tests.security.test_access import ADMIN_ROUTES
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from webhooks.services import webhook_create

pytestmark = pytest.mark.django_db

ACTORS = ("none", "view", "full", "in", "out")


@dataclass(frozen=True)
class Case:
    path: str  # with {names} of the shop; `out_path` for the "out" actor (default: the same)
    statuses: tuple[int, int, int, int, int]  # for ACTORS, in order
    body: dict = field(default_factory=dict)
    out_path: str | None = None
    out_body: dict | None = None


R, W = (403, 200, 200, 200, 200), (403, 403, 200, 200, 200)  # reads, writes without a scope
SCOPED_READ, SCOPED_WRITE = (403, 200, 200, 200, 404), (403, 403, 200, 200, 404)
UNSCOPED_WRITE = (403, 403, 200, 403, 403)  # only users with every channel
ALL = (200,) * 5
BATCH = {"product_ids": [{"id": "{product_a}"}]}

CASES: dict[tuple[str, str], Case] = {
    ("auth", "GET"): Case("/api/admin/auth", ALL),
    ("auth", "POST"): Case(
        "/api/admin/auth", (401,) * 5, {"email": "no@example.com", "password": "wrong"}
    ),
    ("auth", "DELETE"): Case("/api/admin/auth", ALL),
    ("store", "GET"): Case("/api/admin/store", R),
    ("store", "POST"): Case("/api/admin/store", (403, 403, 200, 403, 403), {"name": "X"}),
    ("sales-channel-list", "GET"): Case("/api/admin/sales-channels", R),
    ("sales-channel-list", "POST"): Case("/api/admin/sales-channels", W, {"name": "New"}),
    ("sales-channel-detail", "GET"): Case(
        "/api/admin/sales-channels/{a}", SCOPED_READ, out_path="/api/admin/sales-channels/{b}"
    ),
    ("sales-channel-detail", "POST"): Case(
        "/api/admin/sales-channels/{a}",
        SCOPED_WRITE,
        {"name": "X"},
        out_path="/api/admin/sales-channels/{b}",
    ),
    ("sales-channel-detail", "DELETE"): Case(
        "/api/admin/sales-channels/{a}", SCOPED_WRITE, out_path="/api/admin/sales-channels/{b}"
    ),
    ("sales-channel-products-batch", "POST"): Case(
        "/api/admin/sales-channels/{a}/products/batch",
        SCOPED_WRITE,
        BATCH,
        out_path="/api/admin/sales-channels/{b}/products/batch",
    ),
    ("sales-channel-products-batch", "DELETE"): Case(
        "/api/admin/sales-channels/{a}/products/batch",
        SCOPED_WRITE,
        BATCH,
        out_path="/api/admin/sales-channels/{b}/products/batch",
    ),
    # stock locations (issue 20): a scoped user links locations to their channels only, sees the
    # locations their channels sell from, and cannot create, change or delete locations
    ("sales-channel-stock-locations", "POST"): Case(
        "/api/admin/sales-channels/{a}/stock-locations",
        SCOPED_WRITE,
        {"location_id": "{loc_b}"},
        out_path="/api/admin/sales-channels/{b}/stock-locations",
    ),
    ("sales-channel-stock-locations", "DELETE"): Case(
        "/api/admin/sales-channels/{a}/stock-locations",
        SCOPED_WRITE,
        {"location_id": "{loc_a}"},
        out_path="/api/admin/sales-channels/{b}/stock-locations",
        out_body={"location_id": "{loc_b}"},
    ),
    ("stock-location-list", "GET"): Case("/api/admin/stock-locations", R),
    ("stock-location-list", "POST"): Case(
        "/api/admin/stock-locations", UNSCOPED_WRITE, {"name": "New"}
    ),
    ("stock-location-detail", "GET"): Case(
        "/api/admin/stock-locations/{loc_a}",
        SCOPED_READ,
        out_path="/api/admin/stock-locations/{loc_b}",
    ),
    ("stock-location-detail", "POST"): Case(
        "/api/admin/stock-locations/{loc_a}", UNSCOPED_WRITE, {"name": "X"}
    ),
    ("stock-location-detail", "DELETE"): Case("/api/admin/stock-locations/{loc_a}", UNSCOPED_WRITE),
    # inventory items follow their variant's product
    ("inventory-item-list", "GET"): Case("/api/admin/inventory-items", R),
    ("inventory-item-detail", "GET"): Case(
        "/api/admin/inventory-items/{item_a}",
        SCOPED_READ,
        out_path="/api/admin/inventory-items/{item_b}",
    ),
    ("inventory-item-location-levels", "GET"): Case(
        "/api/admin/inventory-items/{item_a}/location-levels",
        SCOPED_READ,
        out_path="/api/admin/inventory-items/{item_b}/location-levels",
    ),
    ("inventory-item-location-levels", "POST"): Case(
        "/api/admin/inventory-items/{item_a}/location-levels",
        SCOPED_WRITE,
        {"location_id": "{loc_b}", "stocked_quantity": 3},
        out_path="/api/admin/inventory-items/{item_b}/location-levels",
        out_body={"location_id": "{loc_a}", "stocked_quantity": 3},
    ),
    ("inventory-item-location-level", "POST"): Case(
        "/api/admin/inventory-items/{item_a}/location-levels/{loc_a}",
        SCOPED_WRITE,
        {"stocked_quantity": 9},
        out_path="/api/admin/inventory-items/{item_b}/location-levels/{loc_b}",
    ),
    ("inventory-item-location-level", "DELETE"): Case(
        "/api/admin/inventory-items/{item_a}/location-levels/{loc_a}",
        SCOPED_WRITE,
        out_path="/api/admin/inventory-items/{item_b}/location-levels/{loc_b}",
    ),
    ("variant-inventory", "GET"): Case(
        "/api/admin/variants/{variant_a}/inventory",
        SCOPED_READ,
        out_path="/api/admin/variants/{variant_b}/inventory",
    ),
    ("publishable-api-key-list", "GET"): Case("/api/admin/publishable-api-keys", R),
    ("publishable-api-key-list", "POST"): Case(
        "/api/admin/publishable-api-keys", W, {"title": "K"}
    ),
    ("publishable-api-key-detail", "GET"): Case(
        "/api/admin/publishable-api-keys/{key_a}",
        SCOPED_READ,
        out_path="/api/admin/publishable-api-keys/{key_b}",
    ),
    ("publishable-api-key-detail", "POST"): Case(
        "/api/admin/publishable-api-keys/{key_a}",
        SCOPED_WRITE,
        {"title": "X"},
        out_path="/api/admin/publishable-api-keys/{key_b}",
    ),
    ("publishable-api-key-detail", "DELETE"): Case(
        "/api/admin/publishable-api-keys/{key_a}",
        SCOPED_WRITE,
        out_path="/api/admin/publishable-api-keys/{key_b}",
    ),
    ("publishable-api-key-revoke", "POST"): Case(
        "/api/admin/publishable-api-keys/{key_a}/revoke",
        SCOPED_WRITE,
        out_path="/api/admin/publishable-api-keys/{key_b}/revoke",
    ),
    ("publishable-api-key-sales-channel-list", "GET"): Case(
        "/api/admin/publishable-api-keys/{key_a}/sales-channels",
        SCOPED_READ,
        out_path="/api/admin/publishable-api-keys/{key_b}/sales-channels",
    ),
    ("publishable-api-key-sales-channel-batch", "POST"): Case(
        "/api/admin/publishable-api-keys/{key_none}/sales-channels/batch",
        (403, 403, 200, 200, 403),
        {"sales_channel_ids": [{"id": "{a}"}]},
        out_body={"sales_channel_ids": [{"id": "{b}"}]},
    ),
    ("publishable-api-key-sales-channel-batch", "DELETE"): Case(
        "/api/admin/publishable-api-keys/{key_a}/sales-channels/batch",
        SCOPED_WRITE,
        {"sales_channel_ids": [{"id": "{a}"}]},
        out_path="/api/admin/publishable-api-keys/{key_b}/sales-channels/batch",
    ),
    ("product-list", "GET"): Case("/api/admin/products", R),
    ("product-list", "POST"): Case(
        "/api/admin/products",
        (403, 403, 200, 200, 403),
        {"title": "T", "sales_channels": [{"id": "{a}"}]},
        out_body={"title": "T", "sales_channels": [{"id": "{b}"}]},
    ),
    ("product-detail", "GET"): Case(
        "/api/admin/products/{product_a}", SCOPED_READ, out_path="/api/admin/products/{product_b}"
    ),
    ("product-detail", "POST"): Case(
        "/api/admin/products/{product_a}",
        SCOPED_WRITE,
        {"title": "X"},
        out_path="/api/admin/products/{product_b}",
    ),
    ("product-detail", "DELETE"): Case(
        "/api/admin/products/{product_a}",
        SCOPED_WRITE,
        out_path="/api/admin/products/{product_b}",
    ),
    ("product-channel-listings", "GET"): Case(
        "/api/admin/products/{product_a}/channel-listings",
        SCOPED_READ,
        out_path="/api/admin/products/{product_b}/channel-listings",
    ),
    ("product-channel-listings", "POST"): Case(
        "/api/admin/products/{product_a}/channel-listings",
        SCOPED_WRITE,
        {"channel_listings": [{"sales_channel_id": "{a}", "visible_in_listings": False}]},
        out_path="/api/admin/products/{product_b}/channel-listings",
    ),
    ("product-availability", "GET"): Case(
        "/api/admin/products/{product_a}/availability",
        SCOPED_READ,
        out_path="/api/admin/products/{product_b}/availability",
    ),
    ("order-list", "GET"): Case("/api/admin/orders", R),
    ("order-detail", "GET"): Case(
        "/api/admin/orders/{order_a}", SCOPED_READ, out_path="/api/admin/orders/{order_b}"
    ),
    ("region-list", "GET"): Case("/api/admin/regions", R),
    ("region-list", "POST"): Case("/api/admin/regions", W, {"name": "NA", "currency_code": "usd"}),
    ("region-detail", "GET"): Case("/api/admin/regions/{region}", R),
    ("region-detail", "POST"): Case("/api/admin/regions/{region}", W, {"name": "X"}),
    ("region-detail", "DELETE"): Case("/api/admin/regions/{region}", W),
    ("shipping-option-list", "GET"): Case("/api/admin/shipping-options", R),
    ("shipping-option-list", "POST"): Case(
        "/api/admin/shipping-options",
        W,
        {"name": "Post", "region_id": "{region}", "amount": 500},
    ),
    ("shipping-option-detail", "GET"): Case("/api/admin/shipping-options/{option}", R),
    ("shipping-option-detail", "POST"): Case(
        "/api/admin/shipping-options/{option}", W, {"name": "X"}
    ),
    ("shipping-option-detail", "DELETE"): Case("/api/admin/shipping-options/{option}", W),
    ("user-list", "GET"): Case("/api/admin/users", R),
    ("user-list", "POST"): Case(
        "/api/admin/users",
        (403, 403, 200, 200, 403),
        {"email": "new@example.com", "password": "a-long-password"},
        out_body={
            "email": "new@example.com",
            "password": "a-long-password",
            "sales_channel_ids": ["{b}"],
        },
    ),
    ("user-detail", "GET"): Case("/api/admin/users/{user}", R),
    ("user-detail", "POST"): Case(
        "/api/admin/users/{user}",
        (403, 403, 200, 200, 403),
        {"first_name": "X"},
        out_body={"sales_channel_ids": ["{b}"]},
    ),
    ("user-detail", "DELETE"): Case("/api/admin/users/{user}", W),
    ("user-me", "GET"): Case("/api/admin/users/me", ALL),
    # collections and categories: not channel objects, but putting a product in one changes the
    # product, which a scoped user may do only for products all of whose channels are theirs
    ("collection-list", "GET"): Case("/api/admin/collections", R),
    ("collection-list", "POST"): Case("/api/admin/collections", W, {"title": "Summer"}),
    ("collection-detail", "GET"): Case("/api/admin/collections/{collection}", R),
    ("collection-detail", "POST"): Case("/api/admin/collections/{collection}", W, {"title": "X"}),
    ("collection-detail", "DELETE"): Case("/api/admin/collections/{collection}", W),
    ("collection-products-batch", "POST"): Case(
        "/api/admin/collections/{collection}/products/batch",
        (403, 403, 200, 200, 403),
        {"product_ids": ["{product_a}"]},
        out_body={"product_ids": ["{product_ab}"]},
    ),
    ("collection-products-batch", "DELETE"): Case(
        "/api/admin/collections/{collection}/products/batch",
        (403, 403, 200, 200, 400),
        {"product_ids": ["{product_a}"]},
        out_body={"product_ids": ["{product_b}"]},
    ),
    ("product-category-list", "GET"): Case("/api/admin/product-categories", R),
    ("product-category-list", "POST"): Case("/api/admin/product-categories", W, {"name": "Packs"}),
    ("product-category-detail", "GET"): Case("/api/admin/product-categories/{category}", R),
    ("product-category-detail", "POST"): Case(
        "/api/admin/product-categories/{category}", W, {"name": "X"}
    ),
    ("product-category-detail", "DELETE"): Case("/api/admin/product-categories/{category}", W),
    ("product-category-products-batch", "POST"): Case(
        "/api/admin/product-categories/{category}/products/batch",
        (403, 403, 200, 200, 403),
        {"product_ids": [{"id": "{product_a}"}]},
        out_body={"product_ids": [{"id": "{product_ab}"}]},
    ),
    ("product-category-products-batch", "DELETE"): Case(
        "/api/admin/product-categories/{category}/products/batch",
        (403, 403, 200, 200, 400),
        {"product_ids": [{"id": "{product_a}"}]},
        out_body={"product_ids": [{"id": "{product_b}"}]},
    ),
    # customers: a scoped user sees those with an order or a cart in their channels; accounts
    # are shared by every channel, so a scoped user may create one
    ("customer-list", "GET"): Case("/api/admin/customers", R),
    ("customer-list", "POST"): Case(
        "/api/admin/customers",
        W,
        {"email": "new@example.com", "first_name": "A", "last_name": "B", "password": "secret123"},
    ),
    ("customer-detail", "GET"): Case(
        "/api/admin/customers/{customer_a}",
        SCOPED_READ,
        out_path="/api/admin/customers/{customer_b}",
    ),
    ("customer-detail", "POST"): Case(
        "/api/admin/customers/{customer_a}",
        SCOPED_WRITE,
        {"first_name": "X"},
        out_path="/api/admin/customers/{customer_b}",
    ),
    # webhooks: a scoped user sees and makes those naming only channels of theirs; deliveries
    # follow their subscription
    ("webhook-list", "GET"): Case("/api/admin/webhooks", R),
    ("webhook-list", "POST"): Case(
        "/api/admin/webhooks",
        (403, 403, 200, 200, 403),
        {
            "url": "https://example.com/hook",
            "events": ["sales_channel.created"],
            "sales_channel_ids": ["{a}"],
        },
        out_body={
            "url": "https://example.com/hook",
            "events": ["sales_channel.created"],
            "sales_channel_ids": ["{b}"],
        },
    ),
    ("webhook-detail", "GET"): Case(
        "/api/admin/webhooks/{webhook_a}", SCOPED_READ, out_path="/api/admin/webhooks/{webhook_b}"
    ),
    ("webhook-detail", "POST"): Case(
        "/api/admin/webhooks/{webhook_a}",
        SCOPED_WRITE,
        {"description": "X"},
        out_path="/api/admin/webhooks/{webhook_b}",
    ),
    ("webhook-detail", "DELETE"): Case(
        "/api/admin/webhooks/{webhook_a}",
        SCOPED_WRITE,
        out_path="/api/admin/webhooks/{webhook_b}",
    ),
    ("webhook-delivery-list", "GET"): Case(
        "/api/admin/webhooks/{webhook_a}/deliveries",
        SCOPED_READ,
        out_path="/api/admin/webhooks/{webhook_b}/deliveries",
    ),
    ("webhook-delivery-detail", "GET"): Case(
        "/api/admin/webhooks/{webhook_a}/deliveries/{delivery_a}",
        SCOPED_READ,
        out_path="/api/admin/webhooks/{webhook_b}/deliveries/{delivery_b}",
    ),
    ("webhook-delivery-retry", "POST"): Case(
        "/api/admin/webhooks/{webhook_a}/deliveries/{delivery_a}/retry",
        SCOPED_WRITE,
        out_path="/api/admin/webhooks/{webhook_b}/deliveries/{delivery_b}/retry",
    ),
}


def _cases() -> list[tuple[str, str]]:
    return sorted(CASES)


def test_every_admin_route_has_a_case():
    routes = {
        (route.name, method)
        for route in ADMIN_ROUTES
        for method in route.methods
        if method not in ("HEAD", "OPTIONS")  # HEAD is GET's rule; OPTIONS is open to staff
    }
    assert routes - set(CASES) == set(), "add a Case for each new admin route"
    assert set(CASES) - routes == set()


def _format(text: str, names: dict[str, str]) -> str:
    for name, value in names.items():
        text = text.replace("{" + name + "}", value)
    return text


def _failed_delivery(event: OutboxEvent, hook: WebhookSubscription) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        event=event, subscription=hook, status=DeliveryStatus.FAILED, attempts=1, max_attempts=1
    )


def _stock(shop) -> dict[str, str]:
    """A location per channel; a variant of product A stocked at A's, one of B's at B's."""
    loc_a = stock_location_create(name="A house")
    loc_b = stock_location_create(name="B house")
    sales_channel_location_add(channel_id=shop.a.pk, location_id=loc_a.pk)
    sales_channel_location_add(channel_id=shop.b.pk, location_id=loc_b.pk)
    names = {"loc_a": loc_a.pk, "loc_b": loc_b.pk}
    for side, product, location in (("a", shop.product_a, loc_a), ("b", shop.product_b, loc_b)):
        variant = ProductVariantFactory(product=product)
        item = inventory_item_for_variant(variant_id=variant.pk)
        inventory_level_create(item_id=item.pk, location_id=location.pk, stocked_quantity=5)
        names |= {f"item_{side}": item.pk, f"variant_{side}": variant.pk}
    return names


def _actors() -> dict[str, User]:
    view_all = [
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(codename__startswith="view_").values_list(
            "content_type__app_label", "codename"
        )
    ]
    full = user_create(email="full@example.com", password="a-long-password", role="admin")
    scoped = user_create(email="scoped@example.com", password="a-long-password", role="admin")
    return {
        "none": staff_with(email="none@example.com"),
        "view": staff_with(*view_all, email="view@example.com"),
        "full": User.objects.get(pk=full.pk),
        "scoped": User.objects.get(pk=scoped.pk),
    }


@pytest.mark.parametrize(("name", "method"), _cases(), ids=[f"{m} {n}" for n, m in _cases()])
def test_who_may_do_what(name, method):
    case = CASES[(name, method)]
    users = _actors()
    clients = {actor: token_client(users[actor]) for actor in ("none", "view", "full", "scoped")}
    for actor, expected in zip(ACTORS, case.statuses, strict=True):
        with transaction.atomic():
            shop = scope_shop_create()
            if actor in ("in", "out"):
                staff_scope_set(user_id=users["scoped"].pk, sales_channel_ids=[shop.a.pk])
            region = RegionFactory()
            hook_a = webhook_create(url="https://example.com/a", events=["sales_channel.created"])
            hook_b = webhook_create(url="https://example.com/b", events=["sales_channel.created"])
            WebhookSubscription.objects.filter(pk=hook_a.pk).update(sales_channel_ids=[shop.a.pk])
            WebhookSubscription.objects.filter(pk=hook_b.pk).update(sales_channel_ids=[shop.b.pk])
            event = OutboxEvent.objects.order_by("created_at").last()
            customer_a, customer_b = CustomerFactory(), CustomerFactory()
            Order.objects.filter(pk=shop.order_a.pk).update(customer=customer_a)
            Order.objects.filter(pk=shop.order_b.pk).update(customer=customer_b)
            stock = _stock(shop)
            names = {
                **stock,
                "a": shop.a.pk,
                "b": shop.b.pk,
                "product_a": shop.product_a.pk,
                "product_b": shop.product_b.pk,
                "product_ab": shop.product_ab.pk,
                "order_a": shop.order_a.pk,
                "order_b": shop.order_b.pk,
                "key_a": shop.key_a.pk,
                "key_b": shop.key_b.pk,
                "key_none": shop.key_none.pk,
                "region": region.pk,
                "option": ShippingOptionFactory(region=region).pk,
                "user": user_create(email="target@example.com", password="a-long-password").pk,
                "collection": collection_create(title="Winter").pk,
                "category": category_create(name="Tents").pk,
                "customer_a": customer_a.pk,
                "customer_b": customer_b.pk,
                "webhook_a": hook_a.pk,
                "webhook_b": hook_b.pk,
                "delivery_a": _failed_delivery(event, hook_a).pk,
                "delivery_b": _failed_delivery(event, hook_b).pk,
            }
            path = case.out_path if actor == "out" and case.out_path else case.path
            body = case.out_body if actor == "out" and case.out_body is not None else case.body
            client = clients["scoped" if actor in ("in", "out") else actor]
            before = fingerprint()

            response = client.generic(
                method,
                _format(path, names),
                data=_format(json.dumps(body), names),
                content_type="application/json",
            )

            where = f"{method} {path} as {actor}"
            assert response.status_code == expected, (where, response.content[:300])
            if expected in (403, 404):
                assert response.json()["type"] == (
                    "not_allowed" if expected == 403 else "not_found"
                )
                assert fingerprint() == before, where
            if method == "GET":  # HEAD answers as GET does
                assert client.head(_format(path, names)).status_code == expected, where
            transaction.set_rollback(True)


def test_options_is_open_to_every_staff_user():
    client = token_client(staff_with())
    for route in ADMIN_ROUTES:
        if "OPTIONS" in route.methods and route.name != "auth":
            assert client.options(route.path).status_code in (200, 404), route.path


assert permissions.ADMIN_API  # the declarations these cases check
