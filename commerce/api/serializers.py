"""Base serializers: strict inputs that word errors like Medusa's validator, and contract-shaped outputs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from django.db import models
from django.db.models import F, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from commerce import services
from commerce.api import sql_json
from commerce.api.rendering import FastRenderingMixin
from commerce.countries import country_json
from commerce.models import Address, PaymentProvider, Region

S = TypeVar("S", bound=serializers.BaseSerializer)


def type_errors(message: str, *, invalid: str = "invalid") -> dict[str, Any]:
    """Return a field's errors for a value of the wrong type, a missing one and a null: one message.

    class-validator words the three alike (`must be a string`); `invalid` names the wrong-type
    error where DRF calls it otherwise (`not_a_list`, `invalid_choice`).
    """
    return dict.fromkeys((invalid, "required", "null"), message)


ARRAY_ERRORS: dict[str, Any] = {
    **type_errors("must be an array", invalid="not_a_list"),
    "max_length": "must contain no more than {max_length} elements",
}


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that refuses unknown properties: `property foo should not exist`.

    Also refuses a body that is not a JSON object.
    """

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": ["request body must be a JSON object"]}
            )
        unknown = [key for key in data if key not in self.fields or self.fields[key].read_only]
        if unknown:
            raise serializers.ValidationError(
                {"non_field_errors": [f"property {key} should not exist" for key in unknown]}
            )
        return super().to_internal_value(data)

    def run_validation(self, data: Any = empty) -> Any:
        if data is None and self.allow_null:
            return None
        return super().run_validation(data)


class StrictCharField(serializers.CharField):
    """A string that must arrive as a JSON string (no numbers coerced)."""

    default_error_messages = {
        **type_errors("must be a string"),
        "blank": "should not be empty",
        "max_length": "must be shorter than or equal to {max_length} characters",
    }

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean; strings such as "yes" are refused, as Medusa refuses them."""

    default_error_messages = type_errors("must be a boolean value")

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer (no strings, no floats, no booleans)."""

    default_error_messages = {
        **type_errors("must be an integer number"),
        "min_value": "must not be less than {min_value}",
        "max_value": "must not be greater than {max_value}",
        "max_string_length": "must be an integer number",
    }

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class ChoiceInputField(serializers.ChoiceField):
    """One of `choices`; any other value (or none, or null) is worded as class-validator words it.

    `must be one of the following values: a, b`, the choices filled in when the error is raised.
    """

    default_error_messages = type_errors(
        "must be one of the following values: {choices}", invalid="invalid_choice"
    )

    def fail(self, key: str, **kwargs: Any) -> NoReturn:
        kwargs.setdefault("choices", ", ".join(str(c) for c in self.choices))
        super().fail(key, **kwargs)


class MetadataField(serializers.DictField):
    default_error_messages = {"not_a_dict": "must be an object", "null": "must be an object"}


class IdObjectSerializer(StrictInputSerializer):
    """`{"id": "..."}`, the shape Medusa uses for relation lists in bodies."""

    id = StrictCharField(max_length=64)


class ObjectListField(serializers.ListField):
    """An array of objects, worded like class-validator's nested validation."""

    default_error_messages = ARRAY_ERRORS

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, list) and any(not isinstance(item, dict) for item in data):
            raise serializers.ValidationError(
                f"each value in nested property {self.field_name} must be either object or array"
            )
        return super().to_internal_value(data)


