from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce import permissions, selectors

# The region list's columns, which the admin views import from here.
from commerce.api.serializers import (
    SHIPPING_OPTION_FIELDS,
    ChoiceInputField,
    ContractModelSerializer,
    MetadataField,
    MillisecondDateTimeField,
    PaymentProviderSerializer,
    RegionSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictCharListField,
    StrictInputSerializer,
    StrictIntegerField,
    type_errors,
)
from commerce.models import ShippingOption, ShippingOptionPriceType, User
from commerce.services import MANUAL_PROVIDER_ID

# ---- AUTH ----


class AdminUserSerializer(serializers.Serializer):
    """The signed-in user as Medusa prints it. `api_token` is always null: tokens are never shown."""

    id = serializers.CharField()
    created_at = MillisecondDateTimeField()
    updated_at = MillisecondDateTimeField()
    deleted_at = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()
    email = serializers.EmailField()
    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    api_token = serializers.SerializerMethodField()
    metadata = serializers.JSONField(allow_null=True)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_deleted_at(self, user: User) -> None:
        return None  # users are never soft-deleted here

    @extend_schema_field(serializers.ChoiceField(choices=permissions.ROLES))
    def get_role(self, user: User) -> str:
        return selectors.user_role(user)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_first_name(self, user: User) -> str | None:
        return user.first_name or None  # Medusa prints an unset name as null

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_last_name(self, user: User) -> str | None:
        return user.last_name or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_api_token(self, user: User) -> None:
        return None


class AdminAuthInputSerializer(StrictInputSerializer):
    email = StrictCharField(max_length=254)
    password = StrictCharField(max_length=4096, trim_whitespace=False)


# ---- REGIONS ----


@extend_schema_field(OpenApiTypes.NUMBER)
class StrictNumberField(serializers.Field):
    """A JSON number (integer or float, not a string or boolean), returned as a Decimal."""

    default_error_messages = {
        **type_errors("must be a number conforming to the specified constraints"),
        "min_value": "must not be less than {min_value}",
        "max_value": "must not be greater than {max_value}",
        "max_decimal_places": "must have at most {max_decimal_places} decimal places",
    }

    def __init__(
        self, *, min_value: int, max_value: int, max_decimal_places: int, **kwargs: Any
    ) -> None:
        self.min_value, self.max_value = min_value, max_value
        self.max_decimal_places = max_decimal_places
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        value = Decimal(str(data))
        if not value.is_finite():
            self.fail("invalid")
        if value < self.min_value:
            self.fail("min_value", min_value=self.min_value)
        if value > self.max_value:
            self.fail("max_value", max_value=self.max_value)
        if -value.as_tuple().exponent > self.max_decimal_places:  # type: ignore[operator]  # a finite Decimal: the exponent is an int
            self.fail("max_decimal_places", max_decimal_places=self.max_decimal_places)
        return value

    def to_representation(self, value: Any) -> Any:
        return value


class AdminPaymentProviderSerializer(PaymentProviderSerializer):
    pass


class AdminRegionSerializer(RegionSerializer):
    payment_providers = AdminPaymentProviderSerializer(many=True, read_only=True)


class AdminRegionCreateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255)
    currency_code = StrictCharField(max_length=3)
    tax_rate = StrictNumberField(min_value=0, max_value=100, max_decimal_places=2, required=False)
    tax_code = StrictCharField(max_length=50, required=False, allow_null=True)
    countries = StrictCharListField(item_max_length=2, required=False)
    payment_providers = StrictCharListField(item_max_length=50, required=False)
    automatic_taxes = StrictBooleanField(required=False)
    includes_tax = StrictBooleanField(required=False)
    metadata = MetadataField(required=False, allow_null=True)


class AdminRegionUpdateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255, required=False)
    currency_code = StrictCharField(max_length=3, required=False)
    tax_rate = StrictNumberField(min_value=0, max_value=100, max_decimal_places=2, required=False)
    tax_code = StrictCharField(max_length=50, required=False)
    countries = StrictCharListField(item_max_length=2, required=False)
    payment_providers = StrictCharListField(item_max_length=50, required=False)
    automatic_taxes = StrictBooleanField(required=False)
    includes_tax = StrictBooleanField(required=False)
    metadata = MetadataField(required=False)


# ---- SHIPPING OPTIONS ----

# The largest integer every JSON client (JavaScript included) reads exactly; far above any price.
MAX_AMOUNT = 2**53 - 1


class AdminShippingOptionSerializer(ContractModelSerializer):
    region_id = serializers.CharField(read_only=True)
    provider_id = serializers.CharField(read_only=True, allow_null=True)
    region = AdminRegionSerializer(read_only=True)

    class Meta:
        model = ShippingOption
        fields = [*SHIPPING_OPTION_FIELDS, "region"]
        relation_fields = ["region"]


class AdminShippingOptionCreateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255)
    region_id = StrictCharField(max_length=64)
    amount = StrictIntegerField(min_value=0, max_value=MAX_AMOUNT)
    provider_id = ChoiceInputField(choices=[MANUAL_PROVIDER_ID], required=False)
    price_type = ChoiceInputField(choices=ShippingOptionPriceType.values, required=False)
    is_return = StrictBooleanField(required=False)
    admin_only = StrictBooleanField(required=False)
    data = MetadataField(required=False)  # type: ignore[assignment]  # a body field, not the Serializer attribute
    metadata = MetadataField(required=False, allow_null=True)


class AdminShippingOptionUpdateInputSerializer(StrictInputSerializer):
    name = StrictCharField(max_length=255, required=False)
    amount = StrictIntegerField(min_value=0, max_value=MAX_AMOUNT, required=False)
    admin_only = StrictBooleanField(required=False)
    data = MetadataField(required=False)  # type: ignore[assignment]  # a body field, not the Serializer attribute
    metadata = MetadataField(required=False)
