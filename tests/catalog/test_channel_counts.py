"""Each channel's listed and live counts, kept by PostgreSQL's triggers (catalog migration 0015).

Every way links are written (the services, Django's cascades and many-to-many, raw SQL) must
leave each channel's kept counts equal to its links counted, at any moment; the store and
admin lists of one channel read the kept counts. On SQLite nothing is kept and the lists count
the links (every list test covers that).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from catalog import selectors, services
from catalog.listings import moment
from catalog.models import ChannelProductCount, Product, ProductSalesChannel, ProductStatus
from saleschannels import services as channel_services
from saleschannels.models import SalesChannel
from tests.catalog.factories import ProductFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps the counts"
)


def _kept(channel_id: str, at) -> tuple[int, int]:
    """A channel's listed products at `at` and its live ones, as the database keeps them."""
    return selectors._kept_listed(channel_id, at), selectors._kept_live(channel_id)


def _counted(channel_id: str, at) -> tuple[int, int]:
    """A channel's listed products at `at` and its live ones, counted from its links."""
    return (
        selectors._listed_links_query.count([channel_id], at),
        selectors._live_links_query.count([channel_id]),
    )


def _kept_against_counted(at=None) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """The channels whose kept counts differ from their links counted: {id: (kept, counted)}."""
    at = at or moment()
    found = {}
    for channel_id in SalesChannel.objects.values_list("pk", flat=True):
        kept, counted = _kept(channel_id, at), _counted(channel_id, at)
        if tuple(kept) != counted:
            found[channel_id] = (kept, counted)
    return found


def _published(count: int) -> list[Product]:
    return ProductFactory.create_batch(count, status=ProductStatus.PUBLISHED)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite counts the links")
def test_sqlite_counts_the_links_and_keeps_nothing():
    channel = SalesChannelFactory()
    services.sales_channel_products_add(
        channel_id=channel.pk, product_ids=[p.pk for p in _published(2)]
    )

    assert selectors.channel_counts_kept() is False
    assert ChannelProductCount.objects.count() == 0
    assert services.channel_counts_compact() == 0
    assert selectors.product_count_in_channels(channel_ids=[channel.pk]) == 2
    assert selectors.product_count_live_in_channels(channel_ids=[channel.pk]) == 2


@postgresql
def test_the_database_keeps_the_counts_here():
    assert selectors.channel_counts_kept() is True


@postgresql
def test_every_kind_of_link_write_keeps_the_counts():
    web, app = SalesChannelFactory(), SalesChannelFactory()
    products = _published(6)
    ids = [p.pk for p in products]
    steps = []

    def step(name):
        steps.append((name, _kept_against_counted()))

    made = services.product_create(
        title="Shirt", status=ProductStatus.PUBLISHED, sales_channel_ids=[web.pk, app.pk]
    )
    step("product created with channels")
    services.sales_channel_products_add(channel_id=web.pk, product_ids=ids[:4])
    step("batch add")
    services.products_sales_channels_add(product_ids=ids[2:], channel_ids=[web.pk, app.pk])
    step("bulk action add")
    products[5].sales_channels.add(SalesChannelFactory())
    step("many-to-many add")
    services.product_update(product_id=ids[0], status=ProductStatus.DRAFT)
    step("unpublished")
    services.product_update(product_id=ids[0], status=ProductStatus.PUBLISHED)
    step("published again")
    services.product_update(product_id=made.pk, sales_channel_ids=[app.pk])
    step("channels replaced")
    services.product_delete(product_id=ids[1])
    step("product deleted")
    future = timezone.now() + timedelta(days=2)
    services.sales_channel_listings_set(
        channel_id=web.pk,
        listings=[
            services.ListingInput(ids[2], web.pk, {"is_published": False}),
            services.ListingInput(ids[3], web.pk, {"visible_in_listings": False}),
            services.ListingInput(ids[4], web.pk, {"published_at": future}),
        ],
    )
    step("listings changed")
    services.sales_channel_products_remove(channel_id=web.pk, product_ids=[ids[3], ids[5]])
    step("batch remove")
    services.products_sales_channels_remove(product_ids=[ids[4]], channel_ids=[app.pk])
    step("bulk action remove")
    Product.all_objects.filter(pk=ids[2]).delete()
    step("product row deleted (Django's cascade)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ProductSalesChannel._meta.db_table} SET product_published = false "  # noqa: S608
            "WHERE product_id = %s",
            [ids[5]],
        )
    step("raw SQL")

    assert steps == [(name, {}) for name, _ in steps]
    # And the counts are what they should be, not merely equal to each other: `app` holds the
    # shirt and ids 3 and 5 (2 gone with its row, 4 removed), 5 unpublished by the raw SQL.
    assert _kept(app.pk, moment()) == (2, 3)


