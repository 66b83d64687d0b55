from django.db.models import Q
from django_filters import rest_framework as filters

from commerce.api.filters import ContractFilterSet, date_filters
from customers.models import Customer


class AdminCustomerFilter(ContractFilterSet):
    q = filters.CharFilter(method="filter_q")
    has_account = filters.BooleanFilter(field_name="has_account")
    locals().update(date_filters("created_at", "updated_at"))

    class Meta:
        model = Customer
        fields = ["q", "has_account"]

    def filter_q(self, queryset, name, value):
        """Email, first name, last name or phone contain the text (case-insensitive)."""
        return queryset.filter(
            Q(email__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(phone__icontains=value)
        )
