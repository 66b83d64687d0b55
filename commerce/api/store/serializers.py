"""Store output serializers for the kernel's models: regions, addresses, shipping options."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce import services
from commerce.api.serializers import (
    ContractModelSerializer,
    CountrySerializer,
    MetadataField,
    StrictCharField,
    StrictInputSerializer,
    region_countries,
)
from commerce.models import Address, PaymentProvider, Region, ShippingOption
from commerce.money import tax_amount

REGION_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "name",
    "currency_code",
    "tax_rate",
    "tax_code",
    "automatic_taxes",
    "includes_tax",
    "metadata",
]


def rate_number(value: Decimal | None) -> int | float | None:
    """Return a percentage as a JSON number, as Medusa prints it: 25 → 25, 12.5 → 12.5."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@extend_schema_field(OpenApiTypes.NUMBER)
class RateField(serializers.Field):
    """A tax rate in percent, rendered as a number (not DRF's decimal string)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Decimal) -> int | float | None:
        return rate_number(value)


class PaymentProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentProvider
        fields = ["id", "is_installed"]
        read_only_fields = fields


class RegionSummarySerializer(ContractModelSerializer):
    """A region's own columns, as an order or a nested object shows it."""

    tax_rate = RateField()

    class Meta:
        model = Region
        fields = REGION_FIELDS
        read_only_fields = fields


class RegionSerializer(RegionSummarySerializer):
    countries = serializers.SerializerMethodField()
    payment_providers = PaymentProviderSerializer(many=True, read_only=True)

    class Meta:
        model = Region
        fields = [*REGION_FIELDS, "countries", "payment_providers"]
        read_only_fields = fields
        relation_fields = ["countries", "payment_providers"]

    @extend_schema_field(CountrySerializer(many=True))
    def get_countries(self, region: Region) -> list[dict[str, Any]]:
        return region_countries(region)


ADDRESS_FIELDS = ["id", "created_at", "updated_at", *services.ADDRESS_FIELDS]


class AddressSerializer(ContractModelSerializer):
    class Meta:
        model = Address
        fields = ADDRESS_FIELDS
        read_only_fields = fields


SHIPPING_OPTION_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "name",
    "region_id",
    "provider_id",
    "price_type",
    "amount",
    "is_return",
    "admin_only",
    "data",
    "metadata",
]


class ShippingOptionSerializer(ContractModelSerializer):
    price_type = serializers.CharField(read_only=True, help_text="Always `flat_rate` here.")

    class Meta:
        model = ShippingOption
        fields = SHIPPING_OPTION_FIELDS
        read_only_fields = fields


class ShippingOptionWithTaxSerializer(ShippingOptionSerializer):
    """A shipping option offered to a shopper, with the tax its region adds.

    The rate is the context's `tax_rate` (a cart's region), else the option's own region's.
    """

    price_incl_tax = serializers.SerializerMethodField()
    tax_amount = serializers.SerializerMethodField()

    class Meta:
        model = ShippingOption
        fields = [*SHIPPING_OPTION_FIELDS, "price_incl_tax", "tax_amount"]
        read_only_fields = fields

    def get_tax_amount(self, option: ShippingOption) -> int:
        rate = self.context.get("tax_rate")
        if rate is None:
            rate = option.region.tax_rate
        return tax_amount(amount=option.amount, rate_percent=rate)

    def get_price_incl_tax(self, option: ShippingOption) -> int:
        return option.amount + self.get_tax_amount(option)


# ---- INPUT (shared by the store's carts and customers) ----


class EmailInputField(StrictCharField):
    default_error_messages = {
        **StrictCharField.default_error_messages,
        "invalid_email": "must be an email",
        "invalid": "must be an email",
        "required": "must be an email",
    }

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            validate_email(value)
        except DjangoValidationError:
            self.fail("invalid_email")
        return value


class AddressInputSerializer(StrictInputSerializer):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError("must be an object")
        return super().to_internal_value(data)

    first_name = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=255)
    last_name = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=255)
    company = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=255)
    address_1 = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=255)
    address_2 = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=255)
    city = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=255)
    country_code = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=2)
    province = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=255)
    postal_code = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=32)
    phone = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=64)
    metadata = MetadataField(required=False, allow_null=True)
