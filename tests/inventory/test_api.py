"""The Medusa v1 routes of stock locations, inventory and per-channel store quantities (issue 20)."""

import pytest

from commerce.models import OutboxEvent
from inventory.models import InventoryItem, InventoryLevel, SalesChannelLocation, StockLocation
from tests.inventory.stock import stock_create
from tests.saleschannels.factories import PublishableApiKeyFactory

pytestmark = pytest.mark.django_db

ADMIN = "/api/admin"


def _quantities(response):
    assert response.status_code == 200, response.json()
    body = response.json()
    products = body["products"] if "products" in body else [body["product"]]
    return [
        variant["inventory_quantity"] for product in products for variant in product["variants"]
    ]


def test_store_products_show_what_the_requests_channel_can_sell(api_client):
    stock = stock_create(shared=5, web_only=3, b2b_only=2)
    pid = stock.variant.product_id

    web = api_client.get(f"/api/store/products?sales_channel_id={stock.web.pk}")
    b2b = api_client.get(f"/api/store/products?sales_channel_id={stock.b2b.pk}")
    detail = api_client.get(f"/api/store/products/{pid}?sales_channel_id={stock.b2b.pk}")
    key = PublishableApiKeyFactory(sales_channels=[stock.web, stock.b2b])
    both = api_client.get("/api/store/products", HTTP_X_PUBLISHABLE_API_KEY=key.pk)

    assert _quantities(web) == [8]
    assert _quantities(b2b) == [7]
    assert _quantities(detail) == [7]
    assert _quantities(both) == [10]  # the shared location once


def test_channel_stock_location_link_and_unlink(admin_api_client):
    stock = stock_create()
    new = StockLocation.objects.create(name="Overflow")
    path = f"{ADMIN}/sales-channels/{stock.web.pk}/stock-locations"

    added = admin_api_client.post(path, {"location_id": new.pk, "priority": 7}, format="json")
    again = admin_api_client.post(path, {"location_id": new.pk}, format="json")

    assert added.status_code == 200
    assert added.json()["sales_channel"]["id"] == stock.web.pk
    assert again.status_code == 200
    assert SalesChannelLocation.objects.get(sales_channel=stock.web, location=new).priority == 7

    removed = admin_api_client.delete(path, {"location_id": new.pk}, format="json")
    assert removed.status_code == 200
    assert removed.json() == {"id": stock.web.pk, "object": "stock-location", "deleted": True}
    assert not SalesChannelLocation.objects.filter(sales_channel=stock.web, location=new).exists()
    types = list(OutboxEvent.objects.order_by("created_at").values_list("type", flat=True))
    assert types[-2:] == ["sales_channel.location_added", "sales_channel.location_removed"]


def test_channel_stock_location_refusals_change_nothing(admin_api_client):
    stock = stock_create()
    before = SalesChannelLocation.objects.count()

    unknown_channel = admin_api_client.post(
        f"{ADMIN}/sales-channels/sc_nope/stock-locations",
        {"location_id": stock.shared.pk},
        format="json",
    )
    unknown_location = admin_api_client.post(
        f"{ADMIN}/sales-channels/{stock.web.pk}/stock-locations",
        {"location_id": "sloc_nope"},
        format="json",
    )
    missing = admin_api_client.post(
        f"{ADMIN}/sales-channels/{stock.web.pk}/stock-locations", {}, format="json"
    )

    assert unknown_channel.status_code == 404
    assert unknown_channel.json()["message"] == "Sales channel with id: sc_nope was not found"
    assert unknown_location.status_code == 404
    assert unknown_location.json()["message"] == "StockLocation with id sloc_nope was not found"
    assert missing.status_code == 400
    assert missing.json()["type"] == "invalid_data"
    assert SalesChannelLocation.objects.count() == before


def test_stock_location_crud_with_filter_and_expand(admin_api_client):
    stock = stock_create()

    created = admin_api_client.post(
        f"{ADMIN}/stock-locations",
        {"name": "Depot", "address": {"address_1": "1 Quay", "country_code": "DK"}},
        format="json",
    )
    assert created.status_code == 200, created.json()
    location = created.json()["stock_location"]
    assert location["name"] == "Depot"
    assert location["address"]["country_code"] == "dk"

    listed = admin_api_client.get(
        f"{ADMIN}/stock-locations?sales_channel_id[]={stock.b2b.pk}&expand=sales_channels"
    )
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 2
    names = {
        loc["name"]: [c["name"] for c in loc["sales_channels"]] for loc in body["stock_locations"]
    }
    assert names == {"Shared": ["Web", "Wholesale"], "B2B house": ["Wholesale"]}

    unknown = admin_api_client.get(f"{ADMIN}/stock-locations?sales_channel_id=sc_a,sc_b")
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "Sales channel with id: sc_a, sc_b was not found"

    updated = admin_api_client.post(
        f"{ADMIN}/stock-locations/{location['id']}", {"name": "Depot 2"}, format="json"
    )
    assert updated.json()["stock_location"]["name"] == "Depot 2"

    deleted = admin_api_client.delete(f"{ADMIN}/stock-locations/{stock.shared.pk}")
    assert deleted.json() == {"id": stock.shared.pk, "object": "stock_location", "deleted": True}
    assert StockLocation.all_objects.get(pk=stock.shared.pk).deleted_at is not None
    assert not SalesChannelLocation.objects.filter(location=stock.shared).exists()
    assert admin_api_client.get(f"{ADMIN}/stock-locations/{stock.shared.pk}").status_code == 404


