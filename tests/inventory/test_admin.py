"""Django admin for stock (issue 20): locations, a channel's locations, a variant's levels."""

import pytest

from commerce.models import OutboxEvent
from inventory.models import InventoryItem, InventoryLevel, SalesChannelLocation, StockLocation
from tests.inventory.stock import stock_create

pytestmark = pytest.mark.django_db


def test_location_create_and_delete_go_through_the_services(admin_client):
    response = admin_client.post(
        "/admin/inventory/stocklocation/add/", {"name": "Depot", "metadata": ""}
    )

    assert response.status_code == 302
    location = StockLocation.objects.get(name="Depot")
    assert OutboxEvent.objects.filter(type="stock_location.created", data__id=location.pk).exists()
    deleted = admin_client.post(
        f"/admin/inventory/stocklocation/{location.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert StockLocation.all_objects.get(pk=location.pk).deleted_at is not None


def test_channel_page_links_a_location_with_its_priority(admin_client):
    stock = stock_create()
    depot = StockLocation.objects.create(name="Depot")
    links = list(SalesChannelLocation.objects.filter(sales_channel=stock.web).order_by("pk"))
    data = {
        "name": "Web",
        "description": stock.web.description or "",
        "metadata": "",
        "location_links-TOTAL_FORMS": str(len(links) + 1),
        "location_links-INITIAL_FORMS": str(len(links)),
    }
    for index, link in enumerate(links):
        data |= {
            f"location_links-{index}-id": link.pk,
            f"location_links-{index}-sales_channel": stock.web.pk,
            f"location_links-{index}-location": link.location_id,
            f"location_links-{index}-priority": link.priority,
        }
    new = len(links)
    data |= {
        f"location_links-{new}-sales_channel": stock.web.pk,
        f"location_links-{new}-location": depot.pk,
        f"location_links-{new}-priority": "5",
    }
    # and the shared location is dropped
    shared = next(i for i, link in enumerate(links) if link.location_id == stock.shared.pk)
    data[f"location_links-{shared}-DELETE"] = "on"

    response = admin_client.post(f"/admin/saleschannels/saleschannel/{stock.web.pk}/change/", data)

    assert response.status_code == 302, response.content[:2000]
    assert dict(
        SalesChannelLocation.objects.filter(sales_channel=stock.web).values_list(
            "location_id", "priority"
        )
    ) == {stock.web_house.pk: 0, depot.pk: 5}
    types = set(OutboxEvent.objects.values_list("type", flat=True))
    assert {"sales_channel.location_added", "sales_channel.location_removed"} <= types


def test_variant_page_shows_availability_per_channel_and_links_its_levels(admin_client):
    stock = stock_create(shared=5, web_only=3, b2b_only=2)

    page = admin_client.get(f"/admin/catalog/productvariant/{stock.variant.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "<tr><td>Web</td><td>8</td></tr>" in html
    assert "<tr><td>Wholesale</td><td>7</td></tr>" in html
    item = InventoryItem.objects.get(variant=stock.variant)
    assert f"/admin/inventory/inventoryitem/{item.pk}/change/" in html


def test_levels_are_edited_inline_through_the_services(admin_client):
    stock = stock_create(shared=5, web_only=3, b2b_only=2)
    item = InventoryItem.objects.get(variant=stock.variant)
    levels = list(InventoryLevel.objects.filter(inventory_item=item).order_by("created_at", "id"))
    data = {"levels-TOTAL_FORMS": str(len(levels)), "levels-INITIAL_FORMS": str(len(levels))}
    for index, level in enumerate(levels):
        data |= {
            f"levels-{index}-id": level.pk,
            f"levels-{index}-inventory_item": item.pk,
            f"levels-{index}-location": level.location_id,
            f"levels-{index}-stocked_quantity": level.stocked_quantity,
            f"levels-{index}-incoming_quantity": level.incoming_quantity,
        }
    web = next(i for i, level in enumerate(levels) if level.location_id == stock.web_house.pk)
    data[f"levels-{web}-stocked_quantity"] = "11"

    response = admin_client.post(f"/admin/inventory/inventoryitem/{item.pk}/change/", data)

    assert response.status_code == 302, response.content[:2000]
    assert InventoryLevel.objects.get(location=stock.web_house).stocked_quantity == 11
    assert OutboxEvent.objects.filter(
        type="inventory_level.updated", data__stocked_quantity=11
    ).exists()
