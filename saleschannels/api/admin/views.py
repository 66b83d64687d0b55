from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from commerce import flags
from commerce.api.mixins import EnvelopeMixin, ExpandMixin, FeatureFlagRequiredMixin
from commerce.api.schema import DeleteResponseSerializer, envelope, errors
from saleschannels import selectors, services
from saleschannels.api.admin.filters import AdminSalesChannelFilter
from saleschannels.api.admin.serializers import (
    SALES_CHANNEL_FIELDS,
    AdminSalesChannelCreateInputSerializer,
    AdminSalesChannelSerializer,
    AdminSalesChannelUpdateInputSerializer,
)
from saleschannels.models import SalesChannel

SalesChannelEnvelope = envelope(
    "AdminSalesChannelResponse", AdminSalesChannelSerializer, key="sales_channel"
)


@extend_schema_view(
    list=extend_schema(
        summary="List sales channels",
        parameters=[
            OpenApiParameter(
                "q", str, description="Case-insensitive match on name or description."
            ),
            OpenApiParameter(
                "expand", str, description="Comma list of relations: locations. Empty for none."
            ),
            OpenApiParameter("fields", str, description="Comma list of fields to return."),
            OpenApiParameter(
                "order", str, description="Sort field, `-` for descending. Default -created_at."
            ),
        ],
        responses={200: AdminSalesChannelSerializer(many=True), **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Get a sales channel", responses={200: SalesChannelEnvelope, **errors(401, 404)}
    ),
    create=extend_schema(
        summary="Create a sales channel",
        request=AdminSalesChannelCreateInputSerializer,
        responses={200: SalesChannelEnvelope, **errors(400, 401)},
    ),
    partial_update=extend_schema(
        summary="Update a sales channel",
        request=AdminSalesChannelUpdateInputSerializer,
        responses={200: SalesChannelEnvelope, **errors(400, 401, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a sales channel (soft; the default channel is refused; idempotent)",
        responses={200: DeleteResponseSerializer, **errors(400, 401)},
    ),
)
class AdminSalesChannelViewSet(
    FeatureFlagRequiredMixin,
    EnvelopeMixin,
    ExpandMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    required_feature_flag = flags.SALES_CHANNELS
    envelope_singular, envelope_plural, delete_object_name = (
        "sales_channel",
        "sales_channels",
        "sales-channel",
    )
    default_limit = 20
    serializer_class = AdminSalesChannelSerializer
    filterset_class = AdminSalesChannelFilter
    search_enabled = True
    date_query_params = ("created_at", "updated_at", "deleted_at")
    ordering_fields = ["created_at", "updated_at", "name", "description", "is_disabled", "id"]
    ordering = ["-created_at"]
    default_relations = ()
    allowed_relations = ("locations",)
    allowed_fields = tuple(SALES_CHANNEL_FIELDS)

    def get_queryset(self) -> QuerySet[SalesChannel]:
        query = self.request.query_params
        with_deleted = any(key.startswith("deleted_at") for key in query)
        return SalesChannel.all_objects.all() if with_deleted else selectors.sales_channel_list()

    def get_object(self) -> SalesChannel:
        return selectors.sales_channel_get(channel_id=self.kwargs["pk"])

    def _render(self, channel_id: str) -> Response:
        channel = selectors.sales_channel_get(channel_id=channel_id)
        return self.envelope(
            AdminSalesChannelSerializer(channel, context={"relations": set()}).data
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._render(pk)

    def create(self, request: Request) -> Response:
        payload = AdminSalesChannelCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        channel = services.sales_channel_create(**payload.validated_data)
        return self._render(channel.pk)

    def partial_update(self, request: Request, pk: str) -> Response:
        payload = AdminSalesChannelUpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        channel = services.sales_channel_update(channel_id=pk, **payload.validated_data)
        return self._render(channel.pk)

    def destroy(self, request: Request, pk: str) -> Response:
        services.sales_channel_delete(channel_id=pk)
        return self.deleted(pk)