def test_variant_inventory_lists_items_and_per_channel_availability(admin_api_client):
    stock = stock_create(shared=5, web_only=3, b2b_only=2)

    response = admin_api_client.get(f"{ADMIN}/variants/{stock.variant.pk}/inventory")

    assert response.status_code == 200
    variant = response.json()["variant"]
    assert variant["id"] == stock.variant.pk
    assert [len(item["location_levels"]) for item in variant["inventory"]] == [3]
    availability = {
        a["channel_name"]: a["available_quantity"] for a in variant["sales_channel_availability"]
    }
    assert availability["Web"] == 8
    assert availability["Wholesale"] == 7
    assert availability["Default Sales Channel"] == 0  # no location
    missing = admin_api_client.get(f"{ADMIN}/variants/variant_nope/inventory")
    assert missing.status_code == 404


def test_location_levels_create_update_delete(admin_api_client):
    stock = stock_create()
    item = InventoryItem.objects.get(variant=stock.variant)
    depot = StockLocation.objects.create(name="Depot")
    levels = f"{ADMIN}/inventory-items/{item.pk}/location-levels"

    created = admin_api_client.post(
        levels, {"location_id": depot.pk, "stocked_quantity": 4}, format="json"
    )
    twice = admin_api_client.post(
        levels, {"location_id": depot.pk, "stocked_quantity": 4}, format="json"
    )
    negative = admin_api_client.post(
        f"{levels}/{depot.pk}", {"stocked_quantity": -1}, format="json"
    )
    updated = admin_api_client.post(
        f"{levels}/{depot.pk}", {"stocked_quantity": 9, "incoming_quantity": 2}, format="json"
    )

    assert created.status_code == 200
    assert twice.status_code == 400
    assert negative.status_code == 400
    assert updated.status_code == 200
    level = next(
        lv
        for lv in updated.json()["inventory_item"]["location_levels"]
        if lv["location_id"] == depot.pk
    )
    assert (level["stocked_quantity"], level["incoming_quantity"], level["available_quantity"]) == (
        9,
        2,
        9,
    )
    assert OutboxEvent.objects.filter(type="inventory_level.updated").count() >= 2

    deleted = admin_api_client.delete(f"{levels}/{depot.pk}")
    assert deleted.json() == {"id": depot.pk, "object": "inventory-level", "deleted": True}
    assert not InventoryLevel.objects.filter(location=depot).exists()


def test_stocked_below_reserved_is_refused(admin_api_client):
    from carts.services import ItemInput
    from orders.services import cart_complete
    from tests.reliability.shop import ready_cart

    stock = stock_create(shared=5, web_only=3)
    cart_complete(
        cart_id=ready_cart(stock.shop, [ItemInput(stock.variant.pk, 3)], channel=stock.web)
    )
    item = InventoryItem.objects.get(variant=stock.variant)

    response = admin_api_client.post(
        f"{ADMIN}/inventory-items/{item.pk}/location-levels/{stock.web_house.pk}",
        {"stocked_quantity": 2},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["message"] == (
        "stocked_quantity must not be less than the 3 reserved at this location"
    )
    assert InventoryLevel.objects.get(location=stock.web_house).stocked_quantity == 3


def test_cart_add_in_a_channel_without_location_is_a_clear_400(api_client):
    from carts.services import cart_create
    from tests.saleschannels.factories import SalesChannelFactory

    stock = stock_create()
    kiosk = SalesChannelFactory(name="Kiosk")
    stock.variant.product.sales_channels.add(kiosk)
    cart = cart_create(region_id=stock.shop.region.pk, sales_channel_id=kiosk.pk)

    response = api_client.post(
        f"/api/store/carts/{cart.pk}/line-items",
        {"variant_id": stock.variant.pk, "quantity": 1},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["type"] == "not_allowed"
    assert response.json()["message"].startswith("Sales channel Kiosk has no stock location")


def test_channel_expand_locations_lists_its_links_best_first(admin_api_client):
    stock = stock_create()

    response = admin_api_client.get(f"{ADMIN}/sales-channels?expand=locations&id={stock.web.pk}")
    listed = admin_api_client.get(f"{ADMIN}/sales-channels?expand=locations&id={stock.b2b.pk}")

    locations = response.json()["sales_channels"][0]["locations"]
    assert [(loc["location_id"], loc["priority"]) for loc in locations] == [
        (stock.web_house.pk, 0),
        (stock.shared.pk, 1),
    ]
    assert set(locations[0]) == {
        "id",
        "created_at",
        "updated_at",
        "deleted_at",
        "sales_channel_id",
        "location_id",
        "priority",
    }
    assert [loc["location_id"] for loc in listed.json()["sales_channels"][0]["locations"]] == [
        stock.b2b_house.pk,
        stock.shared.pk,
    ]
