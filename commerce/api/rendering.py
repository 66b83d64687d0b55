"""Fast output rendering for model serializers, with exactly DRF's results.

Two costs dominate a DRF list response of nested model serializers, and neither is the data:

1. `ModelSerializer.get_fields()` inspects the model and builds every field afresh for each
   serializer instance: once per nested serializer per request, and once per row for a nested
   serializer built inside a method field. Its result depends only on the serializer class, so
   it is built once per class and deep-copied for each instance (DRF copies declared fields the
   same way).
2. `Serializer.to_representation()` calls `field.get_attribute()` and `field.to_representation()`
   for every field of every row. Instead, each serializer shape (its class and readable
   fields) is classified once into steps (`_shape_steps`), which one loop renders
   (`_shape_renderer`). A plain model column whose DRF field only converts the value's type
   (strings, integers, booleans, JSON, choices, read-only values, Medusa's millisecond
   timestamps) is read with one attribute access and converted as DRF would; method fields are
   called directly; nested serializers get their attribute without DRF's per-field plumbing.
   Every other field (decimals, dotted sources, anything custom) goes through DRF's own
   `get_attribute` / `to_representation`, and so does every exceptional case (a missing
   attribute, a source the model defines as a method), so the output is DRF's, key for key.
   `tests/commerce/api/test_rendering.py` compares whole API responses with and without it.

Speed layer: docs/speed-layer.md "Output serializers built once per class".
"""

from __future__ import annotations

import copy
import inspect
import threading
from collections.abc import Callable, Hashable
from typing import Any

from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

# Built fields per serializer class, never bound to a parent: each instance gets copies.
_FIELDS_BY_CLASS: dict[type, dict[str, serializers.Field]] = {}
_ATTNAMES_BY_MODEL: dict[type, frozenset[str]] = {}
_MAX_SHAPES = 2048


def _column_attnames(model: type) -> frozenset[str]:
    """Return the attribute names of the model's concrete columns (foreign keys: `x_id`)."""
    names = _ATTNAMES_BY_MODEL.get(model)
    if names is None:
        concrete = model._meta.concrete_fields  # type: ignore[attr-defined]  # a model class
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


# Switch for tests: False renders everything through DRF's own Serializer.to_representation.
FAST_RENDERING = True

_RENDERERS_BY_SHAPE: dict[tuple[Any, ...], Callable[[dict[str, Any]], Callable[[Any], Any]]] = {}


