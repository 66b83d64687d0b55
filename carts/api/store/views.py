from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_serializer,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carts import selectors, services
from carts.api.store.serializers import (
    CartCreateInputSerializer,
    CartSerializer,
    CartUpdateInputSerializer,
    LineItemCreateInputSerializer,
    LineItemUpdateInputSerializer,
    PaymentSessionSelectInputSerializer,
    ShippingMethodInputSerializer,
)
from carts.models import Cart
from carts.services import ItemInput
from commerce.api.mixins import APIViewHost
from commerce.api.query import parse_query
from commerce.api.rendering import serialize
from commerce.api.schema import Operation, envelope, operation
from commerce.api.store.serializers import ShippingOptionWithTaxSerializer
from commerce.api.store.views import PUBLISHABLE_KEY_PARAMETER, StoreMixin
from customers.api.store.auth import request_customer
from saleschannels.api.store.scope import request_key_scope

CartEnvelope = envelope("StoreCartResponse", CartSerializer, key="cart")
CART_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description="The cart id.")
LINE_ID = OpenApiParameter("line_id", str, OpenApiParameter.PATH, description="The line item id.")


def cart_write(
    summary: str, *, request: Any, description: str | None = None, parameters: Any = (CART_ID,)
) -> Operation:
    """Describe a cart route that answers the cart: 200, or 400/404 errors."""
    return operation(
        summary,
        errors=(400, 404),
        description=description,
        parameters=list(parameters),
        request=request,
        answer=CartEnvelope,
    )


class CartOwnerMixin(APIViewHost):
    """Cart routes: a cart of a customer account answers only to that customer (see docs/customers.md)."""

    cart_id_kwarg = "pk"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        cart_id = kwargs.get(self.cart_id_kwarg)
        if cart_id is not None:
            customer = request_customer(request)
            selectors.cart_access_check(
                cart_id=cart_id, customer_id=customer.pk if customer else None
            )


@extend_schema_view(
    create=cart_write(
        "Create a cart",
        description=(
            "The cart's sales channel is `sales_channel_id`, else the publishable key's single "
            "channel, else the store's default channel. Disabled channels are refused; `items` "
            "must be products of that channel."
        ),
        parameters=[PUBLISHABLE_KEY_PARAMETER],
        request=CartCreateInputSerializer,
    ),
    retrieve=operation("Get a cart", errors=(404,), parameters=[CART_ID], answer=CartEnvelope),
    partial_update=cart_write(
        "Update a cart",
        description=(
            "Moving the cart to another sales channel drops the items that channel does not sell. "
            "`discounts: [{code}]` and `gift_cards: [{code}]` apply codes; none exist yet, so a "
            "code is a 404 naming it and nothing changes."
        ),
        request=CartUpdateInputSerializer,
    ),
    line_items=cart_write(
        "Add a line item (merged with a line of the same variant)",
        request=LineItemCreateInputSerializer,
    ),
    shipping_methods=cart_write(
        "Set the cart's shipping method", request=ShippingMethodInputSerializer
    ),
    payment_sessions=cart_write(
        "Create a payment session for each payment provider of the cart's region", request=None
    ),
    payment_session=cart_write(
        "Select the payment provider (`manual`)", request=PaymentSessionSelectInputSerializer
    ),
)
class CartViewSet(StoreMixin, CartOwnerMixin, viewsets.GenericViewSet):
    """Store carts: as in Medusa v1, knowing a cart's id lets a client read and change it.

    A cart of a customer account answers only that customer, signed in (404 to anyone else).
    """

    # Each write validates its input and calls one service; the cart is rendered from what the
    # service holds (create, line item add) or read again.

    serializer_class = CartSerializer

    def _render(self, cart_id: str) -> Response:
        return self._render_loaded(selectors.cart_get_for_store(cart_id=cart_id))

    def _render_loaded(self, cart: Cart) -> Response:
        # A cart's fields do not depend on its context: one tree per thread (`serialize`).
        return Response(
            {"cart": serialize(CartSerializer, cart, context={"request": self.request})}
        )

    def _render_written(self, cart: Cart) -> Response:
        """Render a cart a service has just written, from what it holds (no second read of it)."""
        return self._render_loaded(selectors.cart_loaded_for_store(cart=cart))

    def _payload(self, serializer_class: type, request: Request) -> dict[str, Any]:
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    def create(self, request: Request) -> Response:
        data = self._payload(CartCreateInputSerializer, request)
        # As Medusa: the request's address and user agent, under what the storefront sent.
        context = {
            "ip": request.META.get("REMOTE_ADDR"),
            "user_agent": request.headers.get("user-agent"),
            **(data.get("context") or {}),
        }
        country_code = data.get("country_code")
        cart = services.cart_create(
            region_id=data.get("region_id"),
            sales_channel_id=data.get("sales_channel_id"),
            key_scope=request_key_scope(request),
            email=data.get("email"),
            customer=request_customer(request),
            items=[ItemInput(i["variant_id"], i["quantity"]) for i in data.get("items", [])],
            shipping_address={"country_code": country_code} if country_code else None,
            context=context,
        )
        return self._render_written(cart)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._render(pk)

    def partial_update(self, request: Request, pk: str) -> Response:
        data = self._payload(CartUpdateInputSerializer, request)
        cart = services.cart_update(cart_id=pk, customer=request_customer(request), **data)
        return self._render(cart.pk)

    @action(detail=True, methods=["post"], url_path="line-items")
    def line_items(self, request: Request, pk: str) -> Response:
        data = self._payload(LineItemCreateInputSerializer, request)
        cart = services.cart_line_items_add(
            cart_id=pk, items=[ItemInput(data["variant_id"], data["quantity"])]
        )
        return self._render_written(cart)

    @cart_write(
        "Change a line item's quantity (0 removes it)",
        parameters=[CART_ID, LINE_ID],
        request=LineItemUpdateInputSerializer,
    )
    def line_item_update(self, request: Request, pk: str, line_id: str) -> Response:
        data = self._payload(LineItemUpdateInputSerializer, request)
        services.cart_line_item_update(cart_id=pk, line_id=line_id, quantity=data["quantity"])
        return self._render(pk)

    @cart_write("Remove a line item", parameters=[CART_ID, LINE_ID], request=None)
    def line_item_delete(self, request: Request, pk: str, line_id: str) -> Response:
        services.cart_line_item_delete(cart_id=pk, line_id=line_id)
        return self._render(pk)

    @cart_write(
        "Remove a discount code from the cart",
        description="A code the cart does not carry changes nothing; the cart is answered as it is (as Medusa).",
        parameters=[
            CART_ID,
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="The discount code."),
        ],
        request=None,
    )
    def discount_delete(self, request: Request, pk: str, code: str) -> Response:
        services.cart_discount_remove(cart_id=pk, code=code)
        return self._render(pk)

    @action(detail=True, methods=["post"], url_path="shipping-methods")
    def shipping_methods(self, request: Request, pk: str) -> Response:
        data = self._payload(ShippingMethodInputSerializer, request)
        services.cart_shipping_method_add(
            cart_id=pk, option_id=data["option_id"], data=data.get("data")
        )
        return self._render(pk)

    @action(detail=True, methods=["post"], url_path="payment-sessions")
    def payment_sessions(self, request: Request, pk: str) -> Response:
        services.cart_payment_sessions_create(cart_id=pk)
        return self._render(pk)

    @action(detail=True, methods=["post"], url_path="payment-session")
    def payment_session(self, request: Request, pk: str) -> Response:
        data = self._payload(PaymentSessionSelectInputSerializer, request)
        services.cart_payment_session_select(cart_id=pk, provider_id=data["provider_id"])
        return self._render(pk)


