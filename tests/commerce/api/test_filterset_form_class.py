"""ContractFilterSet builds its form class once per FilterSet class; forms stay per request."""

import django_filters.filterset
import pytest

from orders.api.admin.filters import AdminOrderFilter
from orders.models import Order
from saleschannels.api.admin.filters import AdminSalesChannelFilter

pytestmark = pytest.mark.django_db


def test_the_form_class_is_built_once_per_filterset_class():
    first = AdminOrderFilter(data={"display_id": "7"}, queryset=Order.objects.all())
    second = AdminOrderFilter(data={"display_id": "x"}, queryset=Order.objects.all())
    assert first.get_form_class() is second.get_form_class()
    assert AdminSalesChannelFilter(data={}).get_form_class() is not first.get_form_class()


def test_each_request_still_gets_its_own_form_and_errors():
    valid = AdminOrderFilter(data={"display_id": "7"}, queryset=Order.objects.all())
    invalid = AdminOrderFilter(data={"display_id": "x"}, queryset=Order.objects.all())
    assert invalid.is_valid() is False
    assert invalid.errors == {"display_id": ["must be a non-negative integer"]}
    assert valid.is_valid() is True
    assert valid.form is not invalid.form
    assert valid.form.fields["display_id"] is not invalid.form.fields["display_id"]


def test_the_filterset_matches_django_filters_own_attribute_for_attribute():
    # given: the same FilterSet built by our __init__ and by django-filter's
    queryset = Order.objects.all()
    ours = AdminOrderFilter(data={"display_id": "7"}, queryset=queryset)
    theirs = AdminOrderFilter.__new__(AdminOrderFilter)
    django_filters.filterset.BaseFilterSet.__init__(theirs, {"display_id": "7"}, queryset)

    # then: the same attributes, the same filters, each bound to its own FilterSet
    assert sorted(vars(ours)) == sorted(vars(theirs))
    assert list(ours.filters) == list(theirs.filters)
    for name, filter_ in ours.filters.items():
        assert filter_ is not AdminOrderFilter.base_filters[name]
        assert (filter_.parent, filter_.model) == (ours, Order)
        assert vars(filter_).keys() == vars(theirs.filters[name]).keys()
    assert str(ours.qs.query) == str(theirs.qs.query)


def test_two_filtersets_never_share_a_filter():
    first = AdminOrderFilter(data={}, queryset=Order.objects.all())
    second = AdminOrderFilter(data={}, queryset=Order.objects.all())
    assert all(first.filters[n] is not second.filters[n] for n in first.filters)
    assert {f.parent for f in second.filters.values()} == {second}


def test_method_filters_call_their_own_filterset():
    # given: a filter declared with `method=` (django-filter binds it to its filter object)
    from catalog.api.admin.filters import AdminProductFilter
    from catalog.models import Product

    filterset = AdminProductFilter(data={}, queryset=Product.objects.all())
    methods = {n: f for n, f in filterset.filters.items() if f.method is not None}

    # then: each copy's bound method reaches this FilterSet, not the shared declaration
    assert methods
    for name, filter_ in methods.items():
        assert filter_.filter.f is filter_, name
        assert filter_.filter.method.__self__ is filterset, name
