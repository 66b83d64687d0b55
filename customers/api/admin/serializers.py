"""Admin customer input and output. No output has a password field."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from commerce.api.serializers import (
    AddressSerializer,
    ContractModelSerializer,
    MetadataField,
    StrictInputSerializer,
)
from commerce.api.store.serializers import EmailInputField
from customers.api.store.serializers import (
    CUSTOMER_FIELDS,
    CustomerCreateInputSerializer,
    CustomerSummarySerializer,
    NameField,
    PasswordField,
    PhoneField,
)
from customers.models import Customer

# ---- INPUT ----


class AdminCustomerCreateInputSerializer(CustomerCreateInputSerializer):
    pass


class AdminCustomerUpdateInputSerializer(StrictInputSerializer):
    email = EmailInputField(required=False)
    first_name = NameField(required=False)
    last_name = NameField(required=False)
    phone = PhoneField()
    password = PasswordField(required=False)
    metadata = MetadataField(required=False, allow_null=True)


# ---- OUTPUT ----


class AdminCustomerAddressSerializer(AddressSerializer):
    pass


class AdminOrderCustomerSerializer(CustomerSummarySerializer):
    """An order's customer (`expand=customer` on admin orders): the columns, no relations."""


CUSTOMER_RELATIONS = ["billing_address", "shipping_addresses", "orders"]


class AdminCustomerSerializer(ContractModelSerializer):
    """An admin customer. Relations come from the selector (`loaded_*`) when expanded."""

    billing_address = AdminCustomerAddressSerializer(read_only=True, allow_null=True)
    shipping_addresses = serializers.SerializerMethodField()
    orders = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [*CUSTOMER_FIELDS, *CUSTOMER_RELATIONS]
        relation_fields = CUSTOMER_RELATIONS

    def get_shipping_addresses(self, customer: Customer) -> list[dict[str, Any]]:
        return AdminCustomerAddressSerializer(
            customer.loaded_shipping_addresses,  # type: ignore[attr-defined]  # prefetched to this attribute by the selector
            many=True,
        ).data  # type: ignore[return-value]  # many=True: the stubs say ReturnDict, it is a ReturnList

    def get_orders(self, customer: Customer) -> list[dict[str, Any]]:
        render = self.context["render_orders"]
        return render(customer.loaded_orders)  # type: ignore[attr-defined]  # prefetched to this attribute by the selector
