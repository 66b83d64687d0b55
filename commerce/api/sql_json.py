"""A serializer's JSON built by PostgreSQL, from the serializer itself (issue 23).

A cold store page of 100 products renders ~4,500 objects; in Python, loading their rows and
rendering them were most of its ~45 ms of CPU (py-spy, docs/benchmarks.md). Here the same
serializer tree is compiled, once per shape, into one SQL expression per row that PostgreSQL
evaluates to the row's JSON text, the very bytes the response renderer (orjson) writes for the
row's rendering: a page is one statement, and its rows' text is written into the response as
it is (`orjson.Fragment`). There is no second description of the output to keep in step: the
compiler walks the serializer's readable fields, in their order, and

- a plain column (the kinds `commerce.api.rendering` classifies: strings, integers, booleans,
  JSON, string choices) becomes its column printed as orjson prints its value (PostgreSQL's
  `to_json` escapes text as orjson does; stored JSON is compacted, `_stored_json`);
- a nested list serializer becomes a correlated subquery of its rows, ordered as the Python
  path orders them: its queryset comes from `sources`, keyed by (model, source attribute), which
  the caller's selectors declare once for both paths;
- a field or a method field with a twin (`sql_json(compiling, queryset)` on the field, or on
  the method's function) becomes what its twin returns: the one place a field's SQL is written
  beside its Python (a to-one relation, a media URL, a stock annotation, a null price key).

Any other field, or a serializer overriding `to_representation` without saying its override
has twins (`sql_json_representation`), makes the shape unsupported: `compiled()` returns None
and the caller renders in Python, as before. A value only Python can print (a media path that
`build_absolute_uri` would quote, stored JSON holding a float) is sent to Python raw, in a
marker object (`defer`): that row is decoded, mended where the marker appears, and encoded
with the rest of the response. Text is built with `||` (string_agg for
lists): half the time of `row_to_json` and `json_agg` on the benchmark's prices (3.5 against
6.6 ms for 900 objects). `tests/catalog/api/test_sql_json.py` compares whole responses
rendered both ways. Speed layer: docs/speed-layer.md "Product JSON built by PostgreSQL".
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Expression,
    F,
    ForeignKey,
    Func,
    IntegerField,
    JSONField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    When,
)
from django.db.models.fields import Field as ModelField
from django.db.models.functions import Cast
from rest_framework import serializers

from commerce.api.rendering import FastRenderingMixin, _column_attnames, _plain_spec
from commerce.reusable_sql import ReusableQuery
from commerce.rows import SharedRows

# Switch for tests and A/B runs: False renders every page in Python.
SQL_JSON = True

_JSON_COLUMN = "sqljson_j"
_KEY_COLUMN = "sqljson_k"
# The key of a marker object: a value only Python prints (`defer`). Random per process, so no
# stored JSON (a product's metadata) can hold it.
_DEFERRED = f"sqljson-deferred-{secrets.token_hex(8)}"
_MAX_SHAPES = 256


class Unsupported(Exception):
    """A field with no SQL twin: the shape is rendered in Python."""


class _Text(Func):
    """Its parts' text, concatenated (`a || b || ...`)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


class _Sql(Func):
    """One expression of SQL around its argument (`template` names it `%(expressions)s`)."""

    output_field = TextField()

    def __init__(self, template: str, *expressions: Any) -> None:
        super().__init__(*expressions, template=template)


class _JsonArray(Subquery):
    """A sorted subquery's rows' JSON as one array, in its order; `[]` without rows."""

    template = (
        f"COALESCE((SELECT '[' || string_agg(sqljson_rows.{_JSON_COLUMN}, ',') || ']' "  # noqa: S608  (constants)
        "FROM (%(subquery)s) sqljson_rows), '[]')"
    )
    output_field = TextField()


class _JsonMap(Subquery):
    """Its rows' JSON by key (`sqljson_k`), as one jsonb object: evaluated once per statement.

    Uncorrelated, so PostgreSQL runs it once (an InitPlan), however many parents look rows up
    in it (`->>` returns a value's text as it was given).
    """

    template = (
        f"(SELECT jsonb_object_agg(sqljson_rows.{_KEY_COLUMN}, sqljson_rows.{_JSON_COLUMN}) "  # noqa: S608  (constants)
        "FROM (%(subquery)s) sqljson_rows)"
    )
    output_field = JSONField()


