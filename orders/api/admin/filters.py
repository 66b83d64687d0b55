from django import forms
from django.db.models import Q
from django_filters import rest_framework as filters

from commerce.api.filters import (
    CharInFilter,
    ChoiceInFilter,
    ContractFilterSet,
    ContractOrderingFilter,
    date_fields,
)
from orders.models import FulfillmentStatus, Order, OrderStatus, PaymentStatus

MAX_BIGINT = 2**63 - 1
_NOT_AN_ID = "must be a non-negative integer"


class DisplayIdField(forms.IntegerField):
    default_error_messages = {
        "invalid": _NOT_AN_ID,
        "min_value": _NOT_AN_ID,
        "max_value": f"must not be greater than {MAX_BIGINT}",
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_BIGINT, **kwargs)


class DisplayIdFilter(filters.Filter):
    field_class = DisplayIdField


class AdminOrderFilter(ContractFilterSet):
    id = CharInFilter(help_text="One or more ids.")
    q = filters.CharFilter(
        method="filter_q", help_text="Email (case-insensitive) or exact display id."
    )
    status = ChoiceInFilter(choices=OrderStatus.values, help_text="Any of these statuses.")
    fulfillment_status = ChoiceInFilter(
        choices=FulfillmentStatus.values,
        help_text="Any of these fulfillment statuses.",
    )
    payment_status = ChoiceInFilter(
        choices=PaymentStatus.values,
        help_text="Any of these payment statuses.",
    )
    email = filters.CharFilter(help_text="Only orders with this email.")
    display_id = DisplayIdFilter(
        help_text="Only the order with this display id.",
    )
    region_id = CharInFilter(help_text="Orders in any of these regions.")
    # The stored id, not a join: orders of a deleted channel are still found (as Medusa 1.20
    # finds them when the admin filters orders by that channel).
    sales_channel_id = CharInFilter(
        help_text="Orders placed in any of these channels (deleted channels included).",
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "display_id", "email", "status", "total", "id"),
        default=("-created_at",),
    )

    class Meta:
        model = Order
        fields = date_fields("created_at", "updated_at", "canceled_at")

    def filter_q(self, queryset, name, value):
        """Case-insensitive match on the email, or the exact display id when `q` is a number."""
        condition = Q(email__icontains=value)
        if value.isdigit() and int(value) <= MAX_BIGINT:
            condition |= Q(display_id=int(value))
        return queryset.filter(condition)
