"""ReusableCount: the ORM's SQL compiled once per shape, run with each call's values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commerce.models import Region
from commerce.reusable_sql import ReusableCount
from tests.commerce.factories import RegionFactory

pytestmark = pytest.mark.django_db


def _regions_named(names):
    return Region.objects.filter(name__in=names)


def test_counts_what_the_orm_counts_for_any_values_of_a_shape():
    RegionFactory(name="EU")
    RegionFactory(name="US")
    RegionFactory(name="UK")
    count = ReusableCount(_regions_named)

    assert count(["EU"]) == 1
    assert count(["US"]) == 1
    assert count(["NO"]) == 0
    assert count(["EU", "UK"]) == 2
    assert count(["EU", "XX"]) == _regions_named(["EU", "XX"]).count() == 1


def test_the_sql_is_written_once_per_number_of_values():
    RegionFactory(name="EU")
    count = ReusableCount(_regions_named)
    count(["EU"])

    with CaptureQueriesContext(connection) as first:
        count(["US"])
    with CaptureQueriesContext(connection) as second:
        count(["EU"])

    assert len(first.captured_queries) == len(second.captured_queries) == 1
    assert set(count._compiled) == {("default", 1)}


def test_a_value_that_does_not_become_one_parameter_is_refused():
    def folded(names):  # both values end up in one parameter
        return Region.objects.filter(name=",".join(names))

    with pytest.raises(ValueError, match="exactly one parameter"):
        ReusableCount(folded)(["a", "b"])
