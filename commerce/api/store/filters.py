from commerce.api.filters import DATE_LOOKUPS, ContractFilterSet, ContractOrderingFilter
from commerce.models import Region


class RegionFilter(ContractFilterSet):
    # Oldest first: a storefront lists regions in the order the merchant made them (as Medusa
    # returns them).
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "name", "id"), default=("created_at",)
    )

    class Meta:
        model = Region
        fields = {"created_at": DATE_LOOKUPS, "updated_at": DATE_LOOKUPS}