def _plain_spec(
    field: serializers.Field, column_attnames: frozenset[str], converters: tuple[Any, ...]
) -> tuple[str, str] | None:
    """Return (kind, attname) when `field` renders one plain column, else None (DRF renders it).

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
        return "str", attname
    if render is serializers.IntegerField.to_representation:
        return "int", attname
    if render is serializers.BooleanField.to_representation:
        return "bool", attname
    if render is serializers.ReadOnlyField.to_representation:
        return "identity", attname
    if render is serializers.JSONField.to_representation and not field.binary:  # type: ignore[attr-defined]  # a JSONField
        return "identity", attname
    if render is serializers.ChoiceField.to_representation:
        return "choice", attname
    if any(render is converter.to_representation for converter in converters):
        return "converted", attname
    return None


def _direct_attribute(field: serializers.Field, model: type | None) -> str | None:
    """Return the attribute a nested serializer reads, when DRF reads it with a plain getattr.

    Only a one-name source qualifies, and not one the model defines as a function (DRF calls
    those). A missing attribute, or a related object that does not exist, falls back to DRF at
    run time.
    """
    if not isinstance(field, serializers.BaseSerializer):
        return None
    source_attrs = getattr(field, "source_attrs", None)
    if not source_attrs or len(source_attrs) != 1 or not source_attrs[0].isidentifier():
        return None
    attr = source_attrs[0]
    for klass in getattr(model, "__mro__", ()):
        if attr in klass.__dict__:
            value = klass.__dict__[attr]
            if inspect.isfunction(value) or isinstance(value, staticmethod | classmethod):
                return None
            break
    return attr


# One field of a shape: (its index, its key, how it renders, the attribute it reads). The kind
# is a plain column's (`identity`, `str`, `int`, `bool`, `choice`, `converted`; `_plain_spec`),
# `method` (a SerializerMethodField), `nested` (a serializer read with a plain getattr,
# `_direct_attribute`) or `slow` (DRF's own plumbing).
Step = tuple[int, str, str, str | None]


def _shape_steps(
    readable: list[serializers.Field],
    column_attnames: frozenset[str],
    converters: tuple[type, ...],
    model: type | None,
) -> list[Step]:
    """Classify the readable fields of one serializer shape, for either renderer."""
    steps: list[Step] = []
    # (field_name is set on a bound field: every field of a serializer's readable fields is bound)
    for i, field in enumerate(readable):
        key = str(field.field_name)
        spec = _plain_spec(field, column_attnames, converters)
        if spec is not None and spec[1].isidentifier():
            steps.append((i, key, *spec))
        elif isinstance(field, serializers.SerializerMethodField):
            steps.append((i, key, "method", None))
        else:
            attr = _direct_attribute(field, model)
            steps.append((i, key, "nested" if attr else "slow", attr))
    return steps


def _shape_renderer(specs: list[Step]) -> Callable[[dict[str, Any]], Callable[[Any], Any]]:
    """Return `make(bindings) -> render(instance)` for one shape: its steps, in one loop.

    (Straight-line code generated with `exec` per shape was measured against this loop and
    removed: it won no `make bench` case by 5 %, docs/speed-layer.md.)
    """

    def make(bindings: dict[str, Any]) -> Callable[[Any], Any]:
        steps: list[tuple[str, str, Any, Any]] = []  # (key, kind, attname, field or helper)
        for i, key, kind, attname in specs:
            field = bindings[f"F{i}"]
            if kind == "method":
                steps.append((key, kind, attname, bindings[f"M{i}"]))
            elif kind == "choice":
                steps.append((key, kind, attname, field.choice_strings_to_values))
            elif kind == "nested":
                steps.append((key, kind, attname, field))
            else:
                steps.append((key, kind, attname, field))

        def render(o: Any) -> dict[str, Any]:
            ret: dict[str, Any] = {}
            for key, kind, attname, f in steps:
                if kind == "identity":
                    ret[key] = getattr(o, attname)
                elif kind == "str":
                    v = getattr(o, attname)
                    ret[key] = v if v is None or v.__class__ is str else str(v)
                elif kind == "int":
                    v = getattr(o, attname)
                    ret[key] = v if v is None or v.__class__ is int else int(v)
                elif kind == "bool":
                    v = getattr(o, attname)
                    ret[key] = v if v is None or v.__class__ is bool else f.to_representation(v)
                elif kind == "choice":
                    v = getattr(o, attname)
                    ret[key] = v if v is None or v == "" else f.get(str(v), v)
                elif kind == "converted":
                    v = getattr(o, attname)
                    ret[key] = None if v is None else f.to_representation(v)
                elif kind == "method":
                    ret[key] = f(o)
                elif kind == "nested":
                    try:
                        v = getattr(o, attname)
                    except AttributeError:
                        _render_field_through_drf(f, o, ret, key)
                    else:
                        ret[key] = None if v is None else f.to_representation(v)
                else:
                    _render_field_through_drf(f, o, ret, key)
            return ret

        return render

    return make


def _render_field_through_drf(
    field: serializers.Field, instance: Any, ret: dict[str, Any], key: str
) -> None:
    """Render one field into `ret` as DRF's Serializer.to_representation does."""
    try:
        attribute = field.get_attribute(instance)
    except SkipField:
        return
    check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    ret[key] = None if check_for_none is None else field.to_representation(attribute)


