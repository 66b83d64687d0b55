from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce import flags, permissions
from commerce import selectors as commerce_selectors
from commerce.api.mixins import ExpandMixin, FeatureFlagRequiredMixin, validated_input
from commerce.api.schema import DeleteWithBodyAutoSchema, envelope, operation
from commerce.api.viewsets import ContractModelViewSet, batch_schema, contract_schema
from saleschannels import selectors, services
from saleschannels.api.admin.filters import (
    AdminPublishableApiKeyFilter,
    AdminPublishableApiKeySalesChannelFilter,
    AdminSalesChannelFilter,
)
from saleschannels.api.admin.serializers import (
    PUBLISHABLE_API_KEY_FIELDS,
    SALES_CHANNEL_FIELDS,
    AdminPublishableApiKeyCreateInputSerializer,
    AdminPublishableApiKeyRevokeInputSerializer,
    AdminPublishableApiKeySalesChannelsBatchInputSerializer,
    AdminPublishableApiKeySerializer,
    AdminPublishableApiKeyUpdateInputSerializer,
    AdminSalesChannelCreateInputSerializer,
    AdminSalesChannelSerializer,
    AdminSalesChannelUpdateInputSerializer,
    AdminStoreSerializer,
    AdminStoreUpdateInputSerializer,
)
from saleschannels.exceptions import SalesChannelNotFound
from saleschannels.models import PublishableApiKey, SalesChannel
from saleschannels.scope import require_channels_in_scope, require_unrestricted, staff_scope

SalesChannelEnvelope = envelope(
    "AdminSalesChannelResponse", AdminSalesChannelSerializer, key="sales_channel"
)


class InScopeWritesMixin(ContractModelViewSet):
    # An update or a delete of an object outside the user's scope is a 404 before the body is
    # read: the view's `_check_in_scope(pk)`. A comment, not a docstring: see EnvelopeMixin.

    def _check_in_scope(self, pk: str) -> None:
        raise NotImplementedError

    def get_update_target(self, pk: str) -> str:
        self._check_in_scope(pk)
        return pk

    def destroy(self, request: Request, pk: str) -> Response:
        self._check_in_scope(pk)
        return super().destroy(request, pk)


@contract_schema(
    SalesChannelEnvelope,
    list=operation("List sales channels", errors=(400, 401)),
    retrieve=operation("Get a sales channel", errors=(401, 404)),
    create=operation("Create a sales channel", errors=(400, 401)),
    partial_update=operation("Update a sales channel", errors=(400, 401, 404)),
    destroy=operation(
        "Delete a sales channel (soft; the default channel is refused; idempotent)",
        errors=(400, 401),
    ),
)
class AdminSalesChannelViewSet(FeatureFlagRequiredMixin, InScopeWritesMixin):
    required_feature_flag = flags.SALES_CHANNELS
    envelope_singular, envelope_plural, delete_object_name = (
        "sales_channel",
        "sales_channels",
        "sales-channel",
    )
    default_limit = 20
    serializer_class = AdminSalesChannelSerializer
    create_input_serializer_class = AdminSalesChannelCreateInputSerializer
    update_input_serializer_class = AdminSalesChannelUpdateInputSerializer
    detail_context = {"relations": frozenset()}  # a detail has no relations, whatever `expand` says
    filterset_class = AdminSalesChannelFilter
    default_relations = ()
    allowed_relations = ("locations",)
    allowed_fields = tuple(SALES_CHANNEL_FIELDS)

    def get_queryset(self) -> QuerySet[SalesChannel]:
        query = self.request.query_params
        with_deleted = any(key.startswith("deleted_at") for key in query)
        channels = selectors.sales_channel_list(
            scope=staff_scope(self.request.user), with_deleted=with_deleted
        )
        if "locations" in self.resolved_relations():
            channels = channels.prefetch_related("location_links")  # inventory's links
        return channels

    def get_detail_object(self, pk: str) -> SalesChannel:
        return selectors.sales_channel_get(channel_id=pk, scope=staff_scope(self.request.user))

    def _check_in_scope(self, channel_id: str) -> None:
        """Before a write: 404 for a channel outside the user's scope (no query)."""
        if not staff_scope(self.request.user).includes(channel_id):
            raise SalesChannelNotFound(channel_id)

    def perform_create(self, data: dict[str, Any]) -> SalesChannel:
        return services.sales_channel_create(
            **data, created_by=permissions.acting_user(self.request)
        )

    def perform_update(self, target: str, data: dict[str, Any]) -> None:
        services.sales_channel_update(channel_id=target, **data)

    def perform_destroy(self, pk: str) -> None:
        services.sales_channel_delete(channel_id=pk)


