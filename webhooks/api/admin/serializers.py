from rest_framework import serializers

from commerce.api.serializers import (
    ContractModelSerializer,
    MillisecondDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictCharListField,
    StrictInputSerializer,
)
from webhooks.models import WebhookDelivery, WebhookDeliveryAttempt, WebhookSubscription

WEBHOOK_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "url",
    "events",
    "sales_channel_ids",
    "description",
    "is_active",
]


class AdminWebhookSerializer(ContractModelSerializer):
    events = serializers.ListField(child=serializers.CharField(), read_only=True)
    sales_channel_ids = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = WEBHOOK_FIELDS


class AdminWebhookCreatedSerializer(AdminWebhookSerializer):
    """The create answer: the only time the signing secret is shown."""

    class Meta(AdminWebhookSerializer.Meta):
        fields = [*WEBHOOK_FIELDS, "secret"]


class AdminWebhookCreateInputSerializer(StrictInputSerializer):
    url = StrictCharField(max_length=2000)
    events = StrictCharListField(
        item_max_length=100,
        allow_empty=False,
        max_length=100,
        error_messages={"empty": "should not be empty"},
    )
    sales_channel_ids = StrictCharListField(item_max_length=64, required=False, max_length=1000)
    description = StrictCharField(max_length=255, required=False, allow_blank=True)
    is_active = StrictBooleanField(required=False)


class AdminWebhookUpdateInputSerializer(StrictInputSerializer):
    url = StrictCharField(max_length=2000, required=False)
    events = StrictCharListField(
        item_max_length=100,
        allow_empty=False,
        max_length=100,
        required=False,
        error_messages={"empty": "should not be empty"},
    )
    sales_channel_ids = StrictCharListField(item_max_length=64, required=False, max_length=1000)
    description = StrictCharField(max_length=255, required=False, allow_blank=True)
    is_active = StrictBooleanField(required=False)


class AdminWebhookDeliveryAttemptSerializer(serializers.ModelSerializer):
    started_at = MillisecondDateTimeField(source="created_at", read_only=True)
    finished_at = MillisecondDateTimeField(read_only=True)

    class Meta:
        model = WebhookDeliveryAttempt
        fields = ["number", "started_at", "finished_at", "response_status", "error"]
        read_only_fields = fields


class AdminWebhookDeliverySerializer(ContractModelSerializer):
    webhook_id = serializers.CharField(source="subscription_id", read_only=True)
    event_type = serializers.CharField(source="event.type", read_only=True)
    response_code = serializers.IntegerField(
        source="response_status", read_only=True, allow_null=True
    )
    attempt_log = AdminWebhookDeliveryAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "created_at",
            "updated_at",
            "webhook_id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "max_attempts",
            "response_code",
            "last_error",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "attempt_log",
        ]


class AdminWebhookDeliveryRetryInputSerializer(StrictInputSerializer):
    """No properties: the body is empty (or `{}`)."""