class IdObjectListField(ObjectListField):
    """A list of `{"id": ...}` objects, returned as a list of ids."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", IdObjectSerializer())
        super().__init__(**kwargs)

    def check_length(self, data: Any) -> None:
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            # Before validating every item: 100,000 ids must not cost 100,000 validations.
            self.fail("max_length", max_length=self.max_length)

    def to_internal_value(self, data: Any) -> list[str]:
        self.check_length(data)
        return [item["id"] for item in super().to_internal_value(data)]

    def run_child_validation(self, data: list[Any]) -> list[Any]:
        # A 10,000-id batch would cost 10,000 serializer validations. Items that are plainly
        # valid (`{"id": "<ASCII text>"}`) get what the child serializer would return; any
        # other item sends the whole list through the child serializer for its exact errors.
        child = self.child.fields["id"]  # type: ignore[attr-defined]  # the child is a serializer
        limit = child.max_length if child.max_length is not None else float("inf")
        result = []
        for item in data:
            value = item.get("id") if type(item) is dict and len(item) == 1 else None
            if type(value) is not str:
                return super().run_child_validation(data)
            value = value.strip()
            if not value or len(value) > limit or not value.isascii() or "\x00" in value:
                return super().run_child_validation(data)
            result.append({"id": value})
        return result


# A timestamp's text from parts: each day's `YYYY-MM-DDT` kept once it is seen, the clock from
# fixed tables. 1.0 µs a timestamp against 2.7 µs for one %-format of its seven parts (timeit,
# 2026-12-07); a store page of 20 products renders ~900 of them, a page of 100 ~4,500.
_HOURS = tuple(f"{hour:02d}:" for hour in range(24))
_MINUTES = tuple(f"{minute:02d}:" for minute in range(60))
_SECONDS = tuple(f"{second:02d}." for second in range(60))
_MILLISECONDS = tuple(f"{millisecond:03d}Z" for millisecond in range(1000))
_DAYS: dict[int, str] = {}  # proleptic ordinal -> "YYYY-MM-DDT"
_DAYS_KEPT = 4096  # a few years of days; past it the table starts again


def _day_prefix(utc: datetime) -> str:
    if len(_DAYS) >= _DAYS_KEPT:
        _DAYS.clear()
    prefix = _DAYS[utc.toordinal()] = f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
    return prefix


def medusa_timestamp(value: datetime) -> str:
    """Return `value` as Medusa prints a timestamp: ISO 8601 in UTC, milliseconds (truncated), `Z`."""
    utc = value if value.tzinfo is UTC else value.astimezone(UTC)
    day = _DAYS.get(utc.toordinal()) or _day_prefix(utc)
    return "".join(
        (
            day,
            _HOURS[utc.hour],
            _MINUTES[utc.minute],
            _SECONDS[utc.second],
            _MILLISECONDS[utc.microsecond // 1000],
        )
    )


class MillisecondDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with milliseconds and `Z`, as Medusa prints timestamps."""

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]  # null renders as null
        return None if value is None else medusa_timestamp(value)

    def sql_json(self, compiling: sql_json.Compiling, queryset: QuerySet[Any]) -> Any:
        """Its twin in SQL (`commerce.api.sql_json`): the column, printed by `to_char`."""
        column = sql_json.column_of(self, queryset)
        if column is None or not isinstance(column, models.DateTimeField):
            return None
        return sql_json.timestamp_json(F(column.attname), column)


class StoredSlugField(serializers.CharField):
    """A slug column printed as the plain string it holds: a handle sent through the API need not be a slug."""

    def __init__(self, *, allow_unicode: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)


# The characters `iri_to_uri` keeps as they are, a path that `build_absolute_uri` joins to the
# host as it is (`/` then not `/`, only those characters) and the dot segments it resolves.
_URI_KEPT = r"[A-Za-z0-9_.~/#%\[\]=:;$&()+,!?*@'-]"
_JOINED_AS_IT_IS = f"^/({_URI_KEPT.replace('/', '')}{_URI_KEPT}*)?$"
_DOT_SEGMENT = r"/\.\.?/"


def media_url(value: Any, context: Mapping[str, Any]) -> Any:
    """Return a stored file's URL as `MediaUrlField` shows it, for a render's context."""
    if not value:
        return value
    request = context.get("request")
    if request is not None and value.startswith("/") and not value.startswith("//"):
        return request.build_absolute_uri(value)
    return value