@extend_schema_serializer(many=False)  # a list action, but not a paginated array
class StoreShippingOptionsListResponseSerializer(serializers.Serializer):
    shipping_options = ShippingOptionWithTaxSerializer(many=True)


ShippingOptionsResponse = inline_serializer(
    name="StoreCartShippingOptionsResponse",
    fields={"shipping_options": ShippingOptionWithTaxSerializer(many=True)},
)


@extend_schema_view(
    list=operation(
        "List shipping options (of a region, returns or not, for products)",
        errors=(400,),
        description=(
            "Medusa v1's list form: never admin-only options. `region_id` narrows to a region, "
            "`is_return` (`true`/`false`) to return or outbound options, `product_ids` (comma "
            "list) to options that can ship those products."
        ),
        parameters=[
            OpenApiParameter("region_id", str, description="Only this region's options."),
            OpenApiParameter("is_return", bool, description="`true` or `false`."),
            OpenApiParameter("product_ids", str, description="Comma list of product ids."),
        ],
        answer=StoreShippingOptionsListResponseSerializer,
    ),
    retrieve=operation(
        "List the shipping options a cart can use",
        errors=(404,),
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="The cart id.")],
        answer=ShippingOptionsResponse,
    ),
)
class CartShippingOptionViewSet(StoreMixin, CartOwnerMixin, viewsets.GenericViewSet):
    """`GET /store/shipping-options[?region_id=…]` and `GET /store/shipping-options/{cart_id}`."""

    serializer_class = ShippingOptionWithTaxSerializer
    pagination_class = None
    filter_backends: list = []  # the list parses its own three params (Medusa's, not a FilterSet)

    def list(self, request: Request) -> Response:
        query = parse_query(
            request, scalar_params={"region_id", "is_return"}, array_params={"product_ids"}
        )
        is_return = query.scalars.get("is_return")
        if is_return is not None and is_return not in ("true", "false"):
            raise ValidationError({"is_return": ["is_return must be a boolean string"]})
        options = selectors.shipping_options_for_store(
            region_id=query.scalars.get("region_id"),
            is_return=None if is_return is None else is_return == "true",
            product_ids=query.arrays.get("product_ids"),
        )
        serializer = ShippingOptionWithTaxSerializer(options, many=True)
        return Response({"shipping_options": serializer.data})

    def retrieve(self, request: Request, pk: str) -> Response:
        cart = selectors.cart_get(cart_id=pk)
        options = services.shipping_options_for_cart(cart=cart)
        serializer = ShippingOptionWithTaxSerializer(
            options, many=True, context={"tax_rate": cart.region.tax_rate}
        )
        return Response({"shipping_options": serializer.data})