class _JsonOne(Subquery):
    """A subquery's one row's JSON; `null` without one."""

    template = "COALESCE((%(subquery)s), 'null')"
    output_field = TextField()


def concat(*parts: Any) -> Any:
    """Return the parts' text, concatenated."""
    return _Text(*parts)


def when_text(cases: list[tuple[Q, Any]], default: Any) -> Any:
    """Return the text of the first case whose condition holds, else `default`."""
    whens = [When(condition, then=then) for condition, then in cases]
    return Case(*whens, default=default, output_field=TextField())


class _Literal(Expression):
    """A text constant written into the SQL, not sent as a parameter.

    A product's JSON has ~150 keys and separators: as parameters, psycopg converted and sent
    each on every run of the statement.
    """

    output_field = TextField()

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        quoted = self.text.replace("'", "''").replace("%", "%%")
        return f"'{quoted}'::text", []


def literal(text: str) -> Any:
    """Return a text constant of the SQL."""
    return _Literal(text)


NULL = literal("null")


def _nullable(expression: Any, column: ModelField | None) -> Any:
    if column is not None and not column.null:
        return expression
    return _Sql("COALESCE(%(expressions)s)", expression, NULL)


def string_json(expression: Any, column: ModelField | None = None) -> Any:
    """Return a text value as a JSON string (null as null)."""
    return _nullable(_Sql("to_json(%(expressions)s)::text", expression), column)


def number_json(expression: Any, column: ModelField | None = None) -> Any:
    """Return an integer or boolean value as JSON (`12`, `true`; null as null)."""
    return _nullable(_Sql("(%(expressions)s)::text", expression), column)


def timestamp_json(expression: Any, column: ModelField | None = None) -> Any:
    """Return a timestamp as Medusa prints it (`commerce.api.serializers.medusa_timestamp`)."""
    printed = _Sql(  # the quotes too: `\"` prints a double quote
        r"""to_char((%(expressions)s) AT TIME ZONE 'UTC', '\"YYYY-MM-DD"T"HH24:MI:SS.MS"Z\"')""",
        expression,
    )
    return _nullable(printed, column)


@dataclass
class Compiling:
    """What one shape's compilation reads: the serializers' context and the relations' rows."""

    context: Mapping[str, Any]
    # (parent model, the nested serializer's source attribute) -> its rows, filtered on
    # `OuterRef("pk")` (the parent row) and ordered as the Python path orders them; or, for
    # rows few and shared by the parents, a `SharedRows` (`Compiling.many_shared`).
    sources: Mapping[tuple[type[Model], str], Callable[[], QuerySet[Any]] | SharedRows]
    deferred: list[Callable[[Any, Mapping[str, Any]], Any]] = field(default_factory=list)

    def defer(self, raw_json: Any, render: Callable[[Any, Mapping[str, Any]], Any]) -> Any:
        """Return a marker holding a raw JSON value, which Python renders after decoding.

        `render(value, context)` gets the value and the serializer context of the render (not
        the compilation's: a shape's SQL serves every request of its shape).
        """
        self.deferred.append(render)
        index = len(self.deferred) - 1
        return _Text(literal(f'{{"{_DEFERRED}":[{index},'), raw_json, literal("]}"))

    def one(self, serializer: serializers.BaseSerializer, queryset: QuerySet[Any]) -> Any:
        """Return a to-one relation: the JSON of the queryset's one row (null without one)."""
        rows = queryset.order_by().annotate(
            **{_JSON_COLUMN: object_json(serializer, queryset, self)}
        )
        return _JsonOne(rows.values(_JSON_COLUMN))

    def many(self, serializer: serializers.BaseSerializer, queryset: QuerySet[Any]) -> Any:
        """Return a list of rows: each one's JSON, in the queryset's order, as one array.

        The rows' JSON is aggregated from the queryset's own sorted subquery: PostgreSQL never
        pulls a subquery with ORDER BY up into its parent, and a scan of it feeds the aggregate
        in its order (nothing else is in the aggregate's FROM). Ordering inside the aggregate
        instead (`string_agg(... ORDER BY ...)`, with `row_number()`) cost ~13 % more of a
        page of 100's statement: a sort set up per parent row.
        """
        if not queryset.query.order_by:
            raise Unsupported("a nested list without an order")
        rows = queryset.annotate(**{_JSON_COLUMN: object_json(serializer, queryset, self)})
        return _JsonArray(rows.values(_JSON_COLUMN))

    def many_shared(self, serializer: serializers.BaseSerializer, shared: SharedRows) -> Any:
        """Return a list of rows few and shared by the parents (`SharedRows`), as `many` does.

        Each row's JSON is built once per statement, into one jsonb object by primary key
        (`_JsonMap`), and each parent's list looks its rows up in it: a store page of 100
        products showed their 300 channels, 20 distinct, built 300 times (2026-12-07: the
        page's statement 14.1 -> 13.2 ms, p50 of 120 runs in psql).
        """
        every = shared.rows()
        built = every.order_by().annotate(
            **{
                _KEY_COLUMN: Cast("pk", TextField()),
                _JSON_COLUMN: object_json(serializer, every, self),
            }
        )
        by_key = _JsonMap(built.values(_KEY_COLUMN, _JSON_COLUMN))
        rows = shared.of_parent()
        if not rows.query.order_by:
            raise Unsupported("a nested list without an order")
        looked_up = Func(
            by_key,
            Cast("pk", TextField()),
            template="(%(expressions)s)",
            arg_joiner=" ->> ",
            output_field=TextField(),
        )
        return _JsonArray(rows.annotate(**{_JSON_COLUMN: looked_up}).values(_JSON_COLUMN))


