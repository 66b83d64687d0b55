"""Stock screens in a real browser (issue 20): a channel's locations, a variant's levels."""

import pytest
from playwright.sync_api import expect

from inventory.models import InventoryItem, InventoryLevel, SalesChannelLocation, StockLocation
from tests.inventory.stock import stock_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_link_a_location_to_a_channel_and_restock_a_variant(logged_in, screenshot):
    page = logged_in
    stock = stock_create(shared=5, web_only=3, b2b_only=2)
    depot = StockLocation.objects.create(name="Depot")

    # the channel page lists its locations, best first; add the depot at priority 5
    page.goto(f"/admin/saleschannels/saleschannel/{stock.web.pk}/change/")
    rows = page.locator("#location_links-group tbody tr.form-row.has_original")
    expect(rows).to_have_count(2)
    page.get_by_text("Add another stock location").click()
    page.select_option("select[name='location_links-2-location']", label="Depot")
    page.fill("input[name='location_links-2-priority']", "5")
    screenshot(page, "channel-stock-locations", full_page=True)
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    assert SalesChannelLocation.objects.get(sales_channel=stock.web, location=depot).priority == 5

    # the variant page shows what each channel can sell, and leads to the levels
    page.goto(f"/admin/catalog/productvariant/{stock.variant.pk}/change/")
    table = page.locator(".field-stock_display table")
    expect(table.locator("tr", has_text="Web")).to_contain_text("8")
    expect(table.locator("tr", has_text="Wholesale")).to_contain_text("7")
    page.get_by_text("Edit stock levels per location").click()

    # restock the web shop's house inline
    item = InventoryItem.objects.get(variant=stock.variant)
    levels = list(InventoryLevel.objects.filter(inventory_item=item).order_by("created_at", "id"))
    index = next(i for i, level in enumerate(levels) if level.location_id == stock.web_house.pk)
    page.fill(f"input[name='levels-{index}-stocked_quantity']", "13")
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    assert InventoryLevel.objects.get(pk=levels[index].pk).stocked_quantity == 13

    page.goto(f"/admin/catalog/productvariant/{stock.variant.pk}/change/")
    expect(page.locator(".field-stock_display tr", has_text="Web")).to_contain_text("18")
