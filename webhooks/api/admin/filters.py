from django_filters import rest_framework as filters

from commerce.api.filters import CharInFilter, ContractFilterSet
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription


class AdminWebhookFilter(ContractFilterSet):
    is_active = filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = WebhookSubscription
        fields = ["is_active"]


class AdminWebhookDeliveryFilter(ContractFilterSet):
    status = filters.MultipleChoiceFilter(field_name="status", choices=DeliveryStatus.choices)
    event_type = CharInFilter(field_name="event__type", lookup_expr="in")

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event_type"]
