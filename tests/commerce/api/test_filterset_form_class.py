"""ContractFilterSet builds its form class once per FilterSet class; forms stay per request."""

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
