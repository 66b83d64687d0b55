from django_filters import rest_framework as filters

from commerce.api.filters import (
    ContractFilterSet,
    ContractOrderingFilter,
    SearchFilter,
    date_fields,
)
from customers.models import Customer


class AdminCustomerFilter(ContractFilterSet):
    q = SearchFilter(
        fields=("email", "first_name", "last_name", "phone"),
        help_text="Email, name or phone contains.",
    )
    has_account = filters.BooleanFilter(help_text="Accounts or guests only.")
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "email", "first_name", "last_name", "id"),
        default=("-created_at",),
    )

    class Meta:
        model = Customer
        fields = date_fields("created_at", "updated_at")
