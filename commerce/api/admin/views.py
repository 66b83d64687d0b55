from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema_view,
)
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce import selectors, services
from commerce.api.admin.filters import AdminRegionFilter, AdminShippingOptionFilter
from commerce.api.admin.serializers import (
    AdminAuthInputSerializer,
    AdminRegionCreateInputSerializer,
    AdminRegionSerializer,
    AdminRegionUpdateInputSerializer,
    AdminShippingOptionCreateInputSerializer,
    AdminShippingOptionSerializer,
    AdminShippingOptionUpdateInputSerializer,
    AdminUserSerializer,
)
from commerce.api.admin.throttles import AdminLoginRateThrottle
from commerce.api.mixins import validated_input
from commerce.api.schema import ErrorSerializer, envelope, operation
from commerce.api.serializers import REGION_FIELDS, SHIPPING_OPTION_FIELDS
from commerce.api.viewsets import ContractModelViewSet, contract_schema
from commerce.models import Region, ShippingOption

UserEnvelope = envelope("AdminUserResponse", AdminUserSerializer, key="user")
FORBIDDEN = {403: OpenApiResponse(ErrorSerializer, description="CSRF token missing or wrong")}
EMPTY = OpenApiResponse(OpenApiTypes.OBJECT, description="An empty object: `{}`")


# ---- AUTH ----


@extend_schema_view(
    post=operation(
        "Sign in (starts a Django session)",
        errors=(400, 401, 429),
        description=(
            "Email and password of an active staff user. Answers the user and sets the session "
            "cookie plus a `csrftoken` cookie: later writes with the session must send its value "
            "in `X-CSRFToken`. Wrong credentials or a non-staff user: 401. Throttled per client "
            "address (429)."
        ),
        request=AdminAuthInputSerializer,
        answer=UserEnvelope,
        auth=[],
    ),
    get=operation(
        "The signed-in user",
        errors=(401,),
        description=(
            "Who the session or the `x-medusa-access-token` belongs to. `api_token` is always "
            "null: tokens are never shown."
        ),
        answer=UserEnvelope,
    ),
    delete=operation(
        "Sign out (ends the session)",
        errors=(401,),
        description="With a session, send the `X-CSRFToken` header (403 without it).",
        answer=EMPTY,
        responses=FORBIDDEN,
    ),
)
@method_decorator(ensure_csrf_cookie, name="dispatch")
class AdminAuthView(APIView):
    """`/api/admin/auth`. The login itself needs no session (and so no CSRF token) but is throttled."""

    def _is_login(self) -> bool:
        # While DRF wraps the request, `self.request` is still Django's (None for schema generation).
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):
        return [] if self._is_login() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._is_login() else super().get_permissions()

    def get_throttles(self):
        return [AdminLoginRateThrottle()] if self._is_login() else super().get_throttles()

    def post(self, request: Request) -> Response:
        payload = validated_input(AdminAuthInputSerializer, request.data)
        user = authenticate(
            request._request,
            email=payload["email"].strip().lower(),
            password=payload["password"],
        )
        if user is None or not user.is_staff:
            raise AuthenticationFailed("Unauthorized")
        login(request._request, user)
        return Response({"user": AdminUserSerializer(user).data})

    def get(self, request: Request) -> Response:
        return Response({"user": AdminUserSerializer(request.user).data})

    def delete(self, request: Request) -> Response:
        logout(request._request)
        return Response({})


# ---- REGIONS ----


@contract_schema(
    list=operation("List regions", errors=(400, 401)),
    retrieve=operation("Get a region", errors=(401, 404)),
    create=operation(
        "Create a region",
        errors=(400, 401),
        description="Without `payment_providers` the region gets the built-in `manual` provider.",
    ),
    partial_update=operation("Update a region", errors=(400, 401, 404)),
    destroy=operation(
        "Delete a region (soft, with its shipping options; idempotent)", errors=(401,)
    ),
)
class AdminRegionViewSet(ContractModelViewSet):
    envelope_singular, envelope_plural, delete_object_name = "region", "regions", "region"
    default_limit = 50
    serializer_class = AdminRegionSerializer
    create_input_serializer_class = AdminRegionCreateInputSerializer
    update_input_serializer_class = AdminRegionUpdateInputSerializer
    detail_context = {"relations": None}  # a detail has every relation, whatever `expand` says
    filterset_class = AdminRegionFilter
    default_relations = ("countries", "payment_providers")
    allowed_relations = ("countries", "payment_providers")
    allowed_fields = tuple(REGION_FIELDS)

    def get_queryset(self) -> QuerySet[Region]:
        with_deleted = any(key.startswith("deleted_at") for key in self.request.query_params)
        return selectors.region_qs_for_admin(
            with_deleted=with_deleted,
            with_providers="payment_providers" in self.resolved_relations(),
        )

    def get_detail_object(self, pk: str) -> Region:
        return selectors.region_get_for_admin(region_id=pk)

    def perform_create(self, data: dict[str, Any]) -> Region:
        return services.region_create(**data)

    def get_update_target(self, pk: str) -> Region:
        return services.region_get(region_id=pk)

    def perform_update(self, target: Region, data: dict[str, Any]) -> None:
        services.region_update(region=target, **data)

    def perform_destroy(self, pk: str) -> None:
        services.region_delete(region_id=pk)


# ---- SHIPPING OPTIONS ----


@contract_schema(
    list=operation("List shipping options", errors=(400, 401)),
    retrieve=operation("Get a shipping option", errors=(401, 404)),
    create=operation(
        "Create a flat-rate shipping option in a region",
        errors=(400, 401, 404),
        description="The provider is the built-in `manual` one; `price_type` is `flat_rate`.",
    ),
    partial_update=operation("Update a shipping option", errors=(400, 401, 404)),
    destroy=operation("Delete a shipping option (soft; idempotent)", errors=(401,)),
)
class AdminShippingOptionViewSet(ContractModelViewSet):
    envelope_singular, envelope_plural, delete_object_name = (
        "shipping_option",
        "shipping_options",
        "shipping-option",
    )
    default_limit = 50
    serializer_class = AdminShippingOptionSerializer
    create_input_serializer_class = AdminShippingOptionCreateInputSerializer
    update_input_serializer_class = AdminShippingOptionUpdateInputSerializer
    detail_context = {"relations": None}  # a detail has its region, whatever `expand` says
    filterset_class = AdminShippingOptionFilter
    default_relations = ("region",)
    allowed_relations = ("region",)
    allowed_fields = tuple(SHIPPING_OPTION_FIELDS)

    def get_queryset(self) -> QuerySet[ShippingOption]:
        return selectors.shipping_option_qs_for_admin(
            with_region="region" in self.resolved_relations()
        )

    def get_detail_object(self, pk: str) -> ShippingOption:
        return selectors.shipping_option_get_for_admin(option_id=pk)

    def perform_create(self, data: dict[str, Any]) -> ShippingOption:
        data.pop("provider_id", None)  # only `manual` is accepted, and the service sets it
        data.pop("price_type", None)  # only `flat_rate` is accepted, the model's default
        region = services.region_get(region_id=data.pop("region_id"))
        return services.shipping_option_create(region=region, **data)

    def get_update_target(self, pk: str) -> ShippingOption:
        return services.shipping_option_get(option_id=pk)

    def perform_update(self, target: ShippingOption, data: dict[str, Any]) -> None:
        services.shipping_option_update(option=target, **data)

    def perform_destroy(self, pk: str) -> None:
        services.shipping_option_delete(option_id=pk)
