from typing import Any

from django import forms
from django_filters import rest_framework as filters

from commerce.api.filters import (
    CharInFilter,
    ContractFilterSet,
    ContractOrderingFilter,
    SearchFilter,
    date_fields,
)
from commerce.models import Region, ShippingOption


class BooleanStringField(forms.Field):
    """`true` or `false` in a query string; anything else is a 400 (not silently ignored)."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError("must be a boolean value")


class BooleanStringFilter(filters.Filter):
    field_class = BooleanStringField


class AdminRegionFilter(ContractFilterSet):
    q = SearchFilter(
        fields=("name", "=currency_code"), help_text="Name contains, or currency code equals."
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "name", "currency_code", "id"), default=("-created_at",)
    )

    class Meta:
        model = Region
        fields = date_fields("created_at", "updated_at", "deleted_at")


class AdminShippingOptionFilter(ContractFilterSet):
    region_id = CharInFilter(help_text="One or more region ids.")
    is_return = BooleanStringFilter(help_text="`true` or `false`.")
    admin_only = BooleanStringFilter(help_text="`true` or `false`.")
    q = filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Name contains (case-insensitive)."
    )
    order = ContractOrderingFilter(
        fields=("created_at", "updated_at", "name", "amount", "id"), default=("-created_at",)
    )

    class Meta:
        model = ShippingOption
        fields = date_fields("created_at", "updated_at")
