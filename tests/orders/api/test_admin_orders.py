from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import PHYSICAL_FIELDS
from orders.api.admin.serializers import AdminOrderSerializer
from orders.models import Payment
from orders.selectors import order_qs_for_admin
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import AddressFactory, RegionFactory
from tests.helpers import channel_json, ms
from tests.orders.factories import OrderFactory, OrderItemFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/admin/orders"
TOTALS = ("subtotal", "shipping_total", "tax_total", "total")


def _detail(order_id):
    return f"/api/admin/orders/{order_id}"


def _region_json(region):
    return {
        "id": region.pk,
        "created_at": ms(region.created_at),
        "updated_at": ms(region.updated_at),
        "deleted_at": None,
        "name": region.name,
        "currency_code": region.currency_code,
        "tax_rate": 0,
        "tax_code": None,
        "automatic_taxes": True,
        "metadata": None,
    }


def _address_json(address):
    return {
        "id": address.pk,
        "created_at": ms(address.created_at),
        "updated_at": ms(address.updated_at),
        "company": None,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address_1": "1 Analytical Way",
        "address_2": None,
        "city": "London",
        "country_code": "gb",
        "province": None,
        "postal_code": "N1 1AA",
        "phone": None,
        "metadata": None,
    }


def _product_json(product):
    return {
        "id": product.pk,
        "created_at": ms(product.created_at),
        "updated_at": ms(product.updated_at),
        "deleted_at": None,
        "title": product.title,
        "subtitle": None,
        "description": None,
        "handle": product.handle,
        "is_giftcard": False,
        "status": "published",
        "thumbnail": None,
        "discountable": True,
        "external_id": None,
        "metadata": None,
        "collection_id": None,
        "type_id": None,
        **dict.fromkeys(PHYSICAL_FIELDS),
    }


def _variant_json(variant):
    return {
        "id": variant.pk,
        "created_at": ms(variant.created_at),
        "updated_at": ms(variant.updated_at),
        "deleted_at": None,
        "title": variant.title,
        "product_id": variant.product_id,
        "sku": variant.sku,
        "barcode": None,
        "ean": None,
        "upc": None,
        "variant_rank": 0,
        "inventory_quantity": variant.inventory_quantity,
        "allow_backorder": False,
        "manage_inventory": True,
        "metadata": None,
        **dict.fromkeys(PHYSICAL_FIELDS),
        "product": _product_json(variant.product),
    }


def _item_json(item, *, totals=None):
    data = {
        "id": item.pk,
        "created_at": ms(item.created_at),
        "updated_at": ms(item.updated_at),
        "order_id": item.order_id,
        "title": item.title,
        "description": item.variant_title,
        "thumbnail": None,
        "unit_price": item.unit_price,
        "variant_id": item.variant_id,
        "quantity": item.quantity,
        "metadata": None,
        "variant": _variant_json(item.variant) if item.variant else None,
    }
    if totals:
        data.update(dict(zip(("subtotal", "tax_total", "total"), totals, strict=True)))
    return data


def _order_scalars(order):
    return {
        "id": order.pk,
        "created_at": ms(order.created_at),
        "updated_at": ms(order.updated_at),
        "status": order.status,
        "fulfillment_status": order.fulfillment_status,
        "payment_status": order.payment_status,
        "display_id": order.display_id,
        "cart_id": None,
        "customer_id": order.customer_id,
        "email": order.email,
        "region_id": order.region_id,
        "currency_code": order.currency_code,
        "tax_rate": None if order.tax_rate is None else float(order.tax_rate),
        "canceled_at": None,
        "metadata": None,
        "sales_channel_id": order.sales_channel_id,
    }


def _totals(order):
    return {name: getattr(order, name) for name in TOTALS}


