from django_filters import rest_framework as filters

from commerce.api.filters import date_filters
from commerce.models import Region


class RegionFilter(filters.FilterSet):
    locals().update(date_filters("created_at", "updated_at"))

    class Meta:
        model = Region
        fields: list[str] = []
