"""`manage.py generate_catalog`: exact counts, coherent rows, determinism, refusals (small sizes)."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from catalog.models import (
    Price,
    Product,
    ProductCollection,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductVariant,
)
from commerce.models import Region, ShippingOption
from devdata import generation
from orders.models import Order, OrderDisplayId, OrderItem
from saleschannels.models import SalesChannel
from tests.commerce.factories import RegionFactory, ShippingOptionFactory

pytestmark = pytest.mark.django_db

SMALL = ("--products", "30", "--channels", "4", "--orders", "40", "--variants", "2")


def generate(*args: str, stdout=None) -> str:
    out = stdout or io.StringIO()
    call_command("generate_catalog", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_creates_exactly_what_was_asked_for(default_channel):
    # when
    out = generate(*SMALL, "--links-per-product", "2", "--seed", "3")

    # then: counts
    generated = Product.objects.all()
    variants = ProductVariant.objects.filter(product__in=generated)
    assert generated.count() == 30
    assert variants.count() == 60
    assert Price.objects.filter(variant__in=variants).count() == 60 * 3  # one per region currency
    assert sorted(Price.objects.values_list("currency_code", flat=True).distinct()) == [
        "eur",
        "gbp",
        "usd",
    ]
    assert SalesChannel.objects.exclude(pk=default_channel.pk).count() == 4
    assert ProductSalesChannel.objects.count() == 60
    assert Counter(ProductSalesChannel.objects.values_list("product_id", flat=True)) == {
        pk: 2 for pk in generated.values_list("pk", flat=True)
    }
    assert Region.objects.count() == 3
    assert ShippingOption.objects.count() == 3
    assert ProductCollection.objects.count() == 10
    assert Order.objects.count() == 40
    items = OrderItem.objects.count()
    assert 40 <= items <= 120
    options = ProductOption.objects.count()
    # then: the report
    lines = out.splitlines()
    assert lines[0].startswith("Generated in ")
    assert lines[0].endswith("s (seed 3):")
    assert lines[1:] == [
        "  regions                         3",
        "  shipping options                3",
        "  sales channels                  4",
        "  product collections            10",
        "  products                       30",
        f"  options                {options:>10}",
        "  variants                       60",
        f"  option values          {ProductOptionValue.objects.count():>10}",
        "  prices                        180",
        "  product channel links          60",
        "  orders                         40",
        f"  order items            {items:>10}",
    ]


def test_rows_are_coherent():
    # when
    generate(*SMALL, "--seed", "4")

    # then: every variant has one value per option of its product
    for variant in ProductVariant.objects.prefetch_related("options", "product__options"):
        assert sorted(v.option.title for v in variant.options.all()) == sorted(
            o.title for o in variant.product.options.all()
        )
    # then: orders sell published products of their own channel, at the variant's price
    links = set(ProductSalesChannel.objects.values_list("product_id", "sales_channel_id"))
    prices = {
        (variant_id, currency): amount
        for variant_id, currency, amount in Price.objects.values_list(
            "variant_id", "currency_code", "amount"
        )
    }
    for order in Order.objects.prefetch_related("items"):
        items = list(order.items.all())
        assert 1 <= len(items) <= 3
        for item in items:
            assert (item.product_id, order.sales_channel_id) in links
            assert Product.objects.get(pk=item.product_id).status == "published"
            assert item.unit_price == prices[(item.variant_id, order.currency_code)]
        assert order.subtotal == sum(i.unit_price * i.quantity for i in items)
        assert order.total == order.subtotal + order.shipping_total + order.tax_total
    # then: display ids come from the sequence table, in creation order
    orders = list(Order.objects.order_by("created_at", "pk").values_list("display_id", flat=True))
    assert orders == sorted(orders)
    assert set(orders) <= set(OrderDisplayId.objects.values_list("pk", flat=True))
    assert len(set(orders)) == 40


def snapshot() -> dict:
    channel_names = dict(SalesChannel.objects.values_list("pk", "name"))
    return {
        "products": sorted(Product.objects.values_list("handle", "title", "status", "description")),
        "variants": sorted(
            ProductVariant.objects.values_list("sku", "title", "inventory_quantity")
        ),
        "prices": sorted(Price.objects.values_list("variant__sku", "currency_code", "amount")),
        "links": sorted(
            (handle, channel_names[channel_id])
            for handle, channel_id in ProductSalesChannel.objects.values_list(
                "product__handle", "sales_channel_id"
            )
        ),
        "orders": sorted(
            (email, channel_names[channel_id], total)
            for email, channel_id, total in Order.objects.values_list(
                "email", "sales_channel_id", "total"
            )
        ),
        "items": sorted(OrderItem.objects.values_list("sku", "quantity", "unit_price")),
    }


def run_and_roll_back(*args: str) -> tuple[dict, set[str]]:
    with transaction.atomic():
        generate(*args)
        taken = snapshot()
        ids = set(Product.objects.values_list("pk", flat=True))
        transaction.set_rollback(True)
    assert Product.objects.exists() is False
    return taken, ids


def test_same_seed_gives_the_same_catalogue_and_orders():
    first, first_ids = run_and_roll_back(*SMALL, "--seed", "11")
    second, second_ids = run_and_roll_back(*SMALL, "--seed", "11")

    assert first == second
    assert len(first["products"]) == 30
    assert first_ids != second_ids  # ids carry the time of the run


def test_same_seed_and_pinned_time_give_the_same_ids():
    now = "2025-06-01T12:00:00+00:00"
    _, first_ids = run_and_roll_back(*SMALL, "--seed", "11", "--now", now)
    _, second_ids = run_and_roll_back(*SMALL, "--seed", "11", "--now", now)

    assert first_ids == second_ids
    assert all(pk.startswith("prod_") and len(pk) == 31 for pk in first_ids)


def test_another_seed_gives_another_catalogue():
    first, _ = run_and_roll_back(*SMALL, "--seed", "1")
    second, _ = run_and_roll_back(*SMALL, "--seed", "2")

    assert first["products"] != second["products"]


def test_uses_existing_regions_and_adds_missing_shipping():
    # given
    region = RegionFactory(name="Japan", currency_code="jpy")
    with_shipping = RegionFactory(name="Canada", currency_code="cad")
    ShippingOptionFactory(region=with_shipping, name="Courier", amount=1200)

    # when
    generate("--products", "5", "--channels", "1", "--orders", "5", "--seed", "1")

    # then
    assert Region.objects.count() == 2
    assert list(region.shipping_options.values_list("name", "amount")) == [
        ("Standard Shipping", 900)
    ]
    assert sorted(Price.objects.values_list("currency_code", flat=True).distinct()) == [
        "cad",
        "jpy",
    ]
    assert set(Order.objects.values_list("shipping_option_name", flat=True)) <= {
        "Standard Shipping",
        "Courier",
    }


def test_refuses_a_second_run_unless_appending_with_another_seed():
    # given
    generate("--products", "3", "--channels", "1", "--seed", "5")

    # when / then
    with pytest.raises(CommandError) as refused:
        generate("--products", "3", "--channels", "1", "--seed", "6")
    assert str(refused.value) == (
        "The database already has generated products (seed 5); pass --append to add more, "
        "with another --seed"
    )
    with pytest.raises(CommandError) as refused:
        generate("--products", "3", "--channels", "1", "--seed", "5", "--append")
    assert str(refused.value) == "Seed 5 was already used in this database; pick another --seed"
    assert Product.objects.count() == 3

    # when
    generate("--products", "3", "--channels", "1", "--seed", "6", "--append")

    # then
    assert Product.objects.count() == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--products", "0", "--channels", "1", "--orders", "5"),
            "Orders need products: pass --products too",
        ),
        (
            ("--products", "5", "--channels", "0"),
            "--products and --orders must be >= 0 and --channels >= 1",
        ),
        (
            ("--products", "5", "--channels", "1", "--variants", "0"),
            "--variants and --links-per-product must be >= 1",
        ),
    ],
)
def test_refuses_bad_sizes(args, message):
    with pytest.raises(CommandError) as refused:
        generate(*args)

    assert str(refused.value) == message
    assert Product.objects.exists() is False


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal():
    # when
    terminal = generate("--products", "3", "--channels", "1", "--orders", "2", stdout=Terminal())
    plain = generate(
        "--products", "3", "--channels", "1", "--orders", "2", "--seed", "2", "--append"
    )

    # then
    assert terminal.startswith(
        "\r  products [##############################] 100%  3/3\n"
        "\r  orders   [##############################] 100%  2/2\n"
    )
    assert "\r" not in plain
    assert plain.startswith("Generated in ")


def table_layout() -> dict:
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: sorted(
                (name, tuple(info["columns"]), info["index"], bool(info["foreign_key"]))
                for name, info in connection.introspection.get_constraints(
                    cursor, model._meta.db_table
                ).items()
            )
            for model in generation.BULK_MODELS
        }


def test_bulk_load_mode_puts_every_index_and_foreign_key_back(monkeypatch):
    # given: bulk mode at any size (on PostgreSQL it drops and rebuilds indexes and keys)
    monkeypatch.setattr(generation, "BULK_MODE_ROWS", 0)
    before = table_layout()

    # when
    generate(*SMALL, "--seed", "8")

    # then
    assert table_layout() == before
    assert Order.objects.count() == 40


def test_locations_spread_stock_over_warehouses_the_channels_share(default_channel):
    from inventory.models import InventoryItem, InventoryLevel, SalesChannelLocation, StockLocation

    out = generate(*SMALL, "--locations", "3", "--seed", "5")

    assert StockLocation.objects.count() == 3
    generated = SalesChannel.objects.exclude(pk=default_channel.pk)
    # each channel: its own location first, then one shared with the next channel
    for channel in generated:
        links = list(
            SalesChannelLocation.objects.filter(sales_channel=channel).order_by("priority")
        )
        assert [link.priority for link in links] == [0, 1]
    variants = 30 * 2
    assert InventoryItem.objects.count() == variants
    assert InventoryLevel.objects.count() == variants * 3
    assert "stock locations" in out
    assert "inventory levels" in out