def _wholesale_order(channel, **kwargs):
    """A Wholesale order as Medusa completes it: two T-shirts at 1950 plus 1000 shipping."""
    order = OrderFactory(
        sales_channel=channel,
        shipping_address=AddressFactory(),
        subtotal=3900,
        shipping_total=1000,
        tax_total=0,
        total=4900,
        **kwargs,
    )
    variant = ProductVariantFactory(product=ProductFactory(title="Medusa T-Shirt"), title="S")
    OrderItemFactory(
        order=order,
        variant=variant,
        product_id=variant.product_id,
        title="Medusa T-Shirt",
        variant_title="S",
        unit_price=1950,
        quantity=2,
    )
    return order


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["orders"]]


def test_routes_are_named_for_reverse():
    assert reverse("admin-api:order-list") == LIST_URL
    assert reverse("admin-api:order-detail", args=["order_1"]) == _detail("order_1")


def test_default_list_has_the_channel_and_no_totals(admin_api_client):
    # given
    wholesale = SalesChannelFactory(name="Wholesale")
    order = _wholesale_order(wholesale)
    item = order.items.get()

    # when
    response = admin_api_client.get(LIST_URL + f"?sales_channel_id[]={wholesale.pk}")

    # then: the default fields (no totals) and every default relation
    assert response.status_code == 200
    assert response.json() == {
        "orders": [
            {
                **_order_scalars(order),
                "billing_address": None,
                "items": [_item_json(item)],
                "region": _region_json(order.region),
                "sales_channel": channel_json(wholesale),
                "shipping_address": _address_json(order.shipping_address),
            }
        ],
        "count": 1,
        "offset": 0,
        "limit": 50,
    }


def test_list_filtered_by_one_channel(admin_api_client):
    wholesale = SalesChannelFactory(name="Wholesale")
    order = _wholesale_order(wholesale)
    _wholesale_order(SalesChannelFactory())
    response = admin_api_client.get(
        LIST_URL
        + f"?sales_channel_id[]={wholesale.pk}&fields=id,display_id,sales_channel_id,total&expand=sales_channel"
    )
    assert response.json() == {
        "orders": [
            {
                "id": order.pk,
                "created_at": ms(order.created_at),
                "display_id": order.display_id,
                "sales_channel_id": wholesale.pk,
                "sales_channel": channel_json(wholesale),
                "total": 4900,
            }
        ],
        "count": 1,
        "offset": 0,
        "limit": 50,
    }


def test_list_filtered_by_two_channels_newest_first(admin_api_client, default_channel):
    # given: one order per channel; both channels asked for, newest first
    wholesale = SalesChannelFactory(name="Wholesale")
    first = _wholesale_order(wholesale)
    second = _wholesale_order(default_channel)
    _wholesale_order(SalesChannelFactory())

    # when: fields without expand keeps the default relations and, as in Medusa, adds the totals
    response = admin_api_client.get(
        LIST_URL
        + f"?sales_channel_id[]={wholesale.pk}&sales_channel_id[]={default_channel.pk}"
        + "&fields=id,display_id,sales_channel_id"
    )

    # then
    rows = response.json()["orders"]
    assert [row["id"] for row in rows] == [second.pk, first.pk]
    assert rows[1] == {
        "id": first.pk,
        "created_at": ms(first.created_at),
        "display_id": first.display_id,
        "sales_channel_id": wholesale.pk,
        "billing_address": None,
        "items": [_item_json(first.items.get())],
        "region": _region_json(first.region),
        "sales_channel": channel_json(wholesale),
        "shipping_address": _address_json(first.shipping_address),
        **_totals(first),
    }
    assert response.json()["limit"] == 50


def test_plain_channel_id_is_accepted(admin_api_client):
    """Medusa answers 400 "sales_channel_id must be an array"; design §5 accepts it."""
    channel = SalesChannelFactory()
    order = _wholesale_order(channel)
    _wholesale_order(SalesChannelFactory())
    assert _ids(admin_api_client.get(LIST_URL + f"?sales_channel_id={channel.pk}")) == [order.pk]