class FastRenderingMixin:
    """Mixed into a `ModelSerializer`: cached field construction and fast plain-column rendering.

    `fast_converter_fields` lists field classes whose `to_representation` is a pure function of
    a non-None value (it is called directly, without DRF's attribute plumbing).
    """

    fast_converter_fields: tuple[type, ...] = ()

    def get_fields(self) -> dict[str, serializers.Field]:
        built = _FIELDS_BY_CLASS.get(type(self))
        if built is None:
            built = super().get_fields()  # type: ignore[misc]  # a mixin: the class it is mixed into has it
            _FIELDS_BY_CLASS[type(self)] = built
        return {name: _copy_field(field) for name, field in built.items()}

    def _renderer(self) -> Callable[[Any], Any]:
        render = self.__dict__.get("_fast_renderer")
        if render is None:
            readable = list(self._readable_fields)  # type: ignore[attr-defined]  # a serializer mixin: the serializer has it
            key = (type(self), tuple((f.field_name, f.source, type(f)) for f in readable))
            make = _RENDERERS_BY_SHAPE.get(key)
            if make is None:
                model = getattr(getattr(self, "Meta", None), "model", None)
                attnames = _column_attnames(model) if model is not None else frozenset()
                steps = _shape_steps(readable, attnames, tuple(self.fast_converter_fields), model)
                make = _shape_renderer(steps)
                if len(_RENDERERS_BY_SHAPE) >= _MAX_SHAPES:  # `fields=` makes shapes user-chosen
                    _RENDERERS_BY_SHAPE.clear()
                _RENDERERS_BY_SHAPE[key] = make
            bindings: dict[str, Any] = {}
            for i, field in enumerate(readable):
                bindings[f"F{i}"] = field
                if isinstance(field, serializers.SerializerMethodField):
                    bindings[f"M{i}"] = getattr(self, field.method_name)
            render = self.__dict__["_fast_renderer"] = make(bindings)
        return render

    def to_representation(self, instance: Any) -> dict[str, Any]:
        model = getattr(getattr(self, "Meta", None), "model", None)
        if (
            not FAST_RENDERING
            or model is None
            or not (isinstance(instance, model) or getattr(instance, "row_of", None) is model)
        ):  # a model instance, or a column row of the model (commerce.rows)
            return super().to_representation(instance)  # type: ignore[misc]  # a mixin: the class it is mixed into has it
        return self._renderer()(instance)


# ---- SERIALIZER TREES KEPT PER THREAD (appended) ----

_TREES = threading.local()
_MAX_TREES = 256


def serialize(
    serializer_class: type[serializers.BaseSerializer],
    data: Any,
    *,
    context: dict[str, Any],
    many: bool = False,
    shape: Hashable = (),
) -> Any:
    """Return what `serializer_class(data, many=many, context=context).data` holds.

    A serializer tree is built once per thread and `shape`, and given each render's context:
    building one (its fields copied and bound, its renderers set up) cost more than rendering
    an empty cart, and a third of a page of 20 products (docs/speed-layer.md "Serializer trees
    kept per thread"). `shape` must hold everything the tree's construction reads from the
    context (the `fields` and `relations` it renders), as a render cache key does; what fields
    read while rendering (the request, a price selection) comes from the context of the render.
    The tree's context is one dict, emptied and refilled in place, so that serializers built by
    hand inside it (`ContextOverlay`) read the current one; it is emptied again after the render,
    and a serializer that keeps state for one render drops it then (`render_state_reset`).
    A tree in use (a render inside a render of the same shape) is not shared: that render builds
    its own, as does every render with `FAST_RENDERING` off.
    """
    trees: dict[Any, Any] = _TREES.__dict__.setdefault("trees", {})
    busy: set[Any] = _TREES.__dict__.setdefault("busy", set())
    key = (serializer_class, many, shape)
    if not FAST_RENDERING or key in busy:
        return serializer_class(data, many=many, context=context).data
    tree = trees.get(key)
    if tree is None:
        if len(trees) >= _MAX_TREES:  # `fields=` makes shapes user-chosen
            trees.clear()
        tree = trees[key] = serializer_class(many=many, context={})
    tree_context: dict[str, Any] = tree._context
    tree_context.update(context)
    busy.add(key)
    try:
        return tree.to_representation(data)
    finally:
        busy.discard(key)
        tree_context.clear()
        _render_state_reset(tree)


def _render_state_reset(serializer: Any) -> None:
    """Drop what the tree's serializers kept for the render just done (`render_state_reset`).

    The whole tree, the serializers a render built by hand inside it included (`nested`).
    """
    reset = getattr(serializer, "render_state_reset", None)
    if reset is not None:
        reset()
    child = getattr(serializer, "child", None)
    if child is not None:
        _render_state_reset(child)
        return
    built = serializer.__dict__.get("fields", {})
    nested = serializer.__dict__.get("_nested_serializers", {})
    for field in [*built.values(), *nested.values()]:
        if isinstance(field, serializers.BaseSerializer):
            _render_state_reset(field)


def tree_shape(context: dict[str, Any]) -> tuple[Any, ...]:
    """Return the shape of a `ContractModelSerializer` tree: the `fields` and `relations` it renders."""
    fields, relations = context.get("fields"), context.get("relations")
    return (
        None if fields is None else tuple(sorted(fields)),
        None if relations is None else tuple(sorted(relations)),
    )
