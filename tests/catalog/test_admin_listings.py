"""The listings on the Django admin (issue 19): the product page's listings and verdicts in
words, and the bulk action "Schedule in channel…", all through `catalog.services`."""

from datetime import UTC, datetime

import pytest
import time_machine

from catalog.models import ProductSalesChannel
from commerce.models import OutboxEvent
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.catalog.test_admin import LIST_URL, _action, _change_url, _messages, _product_form
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

OPENS = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _link(product, channel):
    return ProductSalesChannel.objects.get(product=product, sales_channel=channel)


def test_the_product_page_says_per_channel_why_in_words(admin_client):
    b2b = SalesChannelFactory(name="B2B Portal")
    boots = ProductFactory(title="Boots", sales_channels=[b2b])
    ProductVariantFactory(product=boots)
    ProductSalesChannel.objects.filter(product=boots).update(published_at=OPENS)

    with time_machine.travel(datetime(2026, 12, 1, tzinfo=UTC), tick=False):
        html = admin_client.get(_change_url(boots)).content.decode()

    assert "Availability per channel" in html
    assert "Scheduled: appears in B2B Portal on 3 Dec 2026 at 09:00 UTC." in html
    assert "listings in channels" in html.lower()


def test_the_listing_inline_saves_through_the_service(admin_client):
    b2b = SalesChannelFactory(name="B2B Portal")
    boots = ProductFactory(title="Boots", sales_channels=[b2b])
    link = _link(boots, b2b)
    data = _product_form(
        boots,
        channels=[b2b.pk],
        **{
            "channel_links-TOTAL_FORMS": "1",
            "channel_links-INITIAL_FORMS": "1",
            "channel_links-MIN_NUM_FORMS": "0",
            "channel_links-MAX_NUM_FORMS": "1000",
            "channel_links-0-id": str(link.pk),
            "channel_links-0-product": boots.pk,
            "channel_links-0-is_published": "on",
            "channel_links-0-published_at_0": "2026-12-03",
            "channel_links-0-published_at_1": "09:00:00",
            "channel_links-0-available_for_purchase_at_0": "",
            "channel_links-0-available_for_purchase_at_1": "",
        },
    )

    response = admin_client.post(_change_url(boots), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    link.refresh_from_db()
    assert (link.published_at, link.visible_in_listings) == (OPENS, False)
    assert OutboxEvent.objects.filter(type="product.channel_listing_updated").count() == 1


def test_a_product_form_posted_without_the_listings_leaves_them(admin_client):
    b2b = SalesChannelFactory(name="B2B Portal")
    boots = ProductFactory(title="Boots", sales_channels=[b2b])
    ProductSalesChannel.objects.filter(product=boots).update(visible_in_listings=False)

    response = admin_client.post(_change_url(boots), _product_form(boots, channels=[b2b.pk]))

    assert response.status_code == 302
    assert _link(boots, b2b).visible_in_listings is False


def test_schedule_in_channel_shows_its_form_then_schedules_every_selected_product(admin_client):
    b2b = SalesChannelFactory(name="B2B Portal")
    products = ProductFactory.create_batch(2)

    chooser = _action(admin_client, "schedule_in_channel", products)
    assert chooser.status_code == 200
    assert chooser.template_name == "admin/catalog/product/schedule_action.html"

    response = _action(
        admin_client,
        "schedule_in_channel",
        products,
        apply="1",
        sales_channel=b2b.pk,
        is_published="on",
        published_at="2026-12-03 09:00:00",
        visible_in_listings="on",
        follow=True,
    )

    assert _messages(response)[-1][1] == "Scheduled 2 products in B2B Portal."
    links = ProductSalesChannel.objects.filter(sales_channel=b2b)
    assert sorted(link.product_id for link in links) == sorted(p.pk for p in products)
    assert {link.published_at for link in links} == {OPENS}


def test_schedule_in_channel_without_a_channel_changes_nothing(admin_client):
    products = ProductFactory.create_batch(2)
    response = _action(admin_client, "schedule_in_channel", products, apply="1")
    assert response.status_code == 200
    assert "Choose a sales channel." in response.content.decode()
    assert not ProductSalesChannel.objects.exists()
    assert LIST_URL


def test_the_channel_page_says_each_product_s_listing_there(admin_client):
    b2b = SalesChannelFactory(name="B2B Portal")
    boots = ProductFactory(title="Boots", sales_channels=[b2b])
    hat = ProductFactory(title="Hat", sales_channels=[b2b])
    ProductSalesChannel.objects.filter(product=boots).update(
        published_at=OPENS, visible_in_listings=False
    )
    ProductSalesChannel.objects.filter(product=hat).update(is_published=False)

    with time_machine.travel(datetime(2026, 12, 1, tzinfo=UTC), tick=False):
        html = admin_client.get(
            f"/admin/saleschannels/saleschannel/{b2b.pk}/change/"
        ).content.decode()

    assert '<th scope="col">Listing here</th>' in html
    assert "<td>Scheduled for 3 Dec 2026 at 09:00 UTC; hidden from lists</td>" in html
    assert "<td>Unpublished</td>" in html