def test_unknown_channel_is_an_empty_list(admin_api_client):
    # Medusa answers 200 with an empty list for an unknown channel id
    _wholesale_order(SalesChannelFactory())
    response = admin_api_client.get(
        LIST_URL + "?sales_channel_id[]=sc_doesnotexist&fields=id,display_id,sales_channel_id"
    )
    assert response.json() == {"orders": [], "count": 0, "offset": 0, "limit": 50}


def test_retrieve_has_the_channel_and_the_totals(admin_api_client):
    # given
    wholesale = SalesChannelFactory(name="Wholesale")
    order = _wholesale_order(wholesale)

    # when
    response = admin_api_client.get(_detail(order.pk))

    # then: every default relation, the totals, and per-item totals
    assert response.status_code == 200
    assert response.json() == {
        "order": {
            **_order_scalars(order),
            "billing_address": None,
            "items": [_item_json(order.items.get(), totals=(3900, 0, 3900))],
            "region": _region_json(order.region),
            "sales_channel": channel_json(wholesale),
            "shipping_address": _address_json(order.shipping_address),
            "subtotal": 3900,
            "shipping_total": 1000,
            "tax_total": 0,
            "total": 4900,
        }
    }


def test_item_totals_use_the_order_tax_rate(admin_api_client):
    order = OrderFactory(tax_rate=Decimal("12.5"))
    OrderItemFactory(order=order, unit_price=1000, quantity=3)
    response = admin_api_client.get(_detail(order.pk) + "?fields=tax_rate&expand=items")
    body = response.json()["order"]
    assert body["tax_rate"] == 12.5
    item = body["items"][0]
    assert (item["subtotal"], item["tax_total"], item["total"]) == (3000, 375, 3375)


def test_deleted_channel_renders_null_but_keeps_its_id(admin_api_client):
    """Medusa: the order keeps `sales_channel_id` after the delete; the expanded channel is null."""
    wholesale = SalesChannelFactory(deleted_at="2026-01-01T00:00:00Z")
    order = _wholesale_order(wholesale)
    response = admin_api_client.get(
        _detail(order.pk) + "?fields=id,sales_channel_id&expand=sales_channel"
    )
    assert response.json() == {
        "order": {
            "id": order.pk,
            "sales_channel_id": wholesale.pk,
            "sales_channel": None,
            **_totals(order),
        }
    }


def test_filtering_by_a_deleted_channel_still_finds_its_orders(admin_api_client):
    # Medusa still finds the orders of a deleted channel (an empty `expand=` suppresses the
    # relations)
    wholesale = SalesChannelFactory(deleted_at="2026-01-01T00:00:00Z")
    order = _wholesale_order(wholesale)
    response = admin_api_client.get(
        LIST_URL
        + f"?sales_channel_id[]={wholesale.pk}&fields=id,display_id,sales_channel_id&expand="
    )
    assert response.json() == {
        "orders": [
            {
                "id": order.pk,
                "created_at": ms(order.created_at),
                "display_id": order.display_id,
                "sales_channel_id": wholesale.pk,
                **_totals(order),
            }
        ],
        "count": 1,
        "offset": 0,
        "limit": 50,
    }


def test_empty_expand_without_fields_gives_the_default_fields_only(admin_api_client):
    order = OrderFactory()
    response = admin_api_client.get(LIST_URL + "?expand=")
    assert response.json()["orders"] == [_order_scalars(order)]


def test_order_without_channel_or_variant(admin_api_client):
    order = OrderFactory()
    item = OrderItemFactory(order=order, variant=None)
    response = admin_api_client.get(_detail(order.pk) + "?expand=items.variant,sales_channel")
    body = response.json()["order"]
    assert (body["sales_channel_id"], body["sales_channel"]) == (None, None)
    assert body["items"] == [_item_json(item, totals=(1000, 0, 1000))]


