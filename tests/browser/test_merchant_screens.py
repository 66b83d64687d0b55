"""Merchant screens in a real browser: headless Chromium driven through the Django admin.

Run with ADMIN_SCREENSHOTS_DIR=docs/screenshots to refresh the README's screenshots.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Product
from saleschannels.exceptions import (
    DefaultSalesChannelNotDeletable,
    DefaultSalesChannelNotDisableable,
)
from saleschannels.models import SalesChannel
from tests.browser.shop import build_shop, channel_product_ids, many_products

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHANNELS = "/admin/saleschannels/saleschannel/"
PRODUCTS = "/admin/catalog/product/"
ORDERS = "/admin/orders/order/"


def _row(page: Page, text: str):
    """The changelist row whose link column reads `text`."""
    return page.locator("#result_list tbody tr").filter(
        has=page.locator("th a", has_text=re.compile(rf"^\s*{re.escape(text)}"))
    )


def _run_action(page: Page, action: str) -> None:
    page.select_option("#changelist-form select[name=action]", action)
    page.click("#changelist-form button[name=index]")


def _success(page: Page):
    return page.locator("ul.messagelist li.success")


def _error(page: Page):
    return page.locator("ul.messagelist li.error")


def test_log_in_and_see_the_merchant_screens(page, merchant):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", merchant.email)
    page.fill("#id_password", "secret-password")
    page.click("input[type=submit]")

    expect(page.locator("#site-name")).to_have_text("Commerce administration")
    models = {
        "saleschannels-saleschannel": "Sales channels",
        "catalog-product": "Products",
        "orders-order": "Orders",
        "carts-cart": "Carts",
        "saleschannels-publishableapikey": "Publishable API keys",
        "commerce-store": "Stores",
        "commerce-apitoken": "Api tokens",
    }
    for row_id, name in models.items():
        expect(page.locator(f"#content-main th#{row_id} a")).to_have_text(name)


def test_create_a_channel_add_products_with_the_bulk_action_and_disable_it(logged_in, screenshot):
    page = logged_in
    shop = build_shop()

    # create a channel
    page.goto(CHANNELS + "add/")
    page.fill("#id_name", "Spring pop-up")
    page.fill("#id_description", "Market stall, April to June")
    page.click("input[name=_save]")
    expect(_success(page)).to_contain_text("Spring pop-up")
    expect(_row(page, "Spring pop-up").locator("td.field-product_count")).to_have_text("0")
    popup = SalesChannel.objects.get(name="Spring pop-up")

    # add two products to it with the bulk action
    page.goto(PRODUCTS + "?q=linen")
    for title in ("Linen shirt", "Linen trousers"):
        _row(page, title).locator("input.action-select").check()
    _run_action(page, "add_to_sales_channels")
    expect(page.locator("h1")).to_have_text("Add products to sales channels")
    expect(page.locator("#content-main")).to_contain_text("Add 2 products to the sales channels")
    page.get_by_label("Spring pop-up").check()
    page.get_by_label("Mobile app").check()
    expect(page.get_by_label("Marketplace feed (disabled)")).not_to_be_checked()
    screenshot(page, "bulk-action-intermediate-page", full_page=False)
    page.click("input[name=apply]")
    expect(_success(page)).to_have_text("Added 2 products to Mobile app, Spring pop-up.")
    linen = set(Product.objects.filter(title__startswith="Linen").values_list("pk", flat=True))
    assert channel_product_ids(popup) == linen
    assert linen <= channel_product_ids(shop.app)

    # the product count changed on the channel list
    page.goto(CHANNELS)
    expect(_row(page, "Spring pop-up").locator("td.field-product_count")).to_have_text("2")
    expect(_row(page, "Spring pop-up").locator("td.field-status")).to_have_text("Enabled")

    # disable it
    _row(page, "Spring pop-up").locator("th a").click()
    page.check("#id_is_disabled")
    page.click("input[name=_save]")
    expect(_success(page)).to_be_visible()
    expect(_row(page, "Spring pop-up").locator("td.field-status")).to_have_text("Disabled")
    popup.refresh_from_db()
    assert popup.is_disabled is True


def test_the_default_channel_cannot_be_deleted_or_disabled(logged_in, screenshot):
    page = logged_in
    shop = build_shop()

    # bulk delete with the default among the selection: refused, nothing deleted
    page.goto(CHANNELS)
    expect(_row(page, "Web shop").locator(".cs-badge--default")).to_have_text("Default")
    _row(page, "Web shop").locator("input.action-select").check()
    _row(page, "B2B portal").locator("input.action-select").check()
    _run_action(page, "delete_selected")
    page.click("input[type=submit]")  # "Yes, I'm sure"
    expect(_error(page)).to_have_text(DefaultSalesChannelNotDeletable.message)
    assert SalesChannel.objects.filter(pk__in=[shop.web.pk, shop.b2b.pk]).count() == 2

    # delete from the channel's own page: refused, back on its page
    page.goto(f"{CHANNELS}{shop.web.pk}/change/")
    page.click("a.deletelink")
    page.click("input[type=submit]")
    # (the admin quotes "_" in ids as "_5F" in its own links)
    expect(page).to_have_url(re.compile(r"/saleschannel/sc_5F\w+/change/$"))
    expect(page.locator(".breadcrumbs")).to_contain_text("Web shop")
    expect(_error(page)).to_have_text(DefaultSalesChannelNotDeletable.message)
    screenshot(page, "default-channel-delete-refused", full_page=False)

    # disable from the change form: refused, the form keeps what was typed
    page.fill("#id_name", "Web shop (renamed)")
    page.check("#id_is_disabled")
    page.click("input[name=_save]")
    expect(_error(page)).to_have_text(DefaultSalesChannelNotDisableable.message)
    expect(page.locator("#id_name")).to_have_value("Web shop (renamed)")

    # disable with the action: refused
    page.goto(CHANNELS)
    _row(page, "Web shop").locator("input.action-select").check()
    _run_action(page, "disable_selected")
    expect(_error(page)).to_have_text(DefaultSalesChannelNotDisableable.message)

    shop.web.refresh_from_db()
    assert (shop.web.name, shop.web.is_disabled, shop.web.deleted_at) == ("Web shop", False, None)


def test_filter_orders_by_channel(logged_in, screenshot):
    page = logged_in
    shop = build_shop(orders_per_channel={"web": 12, "app": 7, "b2b": 3, "feed": 0})

    page.goto(ORDERS)
    expect(page.locator("#result_list tbody tr")).to_have_count(22)
    page.locator("#changelist-filter").get_by_role("link", name="Mobile app", exact=True).click()

    expect(page).to_have_url(re.compile(rf"sales_channel={shop.app.pk}"))
    expect(page.locator("#result_list tbody tr")).to_have_count(7)
    channels = page.locator("#result_list tbody td.field-channel").all_inner_texts()
    assert set(channels) == {"Mobile app"}
    totals = page.locator("#result_list tbody td.field-total_display").all_inner_texts()
    assert all(re.fullmatch(r"[\d,]+\.\d\d (USD|EUR)", total) for total in totals), totals
    screenshot(page, "order-list-filtered-by-channel")


def test_channel_list_overview_and_channel_products(logged_in, screenshot):
    page = logged_in
    shop = build_shop()

    # the list with its 30-day overview, drawn by the server
    page.goto(CHANNELS)
    overview = page.locator(".cs-overview")
    expect(overview).to_contain_text("Orders and revenue per channel · last 30 days")
    expect(overview.locator("tbody tr")).to_have_count(4)
    expect(overview.locator("svg.cs-spark")).to_have_count(4)
    expect(overview.locator(f'tr[data-channel="{shop.web.pk}"] .cs-orders')).not_to_have_text("0")
    screenshot(page, "channel-list-with-overview")

    # the change page lists the channel's products, searchable
    page.goto(f"{CHANNELS}{shop.app.pk}/change/")
    panel = page.locator("#products")
    expect(panel.locator("h2")).to_have_text("Products in this channel (6 products)")
    panel.locator("input[name=products_q]").fill("tote")
    panel.locator("input[name=products_q]").press("Enter")
    expect(panel.locator("tbody tr")).to_have_count(1)
    expect(panel.locator("tbody tr")).to_contain_text("Canvas tote")

    # add a product with the autocomplete (select2 served from the admin's own static files)
    page.goto(f"{CHANNELS}{shop.app.pk}/change/#products")
    panel.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("sneakers")
    page.locator(".select2-results__option", has_text="Trail sneakers").click()
    panel.locator("input[name=add_products]").click()
    expect(_success(page)).to_have_text("Added 1 product to Mobile app.")
    expect(panel.locator("h2")).to_have_text("Products in this channel (7 products)")
    screenshot(page, "channel-change-page-with-products")

    # remove one
    panel.locator("tbody tr", has_text="Canvas tote").locator("input[type=checkbox]").check()
    panel.locator("input[name=remove_products]").click()
    expect(_success(page)).to_have_text("Removed 1 product from Mobile app.")
    titles = set(
        Product.objects.filter(pk__in=channel_product_ids(shop.app)).values_list("title", flat=True)
    )
    assert "Trail sneakers" in titles
    assert "Canvas tote" not in titles


def test_select_all_across_pages_then_remove(logged_in, screenshot):
    page = logged_in
    shop = build_shop()

    # product list with channels
    page.goto(PRODUCTS)
    expect(_row(page, "Linen shirt").locator("td.field-channels_display")).to_have_text(
        "B2B portal, Mobile app, Web shop"
    )
    expect(_row(page, "Linen trousers").locator("td.field-channels_display")).to_have_text(
        "Web shop"
    )
    screenshot(page, "product-list-with-channels", full_page=False)
    socks = many_products("Sock", 60)

    # select all 60 socks across two pages and add them to the B2B portal
    page.goto(PRODUCTS + "?q=sock")
    page.check("#action-toggle")
    page.click(".actions .question a")
    _run_action(page, "add_to_sales_channels")
    expect(page.locator("#content-main")).to_contain_text("Add 60 products (every product matching")
    page.get_by_label("B2B portal").check()
    page.click("input[name=apply]")
    expect(_success(page)).to_have_text("Added 60 products to B2B portal.")
    assert {p.pk for p in socks} <= channel_product_ids(shop.b2b)

    # and remove them again, filtered by the channel
    page.goto(f"{PRODUCTS}?q=sock&sales_channel={shop.b2b.pk}")
    page.check("#action-toggle")
    page.click(".actions .question a")
    _run_action(page, "remove_from_sales_channels")
    page.get_by_label("B2B portal").check()
    page.click("input[name=apply]")
    expect(_success(page)).to_have_text("Removed 60 products from B2B portal.")
    assert channel_product_ids(shop.b2b).isdisjoint({p.pk for p in socks})