class MediaUrlField(serializers.CharField):
    """A stored file's URL: a path under MEDIA_URL becomes absolute on the request's host.

    Files kept in the local storage are recorded as `/media/…`; a storefront on another host
    needs the whole URL. Absolute URLs (S3, or given through the API) are shown as they are.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]  # null renders as null
        return media_url(value, self.context)

    def sql_json(self, compiling: sql_json.Compiling, queryset: QuerySet[Any]) -> Any:
        """Its twin in SQL (`commerce.api.sql_json`).

        A path on the host is joined to it in SQL only where `build_absolute_uri` would join
        it as it is (no `/./` or `/../`, only characters `iri_to_uri` keeps); any other path
        goes to `to_representation`. Other values are shown as they are.
        """
        column = sql_json.column_of(self, queryset)
        if column is None or not sql_json.text_column(column):
            return None
        value = F(column.attname)
        raw = sql_json.string_json(value, column)
        request = self.context.get("request")
        if request is None:
            return raw
        host = request.build_absolute_uri("/")[:-1]
        path = Q(**{f"{column.name}__startswith": "/"})
        if not re.fullmatch(f"{_URI_KEPT}*", host):
            return sql_json.when_text([(path, compiling.defer(raw, media_url))], raw)
        joined = sql_json.string_json(sql_json.concat(sql_json.literal(host), value))
        on_host = Q(**{f"{column.name}__regex": _JOINED_AS_IT_IS}) & ~Q(
            **{f"{column.name}__regex": _DOT_SEGMENT}
        )
        return sql_json.when_text([(on_host, joined), (path, compiling.defer(raw, media_url))], raw)


class ContextOverlay(Mapping[str, Any]):
    """A serializer context: its parent's, read live, with some keys given other values.

    A serializer built by hand inside another (`ContractModelSerializer.nested`) reads the
    context of the render it is part of, even when the tree it belongs to is kept and given
    the next request's context (`commerce.api.rendering.serialize`).
    """

    def __init__(self, base: Mapping[str, Any], **overrides: Any) -> None:
        self._base = base
        self._overrides = overrides

    def __getitem__(self, key: str) -> Any:
        if key in self._overrides:
            return self._overrides[key]
        return self._base[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._overrides
        yield from (key for key in self._base if key not in self._overrides)

    def __len__(self) -> int:
        return len(self._overrides) + sum(1 for key in self._base if key not in self._overrides)


class ContractModelSerializer(FastRenderingMixin, serializers.ModelSerializer):
    """Output serializer base: Medusa timestamps; drops fields and relations the request did not ask for.

    Context keys (set by `ExpandMixin`): `fields` (a set of scalar field names, or None for all)
    and `relations` (the set of relation names to render). Subclasses list their relation fields
    in `Meta.relation_fields`; `id` (and `created_at` in lists) are always kept.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: MillisecondDateTimeField,
        models.SlugField: StoredSlugField,
    }
    always_fields = ("id",)
    fast_converter_fields = (MillisecondDateTimeField,)  # see commerce.api.rendering

    def get_extra_kwargs(self) -> dict[str, Any]:
        # Every field is read-only (an output never writes): subclasses list `Meta.fields` only.
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra[name] = {**extra.get(name, {}), "read_only": True}
        return extra

    def nested(self, serializer_class: type[S]) -> S:
        """Return the serializer of a relation this one renders by hand (`fields` is not its).

        One per serializer, for every row of a page: building one per row cost more than the rows.
        """
        made = self.__dict__.setdefault("_nested_serializers", {})
        if serializer_class not in made:
            context = ContextOverlay(self.context, fields=None)
            made[serializer_class] = serializer_class(context=context)  # type: ignore[arg-type]  # DRF only reads a context (a mapping); the stubs say dict
        return made[serializer_class]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        relation_names = set(getattr(self.Meta, "relation_fields", ()))
        relations = self.context.get("relations")
        requested = self.context.get("fields")
        if self.parent is not None and not isinstance(self.parent, serializers.ListSerializer):
            return fields  # nested: render in full
        if self.parent is not None and self.parent.parent is not None:
            return fields
        for name in list(fields):
            if name in relation_names:
                if relations is not None and name not in relations:
                    fields.pop(name)
            elif requested is not None and name not in requested and name not in self.always_fields:
                fields.pop(name)
        return fields


