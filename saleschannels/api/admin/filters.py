from django_filters import rest_framework as filters

from commerce.api.filters import (
    ContractFilterSet,
    ContractOrderingFilter,
    SearchFilter,
    date_fields,
)
from saleschannels.models import PublishableApiKey, SalesChannel


class AdminPublishableApiKeySalesChannelFilter(ContractFilterSet):
    """A key's channels: found by text, ordered by their columns."""

    q = SearchFilter(
        fields=("name", "description"), help_text="Case-insensitive match on name or description."
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "name", "description", "is_disabled", "id"),
        default=("-created_at",),
    )

    class Meta:
        model = SalesChannel
        fields: dict[str, list[str]] = {}


class AdminSalesChannelFilter(AdminPublishableApiKeySalesChannelFilter):
    """The channel list: a key's channel filters, plus the exact columns and the dates."""

    id = filters.CharFilter(help_text="Only the channel with this id.")
    name = filters.CharFilter(help_text="Only channels with this name.")
    description = filters.CharFilter(
        help_text="Only channels with this description.",
    )

    class Meta:
        model = SalesChannel
        fields = date_fields("created_at", "updated_at", "deleted_at")


class AdminPublishableApiKeyFilter(ContractFilterSet):
    q = filters.CharFilter(
        field_name="title",
        lookup_expr="icontains",
        help_text="Case-insensitive match on the title.",
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "revoked_at", "title", "id"), default=("-created_at",)
    )

    class Meta:
        model = PublishableApiKey
        fields = date_fields("created_at", "updated_at", "revoked_at")
