"""Per-channel listings with schedules, and the availability diagnosis (issue 19), over HTTP.

Schedules run on a fixed clock (time-machine): a product appears at its second.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from carts.models import Cart, LineItem
from catalog.models import ProductSalesChannel
from commerce.models import OutboxEvent
from commerce.services import user_create
from saleschannels.services import staff_scope_set
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import RegionFactory
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

KEY = "HTTP_X_PUBLISHABLE_API_KEY"
NOW = datetime(2026, 12, 3, 8, 59, 59, tzinfo=UTC)
OPENS = datetime(2026, 12, 3, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def shop(default_channel):
    b2b = SalesChannelFactory(name="B2B Portal")
    key = PublishableApiKeyFactory(sales_channels=[b2b])
    region = RegionFactory(name="US", currency_code="usd")
    boots = ProductFactory(title="Boots", handle="boots", sales_channels=[default_channel, b2b])
    variant = ProductVariantFactory(product=boots, inventory_quantity=5)
    return type(
        "Shop",
        (),
        {
            "web": default_channel,
            "b2b": b2b,
            "key": key,
            "region": region,
            "boots": boots,
            "variant": variant,
        },
    )


def _not_in_key_channels(client, product, key):
    """Assert the answer a key gets for a product outside its channels (Medusa's 400)."""
    response = client.get(f"/api/store/products/{product.pk}", **{KEY: key.pk})
    assert response.status_code == 400
    assert "is not associated with sales channels defined by the Publishable API Key" in str(
        response.json()
    )


def _listing(product, channel, **changes):
    ProductSalesChannel.objects.filter(product=product, sales_channel=channel).update(**changes)


def _store_ids(client, **extra):
    response = client.get("/api/store/products", **extra)
    assert response.status_code == 200, response.content
    body = response.json()
    return [p["id"] for p in body["products"]], body["count"]


def test_a_scheduled_product_appears_in_its_channel_at_its_second_and_only_there(api_client, shop):
    _listing(shop.boots, shop.b2b, published_at=OPENS)
    b2b = {KEY: shop.key.pk}
    with time_machine.travel(NOW, tick=False):
        assert _store_ids(api_client, **b2b) == ([], 0)
        _not_in_key_channels(api_client, shop.boots, shop.key)
        # the web shop (the default channel, no key) is not scheduled: it shows the product
        assert _store_ids(api_client) == ([shop.boots.pk], 1)
    with time_machine.travel(OPENS, tick=False):
        assert _store_ids(api_client, **b2b) == ([shop.boots.pk], 1)
        assert api_client.get(f"/api/store/products/{shop.boots.pk}", **b2b).status_code == 200


def test_an_unpublished_listing_is_as_if_the_product_were_not_in_the_channel(api_client, shop):
    _listing(shop.boots, shop.b2b, is_published=False)
    b2b = {KEY: shop.key.pk}
    assert _store_ids(api_client, **b2b) == ([], 0)
    _not_in_key_channels(api_client, shop.boots, shop.key)
    assert api_client.get(f"/api/store/variants/{shop.variant.pk}", **b2b).status_code == 400
    assert api_client.get("/api/store/variants", **b2b).json() == {"variants": []}
    # without a key (Medusa does not limit a retrieve to a channel) it is still in the web shop
    assert api_client.get(f"/api/store/products/{shop.boots.pk}").status_code == 200


def test_a_product_every_channel_withholds_is_not_reachable_without_a_key(api_client, shop):
    _listing(shop.boots, shop.b2b, is_published=False)
    _listing(shop.boots, shop.web, published_at=OPENS)
    with time_machine.travel(NOW, tick=False):
        assert api_client.get(f"/api/store/products/{shop.boots.pk}").status_code == 404


def test_hidden_from_listings_is_out_of_lists_search_and_counts_but_reachable(api_client, shop):
    _listing(shop.boots, shop.web, visible_in_listings=False)
    assert _store_ids(api_client) == ([], 0)
    assert _store_ids(api_client, data={"q": "boots"}) == ([], 0)
    response = api_client.get("/api/store/products", {"handle": "boots"})
    assert [p["id"] for p in response.json()["products"]] == [shop.boots.pk]
    assert api_client.get(f"/api/store/products/{shop.boots.pk}").status_code == 200


def test_cart_add_before_the_purchase_window_is_a_400_naming_the_date(api_client, shop):
    _listing(shop.boots, shop.web, available_for_purchase_at=OPENS)
    with time_machine.travel(NOW, tick=False):
        cart = api_client.post("/api/store/carts", {"region_id": shop.region.pk}).json()["cart"]
        # shown, but not yet for sale
        assert _store_ids(api_client) == ([shop.boots.pk], 1)
        response = api_client.post(
            f"/api/store/carts/{cart['id']}/line-items",
            {"variant_id": shop.variant.pk, "quantity": 1},
        )
        assert response.status_code == 400
        assert response.json() == {
            "type": "invalid_data",
            "message": "Not yet available for purchase: Boots from 3 Dec 2026 at 09:00 UTC.",
        }
        assert not LineItem.objects.filter(cart_id=cart["id"]).exists()
    with time_machine.travel(OPENS, tick=False):
        response = api_client.post(
            f"/api/store/carts/{cart['id']}/line-items",
            {"variant_id": shop.variant.pk, "quantity": 1},
        )
        assert response.status_code == 200


def test_switching_a_cart_to_a_channel_that_does_not_sell_the_product_yet_drops_it(
    api_client, shop
):
    _listing(shop.boots, shop.b2b, available_for_purchase_at=OPENS)
    with time_machine.travel(NOW, tick=False):
        cart = api_client.post(
            "/api/store/carts",
            {
                "region_id": shop.region.pk,
                "items": [{"variant_id": shop.variant.pk, "quantity": 1}],
            },
        ).json()["cart"]
        response = api_client.post(
            f"/api/store/carts/{cart['id']}", {"sales_channel_id": shop.b2b.pk}
        )
        assert response.status_code == 200
        assert response.json()["cart"]["items"] == []
        assert Cart.objects.get(pk=cart["id"]).sales_channel_id == shop.b2b.pk


def test_channel_listings_read_and_set_and_emit_one_event(admin_api_client, shop):
    url = f"/api/admin/products/{shop.boots.pk}/channel-listings"
    outlet = SalesChannelFactory(name="Outlet")
    before = set(OutboxEvent.objects.values_list("pk", flat=True))

    response = admin_api_client.post(
        url,
        {
            "channel_listings": [
                {"sales_channel_id": shop.b2b.pk, "published_at": "2026-12-03T09:00:00Z"},
                {"sales_channel_id": outlet.pk, "visible_in_listings": False},
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    listings = {row["sales_channel_id"]: row for row in response.json()["channel_listings"]}
    assert listings[shop.web.pk] == {
        "sales_channel_id": shop.web.pk,
        "sales_channel_name": shop.web.name,
        "is_published": True,
        "published_at": None,
        "visible_in_listings": True,
        "available_for_purchase_at": None,
    }
    assert listings[shop.b2b.pk]["published_at"] == "2026-12-03T09:00:00.000Z"
    assert listings[outlet.pk]["visible_in_listings"] is False  # joined the channel
    assert admin_api_client.get(url).json() == response.json()
    events = list(OutboxEvent.objects.exclude(pk__in=before))
    assert [e.type for e in events] == ["product.channel_listing_updated"]
    assert events[0].data["product_ids"] == [shop.boots.pk]
    assert {row["sales_channel_id"] for row in events[0].data["channel_listings"]} == {
        shop.b2b.pk,
        outlet.pk,
    }
    assert set(events[0].sales_channel_ids) == {shop.b2b.pk, outlet.pk}


def test_channel_listings_refuse_unknown_channels_and_change_nothing(admin_api_client, shop):
    url = f"/api/admin/products/{shop.boots.pk}/channel-listings"
    response = admin_api_client.post(
        url,
        {
            "channel_listings": [
                {"sales_channel_id": shop.b2b.pk, "is_published": False},
                {"sales_channel_id": "sc_nope"},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == ["Sales Channels sc_nope do not exist"]
    assert ProductSalesChannel.objects.get(product=shop.boots, sales_channel=shop.b2b).is_published
    bad = admin_api_client.post(
        url,
        {"channel_listings": [{"sales_channel_id": shop.b2b.pk, "is_published": "no"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert admin_api_client.get("/api/admin/products/prod_nope/channel-listings").status_code == 404


def test_a_scoped_staff_member_sees_and_sets_listings_of_their_channels_only(shop):
    user = user_create(email="b2b@example.com", password="a-long-password", role="member")
    staff_scope_set(user_id=user.pk, sales_channel_ids=[shop.b2b.pk])
    client = APIClient()
    client.force_authenticate(user=user)
    url = f"/api/admin/products/{shop.boots.pk}/channel-listings"

    listed = client.get(url)
    assert listed.status_code == 200, listed.content
    assert [row["sales_channel_id"] for row in listed.json()["channel_listings"]] == [shop.b2b.pk]
    outside = client.post(
        url, {"channel_listings": [{"sales_channel_id": shop.web.pk}]}, format="json"
    )
    assert outside.status_code == 403
    availability = client.get(f"/api/admin/products/{shop.boots.pk}/availability")
    assert [row["sales_channel_id"] for row in availability.json()["availability"]] == [shop.b2b.pk]


def test_the_batch_sets_listings_per_item_and_keeps_plain_items(admin_api_client, shop):
    gloves = ProductFactory(title="Gloves", sales_channels=[shop.b2b])
    _listing(gloves, shop.b2b, visible_in_listings=False)
    hat = ProductFactory(title="Hat")
    response = admin_api_client.post(
        f"/api/admin/sales-channels/{shop.b2b.pk}/products/batch",
        {
            "product_ids": [
                {"id": gloves.pk},
                {"id": hat.pk, "is_published": False, "available_for_purchase_at": None},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    links = {
        link.product_id: link for link in ProductSalesChannel.objects.filter(sales_channel=shop.b2b)
    }
    assert links[gloves.pk].visible_in_listings is False  # a plain {id} keeps its listing
    assert links[hat.pk].is_published is False
    bad = admin_api_client.post(
        f"/api/admin/sales-channels/{shop.b2b.pk}/products/batch",
        {"product_ids": [{"id": hat.pk, "colour": "red"}]},
        format="json",
    )
    assert bad.status_code == 400


def test_expanded_admin_product_carries_its_channel_listings(admin_api_client, shop):
    _listing(shop.boots, shop.b2b, is_published=False)
    response = admin_api_client.get(
        f"/api/admin/products/{shop.boots.pk}", {"expand": "channel_listings"}
    )
    listings = response.json()["product"]["channel_listings"]
    assert [(row["sales_channel_id"], row["is_published"]) for row in listings] == [
        (shop.web.pk, True),
        (shop.b2b.pk, False),
    ]
    default = admin_api_client.get(f"/api/admin/products/{shop.boots.pk}").json()["product"]
    assert "channel_listings" not in default


def _verdicts(client, product, **params):
    response = client.get(f"/api/admin/products/{product.pk}/availability", params)
    assert response.status_code == 200, response.content
    return {row["sales_channel_name"]: row for row in response.json()["availability"]}


def test_the_diagnosis_names_every_reason_in_words(admin_api_client, shop):
    _listing(
        shop.boots,
        shop.b2b,
        published_at=OPENS,
        visible_in_listings=False,
        available_for_purchase_at=OPENS + timedelta(days=1),
    )
    shop.variant.inventory_quantity = 0
    shop.variant.save()
    outlet = SalesChannelFactory(name="Outlet", is_disabled=True)
    with time_machine.travel(NOW, tick=False):
        verdicts = _verdicts(admin_api_client, shop.boots, region_id=shop.region.pk)

    b2b = verdicts["B2B Portal"]
    assert (b2b["listed"], b2b["reachable"], b2b["purchasable"]) == (False, False, False)
    assert b2b["reasons"] == [
        {
            "code": "scheduled",
            "message": "Scheduled: appears in B2B Portal on 3 Dec 2026 at 09:00 UTC.",
        },
        {
            "code": "hidden_from_listings",
            "message": "Hidden from listings in B2B Portal: left out of lists, search and counts, but reachable by its id or handle.",
        },
        {
            "code": "purchase_not_open",
            "message": "Not yet for sale in B2B Portal: it can be bought from 4 Dec 2026 at 09:00 UTC.",
        },
        {
            "code": "out_of_stock",
            "message": "Out of stock: every variant with a price is managed, at zero and without backorder.",
        },
    ]
    web = verdicts[shop.web.name]
    assert (web["listed"], web["reachable"], web["purchasable"]) == (True, True, False)
    assert [r["code"] for r in web["reasons"]] == ["out_of_stock"]
    assert [r["code"] for r in verdicts["Outlet"]["reasons"]] == [
        "not_in_channel",
        "channel_disabled",
        "out_of_stock",
        "unreachable_channel",
    ]
    assert outlet.pk == verdicts["Outlet"]["sales_channel_id"]


def test_the_diagnosis_of_a_draft_deleted_product_without_variants(admin_api_client, shop):
    draft = ProductFactory(title="Draft", status="draft", sales_channels=[shop.web])
    eur = RegionFactory(name="EU", currency_code="eur")
    verdicts = _verdicts(admin_api_client, draft, sales_channel_id=shop.web.pk, region_id=eur.pk)
    assert list(verdicts) == [shop.web.name]
    assert [r["code"] for r in verdicts[shop.web.name]["reasons"]] == [
        "product_not_published",
        "no_variants",
    ]
    ProductVariantFactory(product=draft)  # priced in USD only
    draft.deleted_at = NOW
    draft.save()
    verdicts = _verdicts(admin_api_client, draft, sales_channel_id=shop.web.pk, region_id=eur.pk)
    reasons = verdicts[shop.web.name]["reasons"]
    assert [r["code"] for r in reasons] == [
        "product_deleted",
        "product_not_published",
        "no_price_for_region",
    ]
    assert reasons[2]["message"] == (
        "No variant has a price in EUR (the currency of EU): a cart cannot price it."
    )
    assert (
        admin_api_client.get(
            f"/api/admin/products/{draft.pk}/availability", {"sales_channel_id": "sc_nope"}
        ).status_code
        == 404
    )
    assert (
        admin_api_client.get(
            f"/api/admin/products/{draft.pk}/availability", {"colour": "red"}
        ).status_code
        == 400
    )
