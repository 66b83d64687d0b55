from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from carts.api.store.views import CartOwnerMixin
from commerce.api.filters import view_query
from commerce.api.mixins import EnvelopeMixin, ExpandMixin, PageReleaseMixin
from commerce.api.query import parse_query
from commerce.api.schema import Operation, envelope, operation
from commerce.api.store.views import StoreMixin
from customers.api.store.auth import request_customer, request_customer_required
from orders import selectors, services
from orders.api.store.filters import CustomerOrderFilter
from orders.api.store.serializers import (
    ORDER_FIELDS,
    ORDER_TOTALS,
    OrderLookupQuerySerializer,
    OrderSerializer,
)
from orders.exceptions import IdempotencyKeyTooLong, IdempotencyKeyWithNullCharacters
from orders.models import Order
from saleschannels.api.store.scope import store_channel_ids

IDEMPOTENCY_HEADER = "Idempotency-Key"
DEFAULT_RELATIONS = (
    "shipping_address",
    "items",
    "region",
    "shipping_methods",
    "payments",
    "discounts",
    "gift_cards",
)
ALLOWED_RELATIONS = (
    *DEFAULT_RELATIONS,
    "items.variant",
    "billing_address",
    "sales_channel",
    "customer",
)


class StoreOrderReadMixin(StoreMixin, EnvelopeMixin, ExpandMixin):
    envelope_singular = "order"
    serializer_class = OrderSerializer
    default_relations = DEFAULT_RELATIONS
    allowed_relations = ALLOWED_RELATIONS
    allowed_fields = ("object", *ORDER_FIELDS, *ORDER_TOTALS)

    def store_relations(self) -> set[str]:
        return {name.split(".")[0] for name in self.resolved_relations()}

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["relations"] = self.store_relations()
        return context

    def render(self, order: Order) -> Response:
        return self.envelope(self.get_serializer(order).data)

    def render_found(self, read: Callable[..., Order], **lookup: str) -> Response:
        """`{order}` of the order `read(**lookup)` finds for this viewer; only the standard params."""
        parse_query(self.request, scalar_params=set())
        return self.render(
            read(**lookup, relations=self.store_relations(), customer_id=self.viewer_id())
        )

    def viewer_id(self) -> str | None:
        """Return the signed-in customer id: orders of an account are found only for their owner."""
        customer = request_customer(self.request)
        return customer.pk if customer is not None else None


OrderEnvelope = envelope("StoreOrderResponse", OrderSerializer, key="order")


def order_by_path_id(summary: str, name: str, description: str) -> Operation:
    """Return the `operation()` of a read of one order by an id in its path (`name`)."""
    return operation(
        summary,
        errors=(400, 404),
        parameters=[OpenApiParameter(name, str, OpenApiParameter.PATH, description=description)],
        answer=OrderEnvelope,
    )


class OrderViewSet(StoreOrderReadMixin, viewsets.GenericViewSet):
    """Store order reads. As in Medusa v1, knowing an order's (or its cart's) id is the capability."""

    @operation(
        "Look up an order by its display id and email",
        errors=(400, 404),
        parameters=[
            OpenApiParameter("display_id", int, required=True),
            OpenApiParameter("email", str, required=True),
        ],
        answer=OrderEnvelope,
    )
    def lookup(self, request: Request) -> Response:
        query = parse_query(request, scalar_params={"display_id", "email"})
        lookup = OrderLookupQuerySerializer(data=query.scalars)
        lookup.is_valid(raise_exception=True)
        order = selectors.order_lookup_for_store(
            display_id=lookup.validated_data["display_id"],
            email=lookup.validated_data["email"],
            relations=self.store_relations(),
            customer_id=self.viewer_id(),
        )
        return self.render(order)

    @order_by_path_id("Get an order", "id", "The order id.")
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render_found(selectors.order_get_for_store, order_id=pk)

    @order_by_path_id("Get the order placed from a cart", "cart_id", "The cart id.")
    def cart(self, request: Request, cart_id: str) -> Response:
        return self.render_found(selectors.order_get_for_store_by_cart, cart_id=cart_id)


CompletionResponse = inline_serializer(
    name="StoreCartCompleteResponse",
    fields={"type": serializers.CharField(), "data": OrderSerializer()},
)


class CartCompletionViewSet(StoreOrderReadMixin, CartOwnerMixin, viewsets.GenericViewSet):
    """POST /store/carts/{id}/complete. It lives in `orders` because it calls an `orders` service."""

    max_idempotency_key_length: int = Order._meta.get_field("idempotency_key").max_length  # type: ignore[assignment]  # a CharField: set

    @operation(
        "Complete a cart: place its order",
        errors=(400, 404, 409),
        description=(
            'Answers `{type: "order", data: order}`. Idempotent: completing a completed cart, '
            "or repeating an `Idempotency-Key`, returns the same order. Refused (400) when the "
            "cart lacks items, an email, a shipping method or a selected payment session, or "
            "when one of its products is no longer in the cart's sales channel."
        ),
        parameters=[
            OpenApiParameter("id", str, OpenApiParameter.PATH, description="The cart id."),
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                description="Replays of the same key return the order of the first call.",
            ),
        ],
        request=None,
        answer=CompletionResponse,
    )
    def complete(self, request: Request, pk: str) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER) or None
        if key is not None and len(key) > self.max_idempotency_key_length:
            raise IdempotencyKeyTooLong(self.max_idempotency_key_length)
        if key is not None and "\x00" in key:
            raise IdempotencyKeyWithNullCharacters()
        order = services.cart_complete(cart_id=pk, idempotency_key=key)
        relations = set(DEFAULT_RELATIONS)
        order = selectors.order_get_for_store(
            order_id=order.pk, relations=relations, customer_id=self.viewer_id()
        )
        data = OrderSerializer(order, context={"relations": relations, "request": request}).data
        response = Response({"type": "order", "data": data})
        if key is not None:
            response[IDEMPOTENCY_HEADER] = key
        return response


@operation(
    "The signed-in customer's orders",
    errors=(400, 401),
    description=(
        "Newest first. Only the orders placed in the request's sales channels: the publishable "
        "key's, else `sales_channel_id`, else the store's default channel. One account works in "
        "every channel; each storefront shows its own orders."
    ),
    answer=OrderSerializer(many=True),
)
class CustomerOrderViewSet(
    PageReleaseMixin, StoreOrderReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """`GET /store/customers/me/orders` (`limit`, `offset`, Medusa's order filters)."""

    envelope_plural = "orders"
    default_limit = 10
    filterset_class = CustomerOrderFilter

    def get_queryset(self) -> QuerySet[Order]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no customer
            return Order.objects.none()
        customer = request_customer_required(self.request)
        requested = view_query(self.request, self).arrays.get("sales_channel_id")
        return selectors.order_qs_for_customer(
            customer_id=customer.pk,
            sales_channel_ids=store_channel_ids(self.request, requested=requested),
            relations=self.store_relations(),
        )