# ---- PUBLISHABLE API KEYS ----

PublishableApiKeyEnvelope = envelope(
    "AdminPublishableApiKeyResponse",
    AdminPublishableApiKeySerializer,
    key="publishable_api_key",
)


@extend_schema_serializer(many=False)  # a list action, but answered as one object, not an array
class AdminPublishableApiKeySalesChannelsResponseSerializer(serializers.Serializer):
    sales_channels = AdminSalesChannelSerializer(many=True)


KeySalesChannelsResponse = AdminPublishableApiKeySalesChannelsResponseSerializer
KEY_PARAMETER = OpenApiParameter(
    "key_id", str, OpenApiParameter.PATH, description="The publishable key id (`pk_…`)."
)


@contract_schema(
    PublishableApiKeyEnvelope,
    list=operation("List publishable API keys", errors=(400, 401, 404)),
    retrieve=operation("Get a publishable API key", errors=(401, 404)),
    create=operation(
        "Create a publishable API key",
        errors=(400, 401, 404),
        description="`created_by` is the signed-in user. Link channels with the batch route.",
    ),
    partial_update=operation("Rename a publishable API key", errors=(400, 401, 404)),
    destroy=operation(
        "Delete a publishable API key (hard delete, with its channel links)", errors=(401, 404)
    ),
    revoke=operation(
        "Revoke a publishable API key",
        errors=(400, 401, 404),
        description="Storefronts sending a revoked key are refused. Revoking twice is a 400.",
        request=AdminPublishableApiKeyRevokeInputSerializer,
    ),
)
class AdminPublishableApiKeyViewSet(FeatureFlagRequiredMixin, InScopeWritesMixin):
    """Gated by the `publishable_api_keys` flag (404 when off)."""

    required_feature_flag = flags.PUBLISHABLE_API_KEYS
    envelope_singular, envelope_plural, delete_object_name = (
        "publishable_api_key",
        "publishable_api_keys",
        "publishable_api_key",  # Medusa's word here, unlike "sales-channel"
    )
    default_limit = 20
    serializer_class = AdminPublishableApiKeySerializer
    create_input_serializer_class = AdminPublishableApiKeyCreateInputSerializer
    update_input_serializer_class = AdminPublishableApiKeyUpdateInputSerializer
    detail_context = {}  # a detail ignores `fields`
    filterset_class = AdminPublishableApiKeyFilter
    default_relations = ()
    allowed_relations = ()
    allowed_fields = tuple(PUBLISHABLE_API_KEY_FIELDS)

    def get_queryset(self) -> QuerySet[PublishableApiKey]:
        return selectors.publishable_api_key_list(scope=staff_scope(self.request.user))

    def get_detail_object(self, pk: str) -> PublishableApiKey:
        """Return the key, or raise a 404 when it is outside the user's scope."""
        return selectors.publishable_api_key_get(key_id=pk, scope=staff_scope(self.request.user))

    def _check_in_scope(self, key_id: str) -> None:
        """Before a write: 404 for a key outside a restricted user's scope (no query otherwise)."""
        if staff_scope(self.request.user).restricted:
            self.get_detail_object(key_id)

    def perform_create(self, data: dict[str, Any]) -> PublishableApiKey:
        return services.publishable_api_key_create(
            title=data["title"], created_by=permissions.acting_user(self.request)
        )

    def perform_update(self, target: str, data: dict[str, Any]) -> None:
        services.publishable_api_key_update(key_id=target, **data)

    def perform_destroy(self, pk: str) -> None:
        services.publishable_api_key_delete(key_id=pk)

    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        self._check_in_scope(pk)
        # No properties: an empty body, or `{}`.
        validated_input(AdminPublishableApiKeyRevokeInputSerializer, request.data or {})
        key = services.publishable_api_key_revoke(
            key_id=pk, revoked_by=permissions.acting_user(request)
        )
        return self.detail_response(key.pk)


