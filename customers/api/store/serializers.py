"""Store customer input and output. No serializer here has a password field on its output side."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.api.serializers import (
    ADDRESS_FIELDS,
    AddressSerializer,
    ContractModelSerializer,
    MetadataField,
    StrictCharField,
    StrictInputSerializer,
)
from commerce.api.store.serializers import AddressInputSerializer, EmailInputField
from commerce.models import Address
from customers.models import Customer

# ---- INPUT ----

# The rules of a customer's own fields, for the store's and the admin's inputs alike (the email's
# are EmailInputField's). Each input still lists the fields it takes, in its order, and which it
# requires: the order is its schema's.
PASSWORD_MAX_LENGTH = 128


class PasswordField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", PASSWORD_MAX_LENGTH)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)


class NameField(StrictCharField):
    """A customer's first or last name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        super().__init__(**kwargs)


class PhoneField(StrictCharField):
    """A customer's phone: optional, and may be null or empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)


class CustomerCreateInputSerializer(StrictInputSerializer):
    email = EmailInputField()
    password = PasswordField()
    first_name = NameField()
    last_name = NameField()
    phone = PhoneField()
    metadata = MetadataField(required=False, allow_null=True)


@extend_schema_field(
    {"oneOf": [{"type": "object"}, {"type": "string"}], "nullable": True},
)
class BillingAddressField(serializers.Field):
    """An address object, or the id of one of the customer's saved addresses (Medusa v1)."""

    default_error_messages = {"invalid": "must be an object or an address id"}

    def to_internal_value(self, data: Any) -> dict[str, Any] | str:
        if isinstance(data, str):
            if not data or len(data) > 64 or "\x00" in data:
                self.fail("invalid")
            return data
        if isinstance(data, dict):
            nested = AddressInputSerializer(data=data)
            nested.is_valid(raise_exception=True)
            return dict(nested.validated_data)
        self.fail("invalid")
        return {}  # pragma: no cover - fail() raises

    def to_representation(self, value: Any) -> Any:  # pragma: no cover - input only
        return value


class CustomerUpdateInputSerializer(StrictInputSerializer):
    first_name = NameField(required=False)
    last_name = NameField(required=False)
    email = EmailInputField(required=False)
    phone = PhoneField()
    password = PasswordField(required=False)
    billing_address = BillingAddressField(required=False, allow_null=True)
    metadata = MetadataField(required=False, allow_null=True)


class AuthInputSerializer(StrictInputSerializer):
    email = EmailInputField()
    password = PasswordField()


class NewAddressInputSerializer(AddressInputSerializer):
    """A saved address needs what a parcel needs, as Medusa's `AddressCreatePayload`."""

    first_name = StrictCharField(max_length=255)
    last_name = StrictCharField(max_length=255)
    address_1 = StrictCharField(max_length=255)
    city = StrictCharField(max_length=255)
    country_code = StrictCharField(max_length=2)
    postal_code = StrictCharField(max_length=32)


class CustomerAddressCreateInputSerializer(StrictInputSerializer):
    address = NewAddressInputSerializer()


class PasswordTokenInputSerializer(StrictInputSerializer):
    email = EmailInputField()


class PasswordResetInputSerializer(StrictInputSerializer):
    email = EmailInputField()
    token = StrictCharField(max_length=2048)
    password = PasswordField()


# ---- OUTPUT ----

CUSTOMER_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "email",
    "first_name",
    "last_name",
    "billing_address_id",
    "phone",
    "has_account",
    "metadata",
]
CUSTOMER_RELATIONS = ["shipping_addresses", "billing_address"]


class CustomerAddressSerializer(AddressSerializer):
    """A saved address, naming its customer (set in the context)."""

    customer_id = serializers.SerializerMethodField()

    class Meta:
        model = Address
        fields = [*ADDRESS_FIELDS[:3], "customer_id", *ADDRESS_FIELDS[3:]]

    def get_customer_id(self, address: Address) -> str | None:
        return self.context.get("customer_id")


class CustomerSummarySerializer(ContractModelSerializer):
    """A customer without relations (an order's `customer`)."""

    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS


class CustomerSerializer(ContractModelSerializer):
    """A store customer with addresses. Expects `customer_qs_with_addresses` loading."""

    billing_address = AddressSerializer(read_only=True, allow_null=True)
    shipping_addresses = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [*CUSTOMER_FIELDS, *CUSTOMER_RELATIONS]

    def get_shipping_addresses(self, customer: Customer) -> list[dict[str, Any]]:
        addresses = customer.loaded_shipping_addresses  # type: ignore[attr-defined]  # prefetched to this attribute by the selector
        return CustomerAddressSerializer(
            addresses, many=True, context={"customer_id": customer.pk}
        ).data  # type: ignore[return-value]  # many=True: the stubs say ReturnDict, it is a ReturnList
