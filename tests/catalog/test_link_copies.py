"""Every product↔channel link carries its product's `created_at` (issue 7) and state (issue 23).

The store's one-channel lists walk the links in that order, and count and walk them by the
product's state they copy (published, deleted), so every way a link is made must copy both:
the product services, the batch routes, the admin's bulk action, the listings, the generator,
the seed, and Django's own many-to-many `add()`; and every change of a product's status or
deletion must reach its links.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog import services
from catalog.models import Product, ProductSalesChannel, ProductStatus
from tests.catalog.factories import ProductFactory
from tests.helpers import generated_catalogue
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


def _mismatched_links() -> list[tuple[str, str]]:
    """Links whose copies (`product_created_at`, the product's state) are not their product's."""
    products = {product.pk: product for product in Product.all_objects.all()}
    return [
        (link.product_id, link.sales_channel_id)
        for link in ProductSalesChannel.objects.all()
        if (link.product_created_at, link.product_published, link.product_deleted)
        != (
            products[link.product_id].created_at,
            products[link.product_id].status == ProductStatus.PUBLISHED,
            products[link.product_id].deleted_at is not None,
        )
    ]


def _old_products(count: int) -> list[Product]:
    """Products created a while ago, so a link stamped with 'now' would be caught."""
    rows = ProductFactory.create_batch(count)
    past = timezone.now() - timedelta(days=30)
    for n, row in enumerate(rows):
        row.created_at = past + timedelta(minutes=n)
    Product.objects.bulk_update(rows, ["created_at"])
    return rows


def test_product_create_and_update_copy_created_at(default_channel):
    web, app = SalesChannelFactory(), SalesChannelFactory()

    made = services.product_create(
        title="Shirt", status=ProductStatus.PUBLISHED, sales_channel_ids=[web.pk]
    )
    services.product_update(product_id=made.pk, sales_channel_ids=[web.pk, app.pk])

    assert ProductSalesChannel.objects.filter(product=made).count() == 2
    assert _mismatched_links() == []


def test_the_batch_route_copies_created_at():
    channel = SalesChannelFactory()
    rows = _old_products(3)

    services.sales_channel_products_add(channel_id=channel.pk, product_ids=[r.pk for r in rows])

    assert ProductSalesChannel.objects.filter(sales_channel=channel).count() == 3
    assert _mismatched_links() == []


def test_the_bulk_action_service_copies_created_at():
    web, app = SalesChannelFactory(), SalesChannelFactory()
    rows = _old_products(4)

    asked = services.products_sales_channels_add(
        product_ids=[r.pk for r in rows], channel_ids=[web.pk, app.pk]
    )

    assert asked == 8
    assert ProductSalesChannel.objects.count() == 8
    assert _mismatched_links() == []


def test_django_many_to_many_add_copies_created_at():
    channel = SalesChannelFactory()
    (row,) = _old_products(1)
    row.refresh_from_db()

    row.sales_channels.add(channel)

    link = ProductSalesChannel.objects.get(product=row)
    assert (link.product_created_at, link.product_published) == (row.created_at, True)
    assert _mismatched_links() == []


def test_generated_catalogue_links_copy_created_at(default_channel):
    generated_catalogue(products=30, channels=3, variants=1, orders=5)

    assert ProductSalesChannel.objects.count() == 90
    assert _mismatched_links() == []


def test_seeded_links_copy_created_at():
    call_command("seed", "data/seed.json", stdout=io.StringIO(), stderr=io.StringIO())

    assert ProductSalesChannel.objects.exists()
    assert _mismatched_links() == []


def test_a_status_change_and_a_deletion_reach_the_links(default_channel):
    web = SalesChannelFactory()
    made = services.product_create(
        title="Shirt",
        status=ProductStatus.PUBLISHED,
        sales_channel_ids=[web.pk, default_channel.pk],
    )
    assert set(ProductSalesChannel.objects.values_list("product_published", "product_deleted")) == {
        (True, False)
    }

    services.product_update(product_id=made.pk, status=ProductStatus.DRAFT)
    assert set(ProductSalesChannel.objects.values_list("product_published", "product_deleted")) == {
        (False, False)
    }
    assert _mismatched_links() == []

    services.product_update(product_id=made.pk, status=ProductStatus.PUBLISHED)
    services.product_delete(product_id=made.pk)
    assert set(ProductSalesChannel.objects.values_list("product_published", "product_deleted")) == {
        (True, True)
    }
    assert _mismatched_links() == []


def test_links_made_by_batch_and_listings_copy_a_draft_state():
    web, app = SalesChannelFactory(), SalesChannelFactory()
    draft, published = _old_products(2)
    Product.objects.filter(pk=draft.pk).update(status=ProductStatus.DRAFT)

    services.sales_channel_products_add(channel_id=web.pk, product_ids=[draft.pk, published.pk])
    services.product_channel_listings_set(
        product_id=draft.pk,
        listings=[services.ListingInput(draft.pk, app.pk, {"visible_in_listings": False})],
    )

    unpublished = ProductSalesChannel.objects.filter(product_published=False)
    assert set(unpublished.values_list("sales_channel_id", "product_id")) == {
        (web.pk, draft.pk),
        (app.pk, draft.pk),
    }
    assert _mismatched_links() == []


def test_the_store_count_follows_a_status_change(api_client, default_channel):
    products = [
        services.product_create(title=f"Shirt {n}", status=ProductStatus.PUBLISHED)
        for n in range(3)
    ]
    assert api_client.get("/api/store/products").json()["count"] == 3

    services.product_update(product_id=products[0].pk, status=ProductStatus.DRAFT)
    services.product_delete(product_id=products[1].pk)

    body = api_client.get("/api/store/products").json()
    assert (body["count"], [p["id"] for p in body["products"]]) == (1, [products[2].pk])
