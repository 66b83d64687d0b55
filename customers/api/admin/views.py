"""Admin customers: list, retrieve, create, update (Medusa v1 `/admin/customers`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from commerce.api.mixins import PageReleaseMixin
from commerce.api.schema import operation
from commerce.api.viewsets import (
    ContractCreateMixin,
    ContractUpdateMixin,
    ContractViewSet,
    contract_schema,
)
from customers import selectors, services
from customers.api.admin.filters import AdminCustomerFilter
from customers.api.admin.serializers import (
    AdminCustomerCreateInputSerializer,
    AdminCustomerSerializer,
    AdminCustomerUpdateInputSerializer,
)
from customers.api.store.serializers import CUSTOMER_FIELDS
from customers.exceptions import CustomerNotFound
from customers.models import Customer
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, staff_scope

DEFAULT_RELATIONS = ("billing_address", "shipping_addresses")


@contract_schema(
    list=operation("List customers", errors=(400, 401)),
    retrieve=operation("Get a customer", errors=(401, 404)),
    create=operation("Create a customer account", errors=(400, 401, 422)),
    partial_update=operation("Update a customer", errors=(400, 401, 404, 422)),
)
class AdminCustomerViewSet(
    PageReleaseMixin, ContractCreateMixin, ContractUpdateMixin, ContractViewSet
):
    envelope_singular, envelope_plural = "customer", "customers"
    default_limit = 50
    serializer_class = AdminCustomerSerializer
    create_input_serializer_class = AdminCustomerCreateInputSerializer
    update_input_serializer_class = AdminCustomerUpdateInputSerializer
    not_found_error = CustomerNotFound
    filterset_class = AdminCustomerFilter
    default_relations = DEFAULT_RELATIONS
    allowed_relations: tuple[str, ...] = DEFAULT_RELATIONS
    allowed_fields = tuple(CUSTOMER_FIELDS)

    def get_queryset(self) -> QuerySet[Customer]:
        return selectors.customer_qs_for_admin(
            relations=self.resolved_relations(), scope=self.customer_scope()
        )

    def customer_scope(self) -> ChannelScope:
        """Return the user's channel scope (a create answers with the new customer regardless).

        Accounts are shared by every channel, so a scoped user may create one (it has no orders
        or carts yet, so they will not list it until it shops in one of their channels).
        """
        if self.action == "create":
            return EVERY_CHANNEL
        return staff_scope(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context.setdefault("relations", self.resolved_relations())
        return context

    def perform_create(self, data: dict[str, Any]) -> Customer:
        return services.customer_create(**data)

    def perform_update(self, target: str, data: dict[str, Any]) -> None:
        services.customer_update(customer_id=target, scope=staff_scope(self.request.user), **data)
