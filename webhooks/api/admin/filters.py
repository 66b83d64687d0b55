from django_filters import rest_framework as filters

from commerce.api.filters import CharInFilter, ContractFilterSet, ContractOrderingFilter
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription


class AdminWebhookFilter(ContractFilterSet):
    is_active = filters.BooleanFilter(help_text="Only active subscriptions, or only inactive ones.")
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "url", "id"), default=("-created_at",)
    )

    class Meta:
        model = WebhookSubscription
        fields: dict[str, list[str]] = {}


class AdminWebhookDeliveryFilter(ContractFilterSet):
    status = filters.MultipleChoiceFilter(choices=DeliveryStatus.choices)
    event_type = CharInFilter(field_name="event__type", help_text="Event types, e.g. order.placed.")
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "next_attempt_at", "id"), default=("-created_at",)
    )

    class Meta:
        model = WebhookDelivery
        fields: dict[str, list[str]] = {}