@extend_schema_view(
    list=operation(
        "List the sales channels of a publishable API key",
        errors=(400, 401, 404),
        description=(
            "Not paginated (as in Medusa): `{sales_channels: [...]}` with no count. Deleted "
            "channels are left out. An unknown key gives an empty list, as in Medusa."
        ),
        parameters=[KEY_PARAMETER],
        answer=KeySalesChannelsResponse,
    ),
    batch=batch_schema(
        "admin_publishable_api_key_sales_channels_batch",
        request=AdminPublishableApiKeySalesChannelsBatchInputSerializer,
        answer=PublishableApiKeyEnvelope,
        add=operation(
            "Link sales channels to a publishable API key (idempotent)",
            errors=(400, 401, 404),
            description=(
                "Unknown or deleted channel ids are refused with a 400 that lists them in "
                "`errors` (Medusa accepts them silently). Nothing is linked then."
            ),
            parameters=[KEY_PARAMETER],
        ),
        remove=operation(
            "Unlink sales channels from a publishable API key",
            errors=(400, 401, 404),
            description="Unlinking a channel that is not linked is a no-op.",
            parameters=[KEY_PARAMETER],
        ),
    ),
)
class AdminPublishableApiKeySalesChannelViewSet(
    FeatureFlagRequiredMixin, ExpandMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """`/publishable-api-keys/{key_id}/sales-channels[/batch]`: needs both feature flags."""

    required_feature_flag = flags.PUBLISHABLE_API_KEYS
    schema = DeleteWithBodyAutoSchema()  # the batch DELETE takes a body
    serializer_class = AdminSalesChannelSerializer
    pagination_class = None
    filterset_class = AdminPublishableApiKeySalesChannelFilter
    default_relations = ()
    allowed_relations = ("locations",)
    allowed_fields = tuple(SALES_CHANNEL_FIELDS)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not flags.sales_channels_enabled():
            raise NotFound("Not Found")

    def get_queryset(self) -> QuerySet[SalesChannel]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no key id
            return SalesChannel.objects.none()
        scope = staff_scope(self.request.user)
        if scope.restricted:  # a key outside the scope is unknown (its channels, none)
            selectors.publishable_api_key_get(key_id=self.kwargs["key_id"], scope=scope)
        channels = selectors.publishable_api_key_sales_channels(key_id=self.kwargs["key_id"])
        if "locations" in self.resolved_relations():
            channels = channels.prefetch_related("location_links")  # inventory's links
        return channels

    def list(self, request: Request, key_id: str) -> Response:
        channels = self.filter_queryset(self.get_queryset())
        return Response({"sales_channels": self.get_serializer(channels, many=True).data})

    @action(detail=False, methods=["post", "delete"])
    def batch(self, request: Request, key_id: str) -> Response:
        payload = validated_input(
            AdminPublishableApiKeySalesChannelsBatchInputSerializer, request.data
        )
        ids = payload["sales_channel_ids"]
        scope = staff_scope(request.user)
        if scope.restricted:
            selectors.publishable_api_key_get(key_id=key_id, scope=scope)  # 404 outside it
            require_channels_in_scope(scope, ids)
        if request.method == "POST":
            services.publishable_api_key_sales_channels_add(key_id=key_id, sales_channel_ids=ids)
        else:
            services.publishable_api_key_sales_channels_remove(key_id=key_id, sales_channel_ids=ids)
        key = selectors.publishable_api_key_get(key_id=key_id, scope=scope)
        return Response({"publishable_api_key": AdminPublishableApiKeySerializer(key).data})


# ---- STORE ----

StoreEnvelope = envelope("AdminStoreResponse", AdminStoreSerializer, key="store")


@extend_schema_view(
    get=operation(
        "Get the store",
        errors=(401,),
        description=(
            "With the `sales_channels` flag on, includes `default_sales_channel_id` and the "
            "expanded `default_sales_channel`; with it off, neither property is present."
        ),
        answer=StoreEnvelope,
    ),
    post=operation(
        "Update the store",
        errors=(400, 401, 404),
        description=(
            "`currencies` replaces the store's currencies (codes); `default_currency_code` must be "
            "one of them. `default_sales_channel_id` must name a live, enabled channel (with the "
            "`sales_channels` flag off the property is refused). All or nothing."
        ),
        request=AdminStoreUpdateInputSerializer,
        answer=StoreEnvelope,
    ),
)
class AdminStoreView(APIView):
    """`/api/admin/store`. It lives here because it calls the default-channel service."""

    def _render(self) -> Response:
        return Response({"store": AdminStoreSerializer(commerce_selectors.store_get()).data})

    def get(self, request: Request) -> Response:
        return self._render()

    def post(self, request: Request) -> Response:
        require_unrestricted(staff_scope(request.user), "change the store")
        payload = validated_input(AdminStoreUpdateInputSerializer, request.data)
        services.store_settings_update(**payload)
        return self._render()
