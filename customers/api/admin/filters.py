from django.db.models import Q
from django_filters import rest_framework as filters

from commerce.api.filters import ContractFilterSet, ContractOrderingFilter, date_fields
from customers.models import Customer


class AdminCustomerFilter(ContractFilterSet):
    q = filters.CharFilter(method="filter_q", help_text="Email, name or phone contains.")
    has_account = filters.BooleanFilter(
        field_name="has_account", help_text="Accounts or guests only."
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "email", "first_name", "last_name", "id"),
        default=("-created_at",),
    )

    class Meta:
        model = Customer
        fields = date_fields("created_at", "updated_at")

    def filter_q(self, queryset, name, value):
        """Email, first name, last name or phone contain the text (case-insensitive)."""
        return queryset.filter(
            Q(email__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(phone__icontains=value)
        )
