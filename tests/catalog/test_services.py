import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.exceptions import ProductHandleTaken, VariantOptionsMismatch
from catalog.models import Price, Product, ProductSalesChannel, ProductVariant
from catalog.services import (
    PriceInput,
    VariantInput,
    product_create,
    product_delete,
    product_update,
    products_sales_channels_add,
    products_sales_channels_remove,
    sales_channel_products_add,
    sales_channel_products_remove,
)
from commerce.exceptions import PropertyShouldNotExist
from saleschannels.exceptions import (
    ProductsDoNotExist,
    SalesChannelNotFound,
    SalesChannelsDoNotExist,
)
from tests.catalog.factories import ProductFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


def _channel_ids(product):
    return set(
        ProductSalesChannel.objects.filter(product=product).values_list(
            "sales_channel_id", flat=True
        )
    )


def test_create_without_channels_goes_to_the_default(default_channel):
    product = product_create(title="Tee")
    assert _channel_ids(product) == {default_channel.pk}
    assert product.handle == "tee"
    assert product.pk.startswith("prod_")


def test_create_with_empty_channels_goes_to_the_default(default_channel):
    product = product_create(title="Tee", sales_channel_ids=[])
    assert _channel_ids(product) == {default_channel.pk}


def test_create_in_given_channels_only(default_channel):
    b2b, app = SalesChannelFactory(), SalesChannelFactory(is_disabled=True)
    product = product_create(title="Tee", sales_channel_ids=[b2b.pk, app.pk])
    assert _channel_ids(product) == {b2b.pk, app.pk}


def test_create_refuses_unknown_channels_and_writes_nothing():
    b2b = SalesChannelFactory()
    with pytest.raises(SalesChannelsDoNotExist) as error:
        product_create(title="Tee", sales_channel_ids=["sc_a", b2b.pk, "sc_b"])
    assert error.value.errors == ["Sales Channels sc_a, sc_b do not exist"]
    assert Product.objects.exists() is False


def test_create_with_the_flag_off_puts_no_channel(flags_off):
    flags_off("sales_channels")
    product = product_create(title="Tee")
    assert _channel_ids(product) == set()
    with pytest.raises(PropertyShouldNotExist) as error:
        product_create(title="Other", sales_channel_ids=["sc_x"])
    assert error.value.message == "property sales_channels should not exist"


def test_create_with_options_variants_and_prices():
    product = product_create(
        title="Tee",
        options=["Size", "Color"],
        variants=[
            VariantInput(
                title="S / Black",
                sku="TEE-S-B",
                option_values=["S", "Black"],
                prices=[PriceInput("EUR", 1950)],
            ),
            VariantInput(
                title="M / Black",
                sku="TEE-M-B",
                option_values=["M", "Black"],
                prices=[PriceInput("usd", 2200)],
            ),
        ],
    )
    variants = list(ProductVariant.objects.filter(product=product).order_by("variant_rank"))
    assert [v.sku for v in variants] == ["TEE-S-B", "TEE-M-B"]
    assert [
        list(v.options.order_by("option__title").values_list("value", flat=True)) for v in variants
    ] == [
        ["Black", "S"],
        ["Black", "M"],
    ]
    assert list(
        Price.objects.filter(variant=variants[0]).values_list("currency_code", "amount")
    ) == [("eur", 1950)]


def test_create_refuses_variants_missing_option_values():
    with pytest.raises(VariantOptionsMismatch):
        product_create(title="Tee", options=["Size"], variants=[VariantInput(title="One")])
    assert Product.objects.exists() is False


def test_handle_is_unique_among_live_products():
    ProductFactory(handle="tee")
    with pytest.raises(ProductHandleTaken) as error:
        product_create(title="Tee")
    assert (error.value.type, error.value.message) == (
        "duplicate_error",
        "Product with handle tee already exists.",
    )
    product_delete(product_id=Product.objects.get().pk)
    assert product_create(title="Tee").handle == "tee"


@pytest.mark.parametrize(("given", "expected"), [(None, set()), ([], set())])
def test_update_with_null_or_empty_removes_all_channels(default_channel, given, expected):
    product = ProductFactory(sales_channels=[default_channel])
    product_update(product_id=product.pk, sales_channel_ids=given)
    assert _channel_ids(product) == expected


def test_update_without_channels_leaves_them(default_channel):
    product = ProductFactory(sales_channels=[default_channel])
    product_update(product_id=product.pk, title="New")
    assert _channel_ids(product) == {default_channel.pk}


