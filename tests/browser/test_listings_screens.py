"""Listings in a real browser (issue 19): schedule products in a channel with the bulk action,
then read on the product page, in words, why each channel does or does not show them."""

import re

import pytest
from playwright.sync_api import expect

from catalog.models import Product, ProductSalesChannel
from tests.browser.shop import build_shop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PRODUCTS = "/admin/catalog/product/"


def test_schedule_products_in_a_channel_and_read_why_on_the_product_page(logged_in, screenshot):
    page = logged_in
    shop = build_shop()

    page.goto(PRODUCTS + "?q=linen")
    for title in ("Linen shirt", "Linen trousers"):
        page.locator("#result_list tbody tr").filter(
            has=page.locator("th a", has_text=re.compile(rf"^\s*{title}"))
        ).locator("input.action-select").check()
    page.select_option("#changelist-form select[name=action]", "schedule_in_channel")
    page.click("#changelist-form button[name=index]")
    expect(page.locator("h1")).to_have_text("Schedule products in a sales channel")
    page.select_option("#id_sales_channel", label="Mobile app")
    page.fill("#id_published_at", "2099-03-01 09:00:00")
    screenshot(page, "schedule-in-channel-action", full_page=False)
    page.click("input[name=apply]")
    expect(page.locator("ul.messagelist li.success")).to_have_text(
        "Scheduled 2 products in Mobile app."
    )
    shirt = Product.objects.get(title="Linen shirt")
    link = ProductSalesChannel.objects.get(product=shirt, sales_channel=shop.app)
    assert link.published_at.isoformat() == "2099-03-01T09:00:00+00:00"

    page.goto(f"{PRODUCTS}{shirt.pk}/change/")
    panel = page.locator(".field-availability_display")
    expect(panel).to_contain_text("Scheduled: appears in Mobile app on 1 Mar 2099 at 09:00 UTC.")
    screenshot(page, "product-availability-per-channel")
