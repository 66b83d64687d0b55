from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from commerce.api.mixins import EnvelopeMixin, ExpandMixin, PageReleaseMixin, with_parent_paths
from commerce.api.rendering import serialize, tree_shape
from commerce.api.schema import envelope, operation
from commerce.api.viewsets import contract_schema
from customers.api.admin.views import DEFAULT_RELATIONS as CUSTOMER_DEFAULT_RELATIONS
from customers.api.admin.views import AdminCustomerViewSet
from customers.models import Customer
from orders import selectors
from orders.api.admin.filters import AdminOrderFilter
from orders.api.admin.serializers import ORDER_FIELDS, ORDER_TOTALS, AdminOrderSerializer
from orders.models import Order
from saleschannels.scope import staff_scope

OrderEnvelope = envelope("AdminOrderResponse", AdminOrderSerializer, key="order")

_DEFAULT_RELATIONS = (
    "billing_address",
    "shipping_address",
    "items",
    "items.variant",
    "items.variant.product",
    "region",
    "sales_channel",
)
_ALLOWED_RELATIONS = (*_DEFAULT_RELATIONS, "payments", "customer")
_FIELDS_DOC = (
    "`fields`: as in Medusa, a list without any total "
    f"({', '.join(ORDER_TOTALS)}) also returns every total; a list naming some returns those."
)


@contract_schema(
    OrderEnvelope,
    list=operation(
        "List orders",
        errors=(400, 401),
        description=(
            "Newest first. Without `fields`, totals are left out of the list (as in Medusa); "
            "retrieve an order for its totals. "
        )
        + _FIELDS_DOC,
    ),
    retrieve=operation(
        "Get an order with its totals", errors=(400, 401, 404), description=_FIELDS_DOC
    ),
)
class AdminOrderViewSet(
    PageReleaseMixin, EnvelopeMixin, ExpandMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    envelope_singular, envelope_plural = "order", "orders"
    default_limit = 50
    serializer_class = AdminOrderSerializer
    filterset_class = AdminOrderFilter
    default_relations = _DEFAULT_RELATIONS
    allowed_relations = _ALLOWED_RELATIONS
    allowed_fields = (*ORDER_FIELDS, *ORDER_TOTALS)

    def resolved_relations(self) -> set[str]:
        return with_parent_paths(super().resolved_relations())

    def get_queryset(self) -> QuerySet[Order]:
        return selectors.order_qs_for_admin(
            relations=self.resolved_relations(), scope=staff_scope(self.request.user)
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        fields = context.get("fields")
        if fields is None:
            # Medusa's default list fields carry no totals; a retrieve always has them.
            if self.action == "list":
                context["fields"] = set(ORDER_FIELDS)
        elif not fields & set(ORDER_TOTALS):
            context["fields"] = fields | set(ORDER_TOTALS)
        context["item_totals"] = self.action == "retrieve"
        return context

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        selectors.order_page_load(page, relations=self.resolved_relations())
        context = self.get_serializer_context()
        # The tree's construction reads the fields, relations and item totals (`serialize`).
        shape = (tree_shape(context), context["item_totals"])
        data = serialize(AdminOrderSerializer, page, many=True, context=context, shape=shape)
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, pk: str) -> Response:
        order = selectors.order_get_for_admin(
            order_id=pk, relations=self.resolved_relations(), scope=staff_scope(request.user)
        )
        return self.envelope(self.get_serializer(order).data)


# ---- CUSTOMERS ----


class AdminCustomerWithOrdersViewSet(AdminCustomerViewSet):
    """`/admin/customers`, plus `expand=orders` (each customer's orders, newest first)."""

    # The customer routes are the customers app's; this app adds the orders relation, which
    # customers cannot know about (imports point left).

    allowed_relations = (*CUSTOMER_DEFAULT_RELATIONS, "orders")

    def get_queryset(self) -> QuerySet[Customer]:
        customers = super().get_queryset()
        if "orders" in self.resolved_relations():
            orders = selectors.order_qs_for_admin(
                relations=(), scope=staff_scope(self.request.user)
            ).order_by("-created_at", "-id")
            customers = customers.prefetch_related(
                Prefetch("orders", queryset=orders, to_attr="loaded_orders")
            )
        return customers

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["render_orders"] = self._render_orders
        return context

    def _render_orders(self, orders: list[Order]) -> list[dict[str, Any]]:
        return AdminOrderSerializer(
            orders, many=True, context={"relations": set(), "fields": None, "item_totals": False}
        ).data  # type: ignore[return-value]  # many=True: the stubs say ReturnDict, it is a ReturnList