def live_relation(
    attribute: str, serializer_class: type[serializers.BaseSerializer]
) -> Callable[[ContractModelSerializer, Any], dict[str, Any] | None]:
    """Return the method of a method field rendering a joined to-one relation, or null.

    Null when there is none or it is soft-deleted: a soft-deleted row is still joined (through
    the base manager) and shows as null, while the id column keeps its id (as Medusa shows a
    deleted channel of an order: `sales_channel_id` kept, `sales_channel` null). Documented as `serializer_class`, nullable.
    """

    @extend_schema_field(serializer_class(allow_null=True))
    def get(serializer: ContractModelSerializer, instance: Any) -> dict[str, Any] | None:
        related = getattr(instance, attribute)
        if related is None or related.deleted_at is not None:
            return None
        return serializer.nested(serializer_class).to_representation(related)

    def sql(
        serializer: ContractModelSerializer, compiling: sql_json.Compiling, queryset: QuerySet
    ) -> Any:
        """Its twin in SQL (`commerce.api.sql_json`): the live related row, else null."""
        relation = queryset.model._meta.get_field(attribute)
        rows = relation.related_model._base_manager.filter(
            pk=sql_json.OuterRef(relation.attname), deleted_at__isnull=True
        )
        return compiling.one(serializer.nested(serializer_class), rows)

    get.sql_json = sql  # type: ignore[attr-defined]  # read by commerce.api.sql_json
    return get


class StrictCharListField(serializers.ListField):
    """A JSON array of strings, worded as class-validator words it (`each value in x must be a string`)."""

    default_error_messages = ARRAY_ERRORS

    def __init__(self, *, item_max_length: int = 255, **kwargs: Any) -> None:
        self.item_max_length = item_max_length
        kwargs.setdefault("child", serializers.CharField())
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        if isinstance(data, list):
            if any(not isinstance(item, str) for item in data):
                raise serializers.ValidationError(
                    f"each value in {self.field_name} must be a string"
                )
            if any(not item.strip() for item in data):
                raise serializers.ValidationError(
                    f"each value in {self.field_name} should not be empty"
                )
            if any(len(item) > self.item_max_length for item in data):
                raise serializers.ValidationError(
                    f"each value in {self.field_name} must be shorter than or equal to "
                    f"{self.item_max_length} characters"
                )
        return super().to_internal_value(data)


# ---- SHARED VALUE SHAPES (store and admin render them alike) ----
#
# Each surface names its own subclass where its OpenAPI component has its own name
# (`AdminRegionSerializer`); the columns are the contract's order, declared here once.

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
ADDRESS_FIELDS = ["id", "created_at", "updated_at", *services.ADDRESS_FIELDS]


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


class CountrySerializer(serializers.Serializer):
    """A region's country as Medusa shows it, from ISO 3166-1 (`commerce.countries`).

    `id` is the ISO numeric code (Medusa's is the serial of its country table, which we lack).
    """

    id = serializers.IntegerField()
    iso_2 = serializers.CharField()
    iso_3 = serializers.CharField()
    num_code = serializers.IntegerField()
    name = serializers.CharField(help_text="Upper case, as Medusa stores it.")
    display_name = serializers.CharField()
    region_id = serializers.CharField()


def region_countries(region: Any) -> list[dict[str, Any]]:
    """Return the region's countries as Medusa renders them, in the order the merchant gave them."""
    return [country_json(code, region.pk) for code in region.countries or []]


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


class RegionSerializer(RegionSummarySerializer):
    """A region with its countries and payment providers (each a relation to expand)."""

    countries = serializers.SerializerMethodField()
    payment_providers = PaymentProviderSerializer(many=True, read_only=True)

    class Meta:
        model = Region
        fields = [*REGION_FIELDS, "countries", "payment_providers"]
        relation_fields = ["countries", "payment_providers"]

    @extend_schema_field(CountrySerializer(many=True))
    def get_countries(self, region: Region) -> list[dict[str, Any]]:
        return region_countries(region)


class AddressSerializer(ContractModelSerializer):
    class Meta:
        model = Address
        fields = ADDRESS_FIELDS
