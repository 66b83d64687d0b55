from django.db.models import Q
from django_filters import rest_framework as filters

from commerce.api.filters import ContractFilterSet, date_filters
from saleschannels.models import PublishableApiKey, SalesChannel


class AdminSalesChannelFilter(ContractFilterSet):
    id = filters.CharFilter(field_name="id", lookup_expr="exact")
    name = filters.CharFilter(field_name="name", lookup_expr="exact")
    description = filters.CharFilter(field_name="description", lookup_expr="exact")
    q = filters.CharFilter(method="filter_q")
    locals().update(date_filters("created_at", "updated_at", "deleted_at"))

    class Meta:
        model = SalesChannel
        fields = ["id", "name", "description", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class AdminPublishableApiKeyFilter(ContractFilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains")
    locals().update(date_filters("created_at", "updated_at", "revoked_at"))

    class Meta:
        model = PublishableApiKey
        fields = ["q"]


class AdminPublishableApiKeySalesChannelFilter(ContractFilterSet):
    q = filters.CharFilter(method="filter_q")

    class Meta:
        model = SalesChannel
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
