"""Store output serializers for the kernel's models: shipping options, and the inputs of addresses.

Regions and addresses render alike in both APIs: commerce.api.serializers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from rest_framework import serializers

from commerce.api.serializers import (
    SHIPPING_OPTION_FIELDS,
    ContractModelSerializer,
    MetadataField,
    StrictCharField,
    StrictInputSerializer,
)
from commerce.models import ShippingOption
from commerce.money import tax_amount


class ShippingOptionSerializer(ContractModelSerializer):
    price_type = serializers.CharField(read_only=True, help_text="Always `flat_rate` here.")

    class Meta:
        model = ShippingOption
        fields = SHIPPING_OPTION_FIELDS


class ShippingOptionWithTaxSerializer(ShippingOptionSerializer):
    """A shipping option offered to a shopper, with the tax its region adds.

    The rate is the context's `tax_rate` (a cart's region), else the option's own region's.
    """

    price_incl_tax = serializers.SerializerMethodField()
    tax_amount = serializers.SerializerMethodField()

    class Meta:
        model = ShippingOption
        fields = [*SHIPPING_OPTION_FIELDS, "price_incl_tax", "tax_amount"]

    def get_tax_amount(self, option: ShippingOption) -> int:
        rate = self.context.get("tax_rate")
        if rate is None:
            rate = option.region.tax_rate
        return tax_amount(amount=option.amount, rate_percent=rate)

    def get_price_incl_tax(self, option: ShippingOption) -> int:
        return option.amount + self.get_tax_amount(option)


# ---- INPUT (shared by the store's carts and customers) ----


class EmailInputField(StrictCharField):
    """An email address of at most 254 characters (RFC 5321's limit, as Django's EmailField)."""

    default_error_messages = {
        **StrictCharField.default_error_messages,
        "invalid_email": "must be an email",
        "invalid": "must be an email",
        "required": "must be an email",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

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