@postgresql
def test_a_listing_to_come_counts_from_its_moment():
    channel = SalesChannelFactory()
    products = _published(3)
    soon = timezone.now() + timedelta(hours=1)
    services.sales_channel_products_add(
        channel_id=channel.pk,
        product_ids=[p.pk for p in products],
        listings=[services.ListingInput(products[0].pk, channel.pk, {"published_at": soon})],
    )

    assert _kept(channel.pk, moment()) == (2, 3)
    assert _kept(channel.pk, soon) == (3, 3)
    assert _kept_against_counted(soon) == {}
    assert selectors.product_count_in_channels(channel_ids=[channel.pk]) == 2
    assert selectors.product_count_live_in_channels(channel_ids=[channel.pk]) == 3


@postgresql
def test_a_deleted_channel_counts_nothing():
    channel = SalesChannelFactory()
    services.sales_channel_products_add(
        channel_id=channel.pk, product_ids=[p.pk for p in _published(2)]
    )

    channel_services.sales_channel_delete(channel_id=channel.pk)

    assert _kept(channel.pk, moment()) == (0, 0)
    assert selectors.product_count_in_channels(channel_ids=[channel.pk]) == 0


@postgresql
def test_folding_keeps_every_sum_and_leaves_a_row_a_channel():
    web, app = SalesChannelFactory(), SalesChannelFactory()
    ids = [p.pk for p in _published(4)]
    for product_id in ids:
        services.sales_channel_products_add(channel_id=web.pk, product_ids=[product_id])
    services.sales_channel_products_add(channel_id=app.pk, product_ids=ids[:2])
    services.sales_channel_products_remove(channel_id=app.pk, product_ids=ids[:2])
    before = {ch: _kept(ch, moment()) for ch in (web.pk, app.pk)}
    rows = ChannelProductCount.objects.count()

    removed = services.channel_counts_compact()

    assert before == {web.pk: (4, 4), app.pk: (0, 0)}
    assert {ch: _kept(ch, moment()) for ch in (web.pk, app.pk)} == before
    assert list(ChannelProductCount.objects.values_list("sales_channel_id", "listed", "live")) == [
        (web.pk, 4, 4)
    ]
    assert removed == rows - 1
    assert services.channel_counts_compact() == 0


@postgresql
def test_a_statement_that_changes_no_count_adds_no_row():
    channel = SalesChannelFactory()
    product = _published(1)[0]
    services.sales_channel_products_add(channel_id=channel.pk, product_ids=[product.pk])
    rows = ChannelProductCount.objects.count()

    services.sales_channel_products_add(channel_id=channel.pk, product_ids=[product.pk])  # linked
    ProductSalesChannel.objects.filter(product=product).update(available_for_purchase_at=None)

    assert ChannelProductCount.objects.count() == rows


@postgresql
def test_one_channel_lists_read_the_kept_count(api_client, admin_client):
    channel = SalesChannelFactory()
    services.sales_channel_products_add(
        channel_id=channel.pk, product_ids=[p.pk for p in _published(3)]
    )
    # A count the links do not have: the lists answer the kept one, so they read it.
    ChannelProductCount.objects.create(sales_channel_id=channel.pk, listed=10, live=20)

    store = api_client.get(f"/api/store/products?sales_channel_id[]={channel.pk}&limit=1")
    admin = admin_client.get(f"/api/admin/products?sales_channel_id[]={channel.pk}&limit=1")

    assert (store.status_code, store.json()["count"]) == (200, 13)
    assert (admin.status_code, admin.json()["count"]) == (200, 23)
