"""ReusableQuery: the ORM's SQL compiled once per shape, run with each call's values."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext

from commerce.models import Region
from commerce.reusable_sql import ReusableQuery
from commerce.rows import reused_column_rows, row_values
from orders.models import OrderItem
from tests.catalog.factories import ProductVariantFactory
from tests.commerce.factories import RegionFactory
from tests.orders.factories import OrderFactory, OrderItemFactory

pytestmark = pytest.mark.django_db


def _regions_named(names):
    return Region.objects.filter(name__in=names)


def _regions_named_in(names, currency):
    regions = Region.objects.filter(name__in=names).order_by("name")
    if currency is not None:
        regions = regions.filter(currency_code=currency)
    return regions.annotate(label=Concat(F("name"), Value("/"), F("currency_code")))


def _regions_created_before(names, at):
    return Region.objects.filter(name__in=names, created_at__lt=at).filter(updated_at__lt=at)


def test_counts_what_the_orm_counts_for_any_values_of_a_shape():
    RegionFactory(name="EU")
    RegionFactory(name="US")
    RegionFactory(name="UK")
    query = ReusableQuery(_regions_named)

    assert query.count(["EU"]) == 1
    assert query.count(["US"]) == 1
    assert query.count(["NO"]) == 0
    assert query.count(["EU", "UK"]) == 2
    assert query.count(["EU", "XX"]) == _regions_named(["EU", "XX"]).count() == 1
    assert query.count(["EU", "UK", "US"]) == 3  # written for 4: the last value repeated
    assert query.count([]) == 0


def test_the_sql_is_written_once_per_shape_lists_rounded_up_to_a_power_of_two():
    RegionFactory(name="EU")
    query = ReusableQuery(_regions_named)
    query.count(["EU"])

    with CaptureQueriesContext(connection) as first:
        query.count(["US"])
    with CaptureQueriesContext(connection) as second:
        query.count(["EU"])
    for size in (3, 4):
        query.count(["EU"] + [f"X{n}" for n in range(size - 1)])

    assert len(first.captured_queries) == len(second.captured_queries) == 1
    assert {shape for _, _, shape in query._compiled} == {(1,), (4,)}


def test_instances_and_rows_are_what_the_orm_reads():
    eu = RegionFactory(name="EU", currency_code="eur")
    RegionFactory(name="UK", currency_code="gbp")
    RegionFactory(name="US", currency_code="usd")
    instances = ReusableQuery(_regions_named_in)
    rows = ReusableQuery(lambda names, currency: row_values(_regions_named_in(names, currency)))

    for names, currency in ((["UK", "EU", "US"], None), (["EU", "US"], "eur"), (["NO"], None)):
        expected = list(_regions_named_in(names, currency))
        found = instances.instances(names, currency)
        assert [(r.pk, r.name, r.label, r.created_at) for r in found] == [
            (r.pk, r.name, r.label, r.created_at) for r in expected
        ]
        assert all(r._state.db == "default" and not r._state.adding for r in found)
        assert reused_column_rows(rows, names, currency) == [
            tuple(values) for values in row_values(_regions_named_in(names, currency))
        ]
    assert found == []
    assert instances.instances(["EU"], None)[0] == eu


def test_a_moment_may_reach_the_sql_several_times():
    RegionFactory(name="EU")
    query = ReusableQuery(_regions_created_before)
    later = datetime.now(UTC) + timedelta(days=1)
    earlier = datetime(2000, 1, 1, tzinfo=UTC)

    assert query.count(["EU"], later) == 1
    assert query.count(["EU"], earlier) == 0


def _regions_page(names, offset, limit):
    return (
        Region.objects.filter(name__in=names)
        .order_by("name")
        .values_list("name")[offset : offset + limit]
    )


def test_an_int_is_part_of_the_shape_as_a_slice_written_into_the_sql():
    for name in ("EU", "UK", "US", "NO", "CH"):
        RegionFactory(name=name)
    query = ReusableQuery(_regions_page)
    names = ["EU", "UK", "US", "NO", "CH"]

    for offset, limit in ((0, 2), (1, 2), (3, 5), (0, 1), (5, 2), (1, 2)):
        assert query.rows(names, offset, limit) == list(_regions_page(names, offset, limit))
    with CaptureQueriesContext(connection) as again:
        assert query.rows(["UK", "US"], 1, 2) == [("US",)]  # a shape already written

    assert len(again.captured_queries) == 1
    assert {shape for _, _, shape in query._compiled} == {
        (8, ("int", 0), ("int", 2)),
        (8, ("int", 1), ("int", 2)),
        (8, ("int", 3), ("int", 5)),
        (8, ("int", 0), ("int", 1)),
        (8, ("int", 5), ("int", 2)),
        (2, ("int", 1), ("int", 2)),
    }


def test_a_value_that_does_not_become_one_parameter_is_refused():
    def folded(names):  # both values end up in one parameter
        return Region.objects.filter(name=",".join(names))

    with pytest.raises(ValueError, match="exactly one parameter"):
        ReusableQuery(folded).count(["a", "b"])


def _items_with_products(order_ids):
    return (
        OrderItem.objects.filter(order_id__in=order_ids)
        .select_related("variant__product")
        .order_by("created_at", "id")
    )


def _fields(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_instances_join_their_relations_as_the_orm_does(django_assert_num_queries):
    # given: items with a variant and its product, and one whose variant is gone (null)
    order = OrderFactory()
    variants = [ProductVariantFactory(), ProductVariantFactory()]
    for variant in variants:
        OrderItemFactory(order=order, variant=variant)
    OrderItemFactory(order=order, variant=None)
    query = ReusableQuery(_items_with_products)

    with django_assert_num_queries(1):
        reused = query.instances([order.pk])
        relations = [(item.variant, item.variant and item.variant.product) for item in reused]
    orm = list(_items_with_products([order.pk]))

    assert [_fields(item) for item in reused] == [_fields(item) for item in orm]
    for (variant, product), item in zip(relations, orm, strict=True):
        if item.variant is None:
            assert variant is None
            assert product is None
        else:
            assert _fields(variant) == _fields(item.variant)
            assert _fields(product) == _fields(item.variant.product)
    assert [variant.pk for variant, _ in relations[:2]] == [v.pk for v in variants]


def test_instances_refuse_a_values_queryset():
    query = ReusableQuery(lambda names: Region.objects.filter(name__in=names).values("name"))

    with pytest.raises(ValueError, match="only model querysets"):
        query.instances(["EU"])
