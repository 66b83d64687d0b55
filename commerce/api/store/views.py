"""Store surface plumbing and the store region routes."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from commerce.api.mixins import APIViewHost
from commerce.api.schema import operation
from commerce.api.serializers import REGION_FIELDS, RegionSerializer
from commerce.api.store.filters import RegionFilter
from commerce.api.viewsets import ContractViewSet, contract_schema
from commerce.exceptions import InvalidData
from commerce.models import PaymentProvider, Region
from commerce.services import region_get

PUBLISHABLE_KEY_PARAMETER = OpenApiParameter(
    "x-publishable-api-key",
    str,
    OpenApiParameter.HEADER,
    description=(
        "Publishable API key (`pk_…`). Scopes the request to the key's sales channels; an unknown "
        "or revoked key, or a key without channels, is refused with 400."
    ),
)


class StoreMixin(APIViewHost):
    """Store routes are anonymous: no session (so no CSRF) and no staff token.

    Medusa v1 treats knowing a cart id as the capability to act on that cart.
    """

    authentication_classes = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        for name, value in kwargs.items():
            if isinstance(value, str) and "\x00" in value:
                # No id has one, and PostgreSQL cannot even compare such text.
                label = "id" if name == "pk" else name
                raise InvalidData(f"{label} must not contain null characters")
        super().initial(request, *args, **kwargs)


def _payment_providers() -> Prefetch:
    return Prefetch("payment_providers", queryset=PaymentProvider.objects.order_by("id"))


@contract_schema(
    list=operation("List regions", errors=(400,)),
    retrieve=operation("Get a region", errors=(400, 404)),
)
class RegionViewSet(StoreMixin, ContractViewSet):
    envelope_singular, envelope_plural = "region", "regions"
    default_limit = 100
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    default_relations = ("countries", "payment_providers")
    allowed_relations = ("countries", "payment_providers")
    allowed_fields = tuple(REGION_FIELDS)

    def get_queryset(self) -> QuerySet[Region]:
        regions = Region.objects.all()
        if "payment_providers" in self.resolved_relations():
            regions = regions.prefetch_related(_payment_providers())
        return regions

    def get_detail_object(self, pk: str) -> Region:
        region = region_get(region_id=pk)
        if "payment_providers" in self.resolved_relations():
            prefetch_related_objects([region], _payment_providers())
        return region