def test_list_filters(admin_api_client):
    # given
    eu = RegionFactory(currency_code="eur")
    ada = OrderFactory(email="Ada@example.com", status="completed", region=eu)
    bob = OrderFactory(email="bob@example.com", payment_status="captured")
    cat = OrderFactory(email="cat@example.org", status="canceled", fulfillment_status="shipped")

    # then
    assert _ids(admin_api_client.get(LIST_URL)) == [cat.pk, bob.pk, ada.pk]
    assert _ids(admin_api_client.get(LIST_URL + "?q=ADA@")) == [ada.pk]
    assert _ids(admin_api_client.get(LIST_URL + "?q=example.com")) == [bob.pk, ada.pk]
    assert _ids(admin_api_client.get(LIST_URL + f"?q={bob.display_id}")) == [bob.pk]
    assert _ids(admin_api_client.get(LIST_URL + "?status[]=completed&status[]=canceled")) == [
        cat.pk,
        ada.pk,
    ]
    assert _ids(admin_api_client.get(LIST_URL + "?fulfillment_status[]=shipped")) == [cat.pk]
    assert _ids(admin_api_client.get(LIST_URL + "?payment_status=captured")) == [bob.pk]
    assert _ids(admin_api_client.get(LIST_URL + "?email=bob@example.com")) == [bob.pk]
    assert _ids(admin_api_client.get(LIST_URL + f"?display_id={cat.display_id}")) == [cat.pk]
    assert _ids(admin_api_client.get(LIST_URL + f"?region_id[]={eu.pk}")) == [ada.pk]
    assert _ids(admin_api_client.get(LIST_URL + f"?id[]={ada.pk}&id[]={cat.pk}")) == [
        cat.pk,
        ada.pk,
    ]
    assert _ids(admin_api_client.get(LIST_URL + "?order=display_id&limit=2")) == [ada.pk, bob.pk]
    assert _ids(admin_api_client.get(LIST_URL + "?order=-email&offset=2")) == [ada.pk]
    assert _ids(admin_api_client.get(LIST_URL + "?created_at[gte]=2000-01-01&q=cat")) == [cat.pk]
    assert _ids(admin_api_client.get(LIST_URL + "?created_at[lt]=2000-01-01")) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?foo=1", "property foo should not exist"),
        (
            "?status[]=lost",
            "each value in status must be one of the following values: pending, completed, archived, canceled, requires_action",
        ),
        ("?display_id=abc", "display_id must be a non-negative integer"),
        ("?display_id=-1", "display_id must be a non-negative integer"),
        (
            "?display_id=99999999999999999999",
            "display_id must not be greater than 9223372036854775807",
        ),
        ("?expand=swaps", "Relations [swaps] are not valid"),
        ("?fields=draft_order_id", "Fields [draft_order_id] are not valid"),
        (
            "?order=customer",
            "order field customer is not valid; use one of created_at, updated_at, display_id, email, status, total, id",
        ),
        ("?sales_channel_id[x]=sc_1", "sales_channel_id must be an array"),
        (
            "?canceled_at[gt]=later",
            "canceled_at[gt] must be a valid ISO 8601 date or a Unix timestamp",
        ),
    ],
)
def test_bad_list_query_is_a_clear_400(admin_api_client, query, message):
    response = admin_api_client.get(LIST_URL + query)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_q_with_a_huge_number_does_not_crash(admin_api_client):
    OrderFactory()
    assert _ids(admin_api_client.get(LIST_URL + "?q=" + "9" * 30)) == []


def test_channel_filter_with_the_flag_off_is_refused(admin_api_client, flags_off):
    flags_off("sales_channels")
    response = admin_api_client.get(LIST_URL + "?sales_channel_id[]=sc_1")
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "property sales_channel_id should not exist",
    }


def test_list_query_count_does_not_grow(admin_api_client, django_assert_num_queries):
    # 1 COUNT(*); 2 the page joined to region, channel and addresses; 3 items with variant and product
    for _ in range(2):
        _wholesale_order(SalesChannelFactory())
    with django_assert_num_queries(3):
        small = admin_api_client.get(LIST_URL + "?limit=2")
    for _ in range(10):
        order = _wholesale_order(SalesChannelFactory(), billing_address=AddressFactory())
        OrderItemFactory.create_batch(3, order=order, variant=ProductVariantFactory())
    with django_assert_num_queries(3):
        big = admin_api_client.get(LIST_URL + "?limit=12")
    assert (len(small.json()["orders"]), len(big.json()["orders"])) == (2, 12)
    assert len(big.json()["orders"][0]["items"]) == 4


