from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from commerce.api.mixins import EnvelopeMixin, validated_input
from commerce.api.schema import envelope, operation
from commerce.api.viewsets import (
    ContractDestroyMixin,
    ContractRetrieveMixin,
    ContractUpdateMixin,
    contract_schema,
)
from saleschannels.scope import staff_scope
from webhooks import selectors, services
from webhooks.api.admin.filters import AdminWebhookDeliveryFilter, AdminWebhookFilter
from webhooks.api.admin.serializers import (
    AdminWebhookCreatedSerializer,
    AdminWebhookCreateInputSerializer,
    AdminWebhookDeliveryRetryInputSerializer,
    AdminWebhookDeliverySerializer,
    AdminWebhookSerializer,
    AdminWebhookUpdateInputSerializer,
)
from webhooks.models import WebhookDelivery, WebhookSubscription

WebhookCreatedEnvelope = envelope(
    "AdminWebhookCreatedResponse", AdminWebhookCreatedSerializer, key="webhook"
)
DeliveryEnvelope = envelope(
    "AdminWebhookDeliveryResponse", AdminWebhookDeliverySerializer, key="delivery"
)


@contract_schema(
    list=operation("List webhooks", errors=(400, 401)),
    retrieve=operation("Get a webhook (without its secret)", errors=(401, 404)),
    create=operation(
        "Subscribe a URL to events",
        errors=(400, 401),
        description=(
            "Answers the webhook with its signing `secret`, shown this once. `sales_channel_ids`: "
            "only events concerning these channels (omitted or empty: all). See docs/webhooks.md."
        ),
        answer=WebhookCreatedEnvelope,
    ),
    partial_update=operation("Update a webhook", errors=(400, 401, 404)),
    destroy=operation("Delete a webhook and its delivery log", errors=(401, 404)),
)
class AdminWebhookViewSet(
    ContractUpdateMixin,
    ContractDestroyMixin,
    ContractRetrieveMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    envelope_singular, envelope_plural, delete_object_name = "webhook", "webhooks", "webhook"
    default_limit = 20
    serializer_class = AdminWebhookSerializer
    create_input_serializer_class = AdminWebhookCreateInputSerializer
    update_input_serializer_class = AdminWebhookUpdateInputSerializer
    detail_context = {}
    filterset_class = AdminWebhookFilter

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        return selectors.webhook_list(scope=staff_scope(self.request.user))

    def get_detail_object(self, pk: str) -> WebhookSubscription:
        return selectors.webhook_get(webhook_id=pk, scope=staff_scope(self.request.user))

    def create(self, request: Request) -> Response:
        # The one answer with the signing secret.
        data = validated_input(self.create_input_serializer_class, request.data)
        webhook = services.webhook_create(scope=staff_scope(request.user), **data)
        return self.envelope(AdminWebhookCreatedSerializer(self.get_detail_object(webhook.pk)).data)

    def perform_update(self, target: str, data: dict[str, Any]) -> None:
        services.webhook_update(webhook_id=target, scope=staff_scope(self.request.user), **data)

    def perform_destroy(self, pk: str) -> None:
        services.webhook_delete(webhook_id=pk, scope=staff_scope(self.request.user))


WEBHOOK_PARAMETER = OpenApiParameter(
    "webhook_id", str, OpenApiParameter.PATH, description="The webhook id (`wh_…`)."
)


@contract_schema(
    DeliveryEnvelope,
    list=operation(
        "List a webhook's deliveries, newest first, with every attempt",
        errors=(400, 401, 404),
        parameters=[WEBHOOK_PARAMETER],
    ),
    retry=operation(
        "Attempt a delivery again now (resend)",
        errors=(400, 401, 404, 409),
        description="A delivery being attempted right now is refused (409).",
        parameters=[WEBHOOK_PARAMETER],
        request=AdminWebhookDeliveryRetryInputSerializer,
    ),
)
@extend_schema(parameters=[WEBHOOK_PARAMETER])
class AdminWebhookDeliveryViewSet(EnvelopeMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """`/webhooks/{webhook_id}/deliveries[/{id}/retry]`."""

    envelope_singular, envelope_plural = "delivery", "deliveries"
    default_limit = 20
    serializer_class = AdminWebhookDeliverySerializer
    filterset_class = AdminWebhookDeliveryFilter

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no webhook id
            return WebhookDelivery.objects.none()
        return selectors.webhook_delivery_list(
            webhook_id=self.kwargs["webhook_id"], scope=staff_scope(self.request.user)
        )

    def list(self, request: Request, webhook_id: str) -> Response:
        # 404 for an unknown webhook, or one outside the user's scope
        selectors.webhook_get(webhook_id=webhook_id, scope=staff_scope(request.user))
        return super().list(request)

    @action(detail=True, methods=["post"])
    def retry(self, request: Request, webhook_id: str, pk: str) -> Response:
        # No properties: an empty body, or `{}`.
        validated_input(AdminWebhookDeliveryRetryInputSerializer, request.data or {})
        delivery = services.webhook_delivery_retry(
            webhook_id=webhook_id, delivery_id=pk, scope=staff_scope(request.user)
        )
        delivery = self.get_queryset().get(pk=delivery.pk)
        return self.envelope(AdminWebhookDeliverySerializer(delivery).data)
