"""Base serializers: strict inputs that word errors like Medusa's validator, and contract-shaped outputs."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.fields import empty

from commerce.api.rendering import FastRenderingMixin
from commerce.countries import country_json


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
        "invalid": "must be a string",
        "required": "must be a string",
        "null": "must be a string",
        "blank": "should not be empty",
        "max_length": "must be shorter than or equal to {max_length} characters",
    }

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean; strings such as "yes" are refused, as Medusa refuses them."""

    default_error_messages = {
        "invalid": "must be a boolean value",
        "required": "must be a boolean value",
        "null": "must be a boolean value",
    }

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer (no strings, no floats, no booleans)."""

    default_error_messages = {
        "invalid": "must be an integer number",
        "required": "must be an integer number",
        "null": "must be an integer number",
        "min_value": "must not be less than {min_value}",
        "max_value": "must not be greater than {max_value}",
        "max_string_length": "must be an integer number",
    }

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class MetadataField(serializers.DictField):
    default_error_messages = {"not_a_dict": "must be an object", "null": "must be an object"}


class IdObjectSerializer(StrictInputSerializer):
    """`{"id": "..."}`, the shape Medusa uses for relation lists in bodies."""

    id = StrictCharField(max_length=64)


class IdObjectListField(serializers.ListField):
    """A list of `{"id": ...}` objects, returned as a list of ids."""

    default_error_messages = {
        "not_a_list": "must be an array",
        "required": "must be an array",
        "null": "must be an array",
        "max_length": "must contain no more than {max_length} elements",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", IdObjectSerializer())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            # Before validating every item: 100,000 ids must not cost 100,000 validations.
            self.fail("max_length", max_length=self.max_length)
        if isinstance(data, list) and any(not isinstance(item, dict) for item in data):
            raise serializers.ValidationError(
                f"each value in nested property {self.field_name} must be either object or array"
            )
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


class MillisecondDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with milliseconds and `Z`, as Medusa prints timestamps."""

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]  # null renders as null
        if value is None:
            return None
        utc = value if value.tzinfo is UTC else value.astimezone(UTC)
        # %-formatting: half the cost of isoformat() + slicing, on ~800 timestamps a page.
        return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (  # noqa: UP031
            utc.year,
            utc.month,
            utc.day,
            utc.hour,
            utc.minute,
            utc.second,
            utc.microsecond // 1000,
        )


class StoredSlugField(serializers.CharField):
    """A slug column printed as the plain string it holds: a handle sent through the API need not be a slug."""

    def __init__(self, *, allow_unicode: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)


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
        if not value:
            return value
        request = self.context.get("request")
        if request is not None and value.startswith("/") and not value.startswith("//"):
            return request.build_absolute_uri(value)
        return value


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


class StrictCharListField(serializers.ListField):
    """A JSON array of strings, worded as class-validator words it (`each value in x must be a string`)."""

    default_error_messages = {
        "not_a_list": "must be an array",
        "required": "must be an array",
        "null": "must be an array",
        "max_length": "must contain no more than {max_length} elements",
    }

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
