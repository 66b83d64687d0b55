"""Fast output rendering for model serializers, with exactly DRF's results.

Two costs dominate a DRF list response of nested model serializers, and neither is the data:

1. `ModelSerializer.get_fields()` inspects the model and builds every field afresh for each
   serializer instance: once per nested serializer per request, and once per row for a nested
   serializer built inside a method field. Its result depends only on the serializer class, so
   it is built once per class and deep-copied for each instance (DRF copies declared fields the
   same way).
2. `Serializer.to_representation()` calls `field.get_attribute()` and `field.to_representation()`
   for every field of every row. For a plain model column whose DRF field only converts the
   value's type (strings, integers, booleans, JSON, choices, read-only values, Medusa's
   millisecond timestamps), the value is read with one `getattr` and converted the same way DRF
   would; every other field (nested serializers, method fields, decimals, anything custom) goes
   through DRF exactly as before.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

Getter = Callable[[Any], Any]

# Built fields per serializer class, never bound to a parent: each instance gets copies.
_FIELDS_BY_CLASS: dict[type, dict[str, serializers.Field]] = {}
# Getters per serializer class and readable fields (name, source, field class), in order.
_GETTERS_BY_SHAPE: dict[tuple[Any, ...], list[Getter | None]] = {}
_ATTNAMES_BY_MODEL: dict[type, frozenset[str]] = {}
_MAX_SHAPES = 2048


def _identity_getter(attname: str) -> Getter:
    def get(instance: Any) -> Any:
        return getattr(instance, attname)

    return get


def _typed_getter(attname: str, kind: type, convert: Callable[[Any], Any]) -> Getter:
    def get(instance: Any) -> Any:
        value = getattr(instance, attname)
        if value is None or type(value) is kind:
            return value
        return convert(value)

    return get


def _choice_getter(attname: str, field: serializers.ChoiceField) -> Getter:
    lookup = field.choice_strings_to_values

    def get(instance: Any) -> Any:
        value = getattr(instance, attname)
        if value is None or value == "":
            return value
        return lookup.get(str(value), value)

    return get


def _converted_getter(attname: str, convert: Callable[[Any], Any]) -> Getter:
    def get(instance: Any) -> Any:
        value = getattr(instance, attname)
        return None if value is None else convert(value)

    return get


def _bool_getter(attname: str, field: serializers.BooleanField) -> Getter:
    def get(instance: Any) -> Any:
        value = getattr(instance, attname)
        if value is None or type(value) is bool:
            return value
        return field.to_representation(value)

    return get


def fast_getter(
    field: serializers.Field, column_attnames: frozenset[str], converters: tuple[type, ...]
) -> Getter | None:
    """Return a getter that renders `field` as DRF would, or None when DRF must render it.

    Only fields sourced from one concrete column attribute qualify (no dotted sources, no
    callables, no relations), and only when the field class renders with one of the known
    `to_representation` methods, so a subclass with its own rendering keeps it.
    """
    source_attrs = getattr(field, "source_attrs", None)
    if not source_attrs or len(source_attrs) != 1 or source_attrs[0] not in column_attnames:
        return None
    attname = source_attrs[0]
    render = type(field).to_representation
    if render is serializers.CharField.to_representation:
        return _typed_getter(attname, str, str)
    if render is serializers.IntegerField.to_representation:
        return _typed_getter(attname, int, int)
    if render is serializers.BooleanField.to_representation:
        return _bool_getter(attname, field)  # type: ignore[arg-type]
    if render is serializers.ReadOnlyField.to_representation:
        return _identity_getter(attname)
    if render is serializers.JSONField.to_representation and not field.binary:  # type: ignore[attr-defined]
        return _identity_getter(attname)
    if render is serializers.ChoiceField.to_representation:
        return _choice_getter(attname, field)  # type: ignore[arg-type]
    if any(render is converter.to_representation for converter in converters):
        return _converted_getter(attname, field.to_representation)
    return None


def _column_attnames(model: type) -> frozenset[str]:
    """Return the attribute names of the model's concrete columns (foreign keys: `x_id`)."""
    names = _ATTNAMES_BY_MODEL.get(model)
    if names is None:
        concrete = model._meta.concrete_fields  # type: ignore[attr-defined]
        names = _ATTNAMES_BY_MODEL[model] = frozenset(f.attname for f in concrete)
    return names


def _copy_field(field: serializers.Field) -> serializers.Field:
    """Copy a built field for one serializer instance.

    Nested serializers and fields with children get DRF's deep copy (their trees are bound to
    their parents). A leaf field only holds its configuration until `bind()` sets its name,
    parent and source on the copy, so a shallow copy is enough, and far cheaper than DRF's
    deep copy, which calls `__init__` again with deep-copied arguments.
    """
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child"):
        return copy.deepcopy(field)
    return copy.copy(field)


class FastRenderingMixin:
    """Mixed into a `ModelSerializer`: cached field construction and fast plain-column rendering.

    `fast_converter_fields` lists field classes whose `to_representation` is a pure function of
    a non-None value (it is called directly, without DRF's attribute plumbing).
    """

    fast_converter_fields: tuple[type, ...] = ()

    def get_fields(self) -> dict[str, serializers.Field]:
        built = _FIELDS_BY_CLASS.get(type(self))
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            _FIELDS_BY_CLASS[type(self)] = built
        return {name: _copy_field(field) for name, field in built.items()}

    def _render_plan(self) -> list[tuple[str, Getter | None, serializers.Field]]:
        plan = self.__dict__.get("_fast_render_plan")
        if plan is None:
            readable = list(self._readable_fields)  # type: ignore[attr-defined]
            key = (type(self), tuple((f.field_name, f.source, type(f)) for f in readable))
            getters = _GETTERS_BY_SHAPE.get(key)
            if getters is None:
                model = getattr(getattr(self, "Meta", None), "model", None)
                attnames = _column_attnames(model) if model is not None else frozenset()
                converters = tuple(self.fast_converter_fields)
                getters = [fast_getter(field, attnames, converters) for field in readable]
                if len(_GETTERS_BY_SHAPE) >= _MAX_SHAPES:  # `fields=` makes shapes user-chosen
                    _GETTERS_BY_SHAPE.clear()
                _GETTERS_BY_SHAPE[key] = getters
            plan = [
                (field.field_name, getter, field)
                for field, getter in zip(readable, getters, strict=True)
            ]
            self.__dict__["_fast_render_plan"] = plan
        return plan

    def to_representation(self, instance: Any) -> dict[str, Any]:
        model = getattr(getattr(self, "Meta", None), "model", None)
        if model is None or not (
            isinstance(instance, model) or getattr(instance, "row_of", None) is model
        ):  # a model instance, or a column row of the model (commerce.rows)
            return super().to_representation(instance)  # type: ignore[misc]
        ret: dict[str, Any] = {}
        for name, getter, field in self._render_plan():
            if getter is not None:
                ret[name] = getter(instance)
                continue
            # What DRF's Serializer.to_representation does for one field.
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret
