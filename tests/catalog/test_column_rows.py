"""Column rows (commerce.rows) as the store's prices and option values: same output as instances."""

import pytest

from catalog.api.store.serializers import OptionValueSerializer, PriceSerializer
from catalog.models import Price, ProductOptionValue
from commerce.reusable_sql import ReusableQuery
from commerce.rows import reused_column_rows, row_class, row_values
from tests.catalog.factories import PriceFactory, ProductOptionValueFactory

pytestmark = pytest.mark.django_db


def column_rows(queryset):
    """The queryset as column rows, as the store's pages read them (`reused_column_rows`)."""
    return reused_column_rows(ReusableQuery(lambda: row_values(queryset)))


def test_a_row_holds_every_column_by_attname_and_its_pk():
    price = PriceFactory(amount=1999, currency_code="eur", metadata={"source": "erp"})
    (row,) = column_rows(Price.objects.filter(pk=price.pk))
    assert type(row) is row_class(Price)
    assert row.row_of is Price
    assert row._fields == tuple(f.attname for f in Price._meta.concrete_fields)
    assert (row.pk, row.id, row.variant_id, row.amount) == (
        price.pk,
        price.pk,
        price.variant_id,
        1999,
    )
    assert row.metadata == {"source": "erp"}  # the JSON column, decoded as on an instance
    assert row.created_at == price.created_at
    assert not hasattr(row, "save")
    with pytest.raises(AttributeError):
        row.amount = 1  # read-only


def test_rows_render_exactly_as_model_instances():
    price = PriceFactory(amount=500, currency_code="usd", min_quantity=2)
    value = ProductOptionValueFactory(value="XL", metadata=None)
    (price_row,) = column_rows(Price.objects.filter(pk=price.pk))
    (value_row,) = column_rows(ProductOptionValue.objects.filter(pk=value.pk))
    price.refresh_from_db()
    value.refresh_from_db()
    assert PriceSerializer(price_row).data == PriceSerializer(price).data
    assert OptionValueSerializer(value_row).data == OptionValueSerializer(value).data
    assert PriceSerializer(price_row).data["amount"] == 500


def test_rows_keep_the_querysets_filter_and_order_in_one_query(django_assert_num_queries):
    first = PriceFactory(amount=1)
    second = PriceFactory(amount=2, variant=first.variant)
    with django_assert_num_queries(1):
        rows = column_rows(Price.objects.filter(variant=first.variant).order_by("-amount"))
    assert [row.pk for row in rows] == [second.pk, first.pk]
