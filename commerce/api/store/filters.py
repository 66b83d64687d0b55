from commerce.api.filters import ContractFilterSet, date_filters
from commerce.models import Region


class RegionFilter(ContractFilterSet):
    locals().update(date_filters("created_at", "updated_at"))

    class Meta:
        model = Region
        fields: list[str] = []