def _model_column(model: type[Model], attname: str) -> ModelField:
    for column in model._meta.concrete_fields:
        if column.attname == attname:
            return column
    raise Unsupported(attname)


def text_column(column: ModelField) -> bool:
    target = column.target_field if isinstance(column, ForeignKey) else column
    return isinstance(target, CharField | TextField)


def column_of(field: serializers.Field, queryset: QuerySet[Any]) -> ModelField | None:
    """Return the model column a field reads alone (a one-name source), else None."""
    source = getattr(field, "source_attrs", None)
    if not source or len(source) != 1 or source[0] not in _column_attnames(queryset.model):
        return None
    return _model_column(queryset.model, source[0])


# Stored JSON (jsonb) prints with a space after each `,` and `:` outside its strings; without
# them it is the compact text orjson writes for what Python's `json` reads from it, except where
# a number reads as a float (jsonb keeps `1.50`, Python prints `1.5`) or an integer may pass 64
# bits (orjson cannot write it): those values go to Python (`defer`). jsonb never prints an
# exponent, so a `.` outside its strings is a float and 19 digits in a row may be past 64 bits.
# The spaces go by `json_strip_nulls`, which prints compact JSON, where the text holds no `null`
# for it to strip (2026-12-07, 100,000 values: 0.6 µs a value against 3.9 for the regular
# expression that drops them outside strings, the way left for the rest); the numbers are
# looked for outside strings only where the whole text has one (0.8 µs against 1.9).
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
_SPACED = f"({_JSON_STRING})|([,:]) "
_PYTHON_NUMBER = r"[.]|[0-9]{19}"


def _matches(text: Any, pattern: str) -> Func:
    return Func(
        text,
        literal(pattern),
        template="(%(expressions)s)",
        arg_joiner=" ~ ",
        output_field=BooleanField(),
    )


def _stored_json(column: ModelField, compiling: Compiling) -> Any:
    """Return a JSON column's value as orjson writes Python's reading of it (see above)."""
    text = _Sql("(%(expressions)s)::text", F(column.attname))
    replace = "regexp_replace"
    numbers = Func(text, literal(_JSON_STRING), literal(""), literal("g"), function=replace)
    python_number = _matches(text, _PYTHON_NUMBER) & _matches(numbers, _PYTHON_NUMBER)
    no_null = Func(
        text, literal("null"), template="strpos(%(expressions)s) = 0", output_field=BooleanField()
    )
    return Case(
        When(**{f"{column.attname}__isnull": True}, then=NULL),
        When(python_number, then=compiling.defer(string_json(text), _loads)),
        When(no_null, then=_Sql("json_strip_nulls((%(expressions)s)::json)::text", text)),
        default=Func(text, literal(_SPACED), literal(r"\1\2"), literal("g"), function=replace),
        output_field=TextField(),
    )


def _loads(raw: str, context: Mapping[str, Any]) -> Any:
    return json.loads(raw)


def _plain_json(
    kind: str,
    field: serializers.Field,
    column: ModelField,
    compiling: Compiling,
    value: Any = None,
) -> Any:
    """Return a plain column's JSON where SQL prints it as DRF would; else raise Unsupported.

    `value`: where the column is read (default: the row's own column).
    """
    if value is None:
        value = F(column.attname)
    elif isinstance(column, JSONField):
        raise Unsupported("stored JSON through a relation")
    if kind in ("str", "identity") and text_column(column):
        return string_json(value, column)
    choices = getattr(field, "choices", {})
    if kind == "choice" and text_column(column) and all(isinstance(key, str) for key in choices):
        return string_json(value, column)
    if kind in ("int", "identity") and isinstance(column, IntegerField):
        return number_json(value, column)
    if kind in ("bool", "identity") and isinstance(column, BooleanField):
        return number_json(value, column)
    if kind == "identity" and isinstance(column, JSONField) and column.decoder is None:
        return _stored_json(column, compiling)
    raise Unsupported(f"{type(field).__name__} over {type(column).__name__}")


def _field_json(
    serializer: Any, field: serializers.Field, queryset: QuerySet[Any], compiling: Compiling
) -> Any:
    model = queryset.model
    twin = getattr(field, "sql_json", None)
    if isinstance(field, serializers.SerializerMethodField):
        twin = getattr(getattr(serializer, field.method_name), "sql_json", None)
        if twin is None:
            raise Unsupported(field.method_name)
        return _twin_result(twin(serializer, compiling, queryset))
    if twin is not None:
        return _twin_result(twin(compiling, queryset))
    if isinstance(field, serializers.ListSerializer):
        source = field.source_attrs
        rows = compiling.sources.get((model, source[0])) if len(source) == 1 else None
        if rows is None:
            raise Unsupported(f"{model.__name__}.{field.source}")
        if isinstance(rows, SharedRows):
            return compiling.many_shared(field.child, rows)  # type: ignore[arg-type]  # as below
        return compiling.many(field.child, rows())  # type: ignore[arg-type]  # a list serializer's child is a serializer
    if len(getattr(field, "source_attrs", ())) > 1:
        return _related_column_json(field, model, compiling)
    converters = tuple(getattr(serializer, "fast_converter_fields", ()))
    spec = _plain_spec(field, _column_attnames(model), converters)
    if spec is None:
        raise Unsupported(f"{type(field).__name__} {field.field_name}")
    kind, attname = spec
    return _plain_json(kind, field, _model_column(model, attname), compiling)


# The kinds of a column read through relations (`sales_channel.name`), by DRF field rendering.
_RELATED_KINDS = {
    serializers.CharField.to_representation: "str",
    serializers.IntegerField.to_representation: "int",
    serializers.BooleanField.to_representation: "bool",
}


def _related_column_json(field: serializers.Field, model: type[Model], compiling: Compiling) -> Any:
    """Return a column read through required to-one relations (`a.b.c`), joined in SQL."""
    *path, last = field.source_attrs
    for name in path:
        relation = model._meta.get_field(name)
        if not isinstance(relation, ForeignKey) or relation.null:
            raise Unsupported(f"{field.source}: not a required to-one relation")
        model = cast(type[Model], relation.related_model)
    kind = _RELATED_KINDS.get(type(field).to_representation)
    if kind is None or last not in _column_attnames(model):
        raise Unsupported(field.source)
    value = F("__".join(field.source_attrs))
    return _plain_json(kind, field, _model_column(model, last), compiling, value)


def _twin_result(result: Any) -> Any:
    if result is None:
        raise Unsupported("a twin declined this shape")
    return result


def object_json(
    serializer: serializers.BaseSerializer, queryset: QuerySet[Any], compiling: Compiling
) -> Any:
    """Return the JSON object `serializer` renders for a row of `queryset`, as SQL text."""
    renders: Any = type(serializer).to_representation
    if isinstance(serializer, FastRenderingMixin):
        kept = renders is FastRenderingMixin.to_representation
    else:  # a plain serializer, rendered by DRF's own loop
        kept = renders is serializers.Serializer.to_representation
    if not kept and not getattr(serializer, "sql_json_representation", False):
        raise Unsupported(f"{type(serializer).__name__}.to_representation")
    parts: list[Any] = [literal("{")]
    for n, readable in enumerate(serializer._readable_fields):  # type: ignore[attr-defined]  # a serializer
        name = orjson.dumps(str(readable.field_name)).decode()
        parts.append(literal(("," if n else "") + name + ":"))
        parts.append(_field_json(serializer, readable, queryset, compiling))
    parts.append(literal("}"))
    return _joined(parts)


def _joined(parts: list[Any]) -> Any:
    """Return the parts' text concatenated, with neighbouring constants written as one.

    Nested concatenations are spliced in (`a || (b || c)` is `a || b || c`): a variant's eight
    null price keys are one constant, not sixteen `||` (each a copy of the text so far).
    """
    flat: list[Any] = []
    for part in parts:
        for piece in part.source_expressions if isinstance(part, _Text) else [part]:
            if isinstance(piece, _Literal) and flat and isinstance(flat[-1], _Literal):
                flat[-1] = _Literal(flat[-1].text + piece.text)
            else:
                flat.append(piece)
    return flat[0] if len(flat) == 1 else _Text(*flat)


class SqlRendering:
    """One shape's rows rendered by PostgreSQL: `render(ids)` -> {pk: the row's JSON, decoded}."""

    def __init__(
        self, query: ReusableQuery, deferred: list[Callable[[Any, Mapping[str, Any]], Any]]
    ) -> None:
        self.query = query
        self.deferred = deferred

    def render(self, ids: Sequence[Any], context: Mapping[str, Any]) -> dict[Any, Any]:
        """Return each found row's JSON by pk: its text as the response writes it.

        The text is what orjson writes for the row's rendering (the compiler prints each value
        so), kept as an `orjson.Fragment`; a row holding a value only Python prints is decoded
        and mended (`defer`), then encoded with the rest of the response.
        """
        rendered: dict[Any, Any] = {}
        for pk, text in self.query.rows(ids):
            if self.deferred and _DEFERRED in text:
                rendered[pk] = self._mended(orjson.loads(text), context)
            else:
                rendered[pk] = orjson.Fragment(text.encode())
        return rendered

    def _mended(self, value: Any, context: Mapping[str, Any]) -> Any:
        if isinstance(value, dict):
            marker = value.get(_DEFERRED) if len(value) == 1 else None
            if marker is not None:
                index, raw = marker
                return self.deferred[index](raw, context)
            return {key: self._mended(item, context) for key, item in value.items()}
        if isinstance(value, list):
            return [self._mended(item, context) for item in value]
        return value


_SHAPES: dict[Any, SqlRendering | None] = {}


def compiled(
    key: Any,
    build: Callable[[], tuple[serializers.BaseSerializer, QuerySet[Any], Compiling]],
    *,
    using: str,
) -> SqlRendering | None:
    """Return the SQL rendering of a shape, compiled on first use; None where it has none.

    `key` names the shape: everything `build` reads (the serializer's fields and relations,
    its context's price selection and host, the sources' parameters). `build()` returns the
    row serializer (bound, with its context), the rows' base queryset (without a filter by id)
    and the compilation's sources. Only PostgreSQL builds JSON text this way; elsewhere, or with
    `SQL_JSON` off, None.
    """
    if not SQL_JSON or connections[using].vendor != "postgresql":
        return None
    full_key = (using, key)
    if full_key in _SHAPES:
        return _SHAPES[full_key]
    serializer, base, compiling = build()
    try:
        expression = object_json(serializer, base, compiling)
    except Unsupported:
        rendering = None
    else:
        query = ReusableQuery(
            lambda ids: base.filter(pk__in=ids)
            .order_by()
            .annotate(**{_JSON_COLUMN: expression})
            .values_list("pk", _JSON_COLUMN),
            prepared=True,
        )
        rendering = SqlRendering(query, compiling.deferred)
    if len(_SHAPES) >= _MAX_SHAPES:  # `fields=` makes shapes user-chosen
        _SHAPES.clear()
    _SHAPES[full_key] = rendering
    return rendering


def built(
    key: Any,
    build: Callable[[], tuple[serializers.BaseSerializer, QuerySet[Any], Compiling]],
    ids: Sequence[Any],
    context: Mapping[str, Any],
    *,
    model: type[Model],
) -> dict[Any, Any] | None:
    """Return the JSON of the `model` rows `ids` by pk, built by the database; None where it cannot be.

    The shape is compiled on first use (`compiled`, on the database the rows are read from);
    a row gone since its id was read is missing from the result.
    """
    using = router.db_for_read(model) or DEFAULT_DB_ALIAS
    rendering = compiled(key, build, using=using)
    return None if rendering is None else rendering.render(ids, context)


__all__ = [
    "NULL",
    "Compiling",
    "OuterRef",
    "SqlRendering",
    "Unsupported",
    "built",
    "column_of",
    "compiled",
    "concat",
    "literal",
    "number_json",
    "object_json",
    "string_json",
    "text_column",
    "timestamp_json",
    "when_text",
]