def test_update_with_a_list_replaces_the_channels(default_channel):
    b2b, app = SalesChannelFactory(), SalesChannelFactory()
    product = ProductFactory(sales_channels=[default_channel, b2b])
    product_update(product_id=product.pk, sales_channel_ids=[b2b.pk, app.pk])
    assert _channel_ids(product) == {b2b.pk, app.pk}


def test_update_refuses_unknown_channels_and_changes_nothing(default_channel):
    product = ProductFactory(sales_channels=[default_channel], title="Old")
    with pytest.raises(SalesChannelsDoNotExist):
        product_update(product_id=product.pk, title="New", sales_channel_ids=["sc_zzz"])
    product.refresh_from_db()
    assert product.title == "Old"
    assert _channel_ids(product) == {default_channel.pk}


def test_batch_add_is_idempotent_and_constant_in_queries():
    channel = SalesChannelFactory()
    products = ProductFactory.create_batch(50)
    ids = [p.pk for p in products]
    sales_channel_products_add(channel_id=channel.pk, product_ids=ids[:10])

    with CaptureQueriesContext(connection) as few:
        sales_channel_products_add(channel_id=channel.pk, product_ids=ids[:5])
    with CaptureQueriesContext(connection) as many:
        sales_channel_products_add(channel_id=channel.pk, product_ids=ids)

    assert len(few) == len(many)
    assert ProductSalesChannel.objects.filter(sales_channel=channel).count() == 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_batch_add_probes_existing_links_by_product_whatever_the_statistics():
    # given: a links table PostgreSQL has no statistics for (as in a new shop's first batch),
    # where a probe by channel read every link of the channel for each product: 6.5 s for 10,000
    channel = SalesChannelFactory()
    ids = [p.pk for p in ProductFactory.create_batch(30)]
    with CaptureQueriesContext(connection) as captured:
        sales_channel_products_add(channel_id=channel.pk, product_ids=ids)
    insert = next(
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('INSERT INTO "catalog_productsaleschannel"')
    )
    # when: its plan is asked for again, the same statistics
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT plan")
        cursor.execute(f"EXPLAIN {insert}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("ROLLBACK TO SAVEPOINT plan")
    # then: the anti-join probes the (product, channel) unique index by product
    assert "product_sales_channel_unique" in plan
    assert "product_channel_newest_idx" not in plan
    assert ProductSalesChannel.objects.filter(sales_channel=channel).count() == 30


def test_batch_add_refuses_unknown_products_listing_them_and_adds_none():
    channel = SalesChannelFactory()
    product = ProductFactory()
    gone = ProductFactory(deleted_at="2026-01-01T00:00:00Z")
    with pytest.raises(ProductsDoNotExist) as error:
        sales_channel_products_add(
            channel_id=channel.pk, product_ids=[product.pk, "prod_x", gone.pk]
        )
    assert error.value.errors == [f"Products prod_x, {gone.pk} do not exist"]
    assert ProductSalesChannel.objects.filter(sales_channel=channel).exists() is False


def test_batch_add_to_unknown_channel_is_not_found():
    with pytest.raises(SalesChannelNotFound):
        sales_channel_products_add(channel_id="sc_missing", product_ids=[ProductFactory().pk])
    assert ProductSalesChannel.objects.exists() is False


def test_batch_remove_is_idempotent():
    channel = SalesChannelFactory()
    kept, removed = (
        ProductFactory(sales_channels=[channel]),
        ProductFactory(sales_channels=[channel]),
    )
    sales_channel_products_remove(
        channel_id=channel.pk, product_ids=[removed.pk, "prod_not_linked"]
    )
    sales_channel_products_remove(channel_id=channel.pk, product_ids=[removed.pk])
    assert list(
        ProductSalesChannel.objects.filter(sales_channel=channel).values_list(
            "product_id", flat=True
        )
    ) == [kept.pk]


def test_many_to_many_bulk_add_and_remove():
    web, b2b = SalesChannelFactory(), SalesChannelFactory()
    products = ProductFactory.create_batch(3, sales_channels=[web])
    ids = [p.pk for p in products]
    assert products_sales_channels_add(product_ids=ids, channel_ids=[web.pk, b2b.pk]) == 6
    assert ProductSalesChannel.objects.count() == 6
    assert products_sales_channels_remove(product_ids=ids[:2], channel_ids=[web.pk]) == 2
    assert ProductSalesChannel.objects.filter(sales_channel=web).count() == 1
