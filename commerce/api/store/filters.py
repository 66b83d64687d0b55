from commerce.api.filters import ContractFilterSet, ContractOrderingFilter, date_fields
from commerce.models import Region


class RegionFilter(ContractFilterSet):
    # Oldest first: a storefront lists regions in the order the merchant made them (as Medusa
    # returns them).
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "name", "id"), default=("created_at",)
    )

    class Meta:
        model = Region
        fields = date_fields("created_at", "updated_at")