def test_retrieve_query_count(admin_api_client, django_assert_num_queries):
    order = _wholesale_order(SalesChannelFactory())
    OrderItemFactory.create_batch(3, order=order, variant=ProductVariantFactory())
    # 1 the order joined to region, channel and addresses; 2 items with variant and product
    with django_assert_num_queries(2):
        response = admin_api_client.get(_detail(order.pk))
    assert len(response.json()["order"]["items"]) == 4


def test_retrieve_unknown_is_404(admin_api_client):
    response = admin_api_client.get(_detail("order_nope"))
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Order with id: order_nope was not found",
    }


def test_a_page_renders_each_orders_own_region_and_channel_once_each(admin_api_client):
    # given: orders sharing two regions and two channels, interleaved
    eu, us = RegionFactory(name="EU"), RegionFactory(name="US")
    web, app = SalesChannelFactory(name="Web"), SalesChannelFactory(name="App")
    plan = [(eu, web), (us, app), (eu, app), (us, web), (eu, web)]
    orders = [OrderFactory(region=region, sales_channel=channel) for region, channel in plan]

    # when
    response = admin_api_client.get(f"{LIST_URL}?limit=10")

    # then: each order shows its own region and channel, as separate objects
    rendered = {o["id"]: o for o in response.json()["orders"]}
    for order, (region, channel) in zip(orders, plan, strict=True):
        assert rendered[order.pk]["region"]["name"] == region.name
        assert rendered[order.pk]["region"]["id"] == rendered[order.pk]["region_id"] == region.pk
        assert rendered[order.pk]["sales_channel"]["name"] == channel.name
    assert rendered[orders[0].pk]["region"] == rendered[orders[4].pk]["region"]


def test_orders_sharing_a_region_get_equal_but_separate_dicts():
    region = RegionFactory(name="EU")
    OrderFactory.create_batch(2, region=region)
    page = list(order_qs_for_admin(relations={"region"}).order_by("created_at"))

    data = AdminOrderSerializer(page, many=True, context={"relations": {"region"}}).data

    assert data[0]["region"] == data[1]["region"]
    assert data[0]["region"] is not data[1]["region"]


# ---- PAYMENTS (on request) ----


def test_payments_are_expandable_and_not_a_default(admin_api_client, django_assert_num_queries):
    # given: two orders, one paid through completion's payment row
    order = OrderFactory()
    other = OrderFactory()
    payment = Payment.objects.create(
        order=order,
        provider_id="manual",
        amount=order.total,
        currency_code=order.currency_code,
        data={"status": "authorized"},
    )

    # then: not a default relation
    assert "payments" not in admin_api_client.get(_detail(order.pk)).json()["order"]

    # when: asked for, one more query whatever the page size
    with django_assert_num_queries(2):
        detail = admin_api_client.get(f"{_detail(order.pk)}?expand=payments&fields=id")
    with django_assert_num_queries(3):
        page = admin_api_client.get(f"{LIST_URL}?expand=payments&fields=id")

    # then
    assert detail.json()["order"]["payments"] == [
        {
            "id": payment.pk,
            "created_at": ms(payment.created_at),
            "updated_at": ms(payment.updated_at),
            "swap_id": None,
            "cart_id": None,
            "order_id": order.pk,
            "amount": order.total,
            "currency_code": order.currency_code,
            "amount_refunded": 0,
            "provider_id": "manual",
            "data": {"status": "authorized"},
            "captured_at": None,
            "canceled_at": None,
            "metadata": None,
            "idempotency_key": None,
        }
    ]
    rows = {row["id"]: row["payments"] for row in page.json()["orders"]}
    assert (len(rows[order.pk]), rows[other.pk]) == (1, [])
