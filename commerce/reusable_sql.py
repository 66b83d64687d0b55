"""ORM queries compiled once per shape and run again with new values (issues 7 and 23).

Building and compiling a queryset costs Python time on every request (a channel count with a
subquery and a join: ~1.5 ms of the ~6 ms the count takes; a store page's variants with their
stock annotation: ~2.6 ms of the ~3.6 ms their query takes), though its SQL only depends on
how many values it is given. `ReusableQuery` lets the ORM write the SQL once per shape, with
placeholder values, finds where those placeholders landed among the parameters, and then runs
the same SQL with the call's values in their places: as a count, as rows, or as model
instances. The ORM stays the only author of the SQL; this only skips writing it again.
Speed layer: docs/speed-layer.md "Reusable SQL".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet
from django.db.models import query as django_query

_MAX_SHAPES = 64
# Stands in for a moment while the SQL is written: a value no caller passes.
_MOMENT_PLACEHOLDER = datetime(1970, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)

Argument = Sequence[str] | str | datetime | int | None


def _padded(size: int) -> int:
    """Return the number of placeholders a list of `size` values is written with: a power of 2."""
    return 1 if size <= 1 else 1 << (size - 1).bit_length()


def _marker(argument: int, item: int) -> str:
    return f"\x00reusable-{argument}-{item}\x00"


class _Compiled:
    """One shape's SQL, its parameters with placeholders, and where each call's values go."""

    def __init__(self, sql: str, params: list[Any], slots: list[tuple[int, int, int]], compiler):
        self.sql = sql
        self.params = params
        self.slots = slots  # (parameter index, argument index, item index; -1: a scalar)
        self.compiler = compiler

    def params_for(self, alias: str, args: Sequence[Argument]) -> list[Any]:
        params = list(self.params)
        for index, argument, item in self.slots:
            value = args[argument]
            if isinstance(value, datetime):
                params[index] = connections[alias].ops.adapt_datetimefield_value(value)
            elif item >= 0 and isinstance(value, Sequence):
                params[index] = value[min(item, len(value) - 1)]
            else:
                params[index] = value
        return params


class ReusableQuery:
    """The queryset `build(*args)` returns, compiled once per shape, run with each call's values.

    Each argument is a list of strings (each reaches the SQL as one parameter of its own, e.g.
    through `__in`), a string (one parameter), a datetime (a moment, compared with datetime
    columns; it may reach the SQL several times), an int (a slice's bound, which the ORM writes
    into the SQL: its value is part of the shape, passed to `build` as it is) or None (passed
    as it is). The shape is which arguments are None, the ints and the lists' sizes, rounded up
    to a power of two: a shorter list repeats its last value, so `build` must use its lists as
    sets (`__in`; `len()` only to tell one value from several, as a list of one is written with
    one). An empty list means no rows: nothing runs.
    """

    def __init__(self, build: Callable[..., QuerySet], *, prepared: bool = False) -> None:
        """Keep `build`; `prepared`: run the statement prepared, where the backend can.

        (`commerce.db.postgresql.base.DatabaseWrapper.prepared_rows`: once per connection.)
        """
        self.build = build
        self.prepared = prepared
        self.model: type[Model] | None = None
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}

    @staticmethod
    def _shape(args: Sequence[Argument]) -> tuple[Any, ...]:
        shape: list[Any] = []
        for value in args:
            if value is None or isinstance(value, str | datetime):
                shape.append(None if value is None else type(value).__name__)
            elif isinstance(value, int):
                shape.append(("int", value))
            else:
                shape.append(_padded(len(value)))
        return tuple(shape)

    def _compile(self, alias: str, args: Sequence[Argument], count: bool) -> _Compiled:
        markers: list[Any] = []
        for n, value in enumerate(args):
            if value is None or isinstance(value, int):
                markers.append(value)
            elif isinstance(value, datetime):
                markers.append(_MOMENT_PLACEHOLDER)
            elif isinstance(value, str):
                markers.append(_marker(n, -1))
            else:
                markers.append([_marker(n, i) for i in range(_padded(len(value)))])
        compiler = self.build(*markers).using(alias).query.get_compiler(alias)
        sql, raw_params = compiler.as_sql()
        params = list(raw_params)
        wanted: dict[Any, tuple[int, int]] = {}
        for n, marker in enumerate(markers):
            if isinstance(marker, list):
                wanted.update({m: (n, i) for i, m in enumerate(marker)})
            elif isinstance(marker, str):
                wanted[marker] = (n, -1)
        moment = connections[alias].ops.adapt_datetimefield_value(_MOMENT_PLACEHOLDER)
        moments = [n for n, marker in enumerate(markers) if marker is _MOMENT_PLACEHOLDER]
        slots: list[tuple[int, int, int]] = []
        for index, param in enumerate(params):
            if isinstance(param, str) and param in wanted:
                slots.append((index, *wanted[param]))
            elif moments and param == moment:
                slots.append((index, moments[0], -1))
        placed = [(n, i) for _, n, i in slots if n not in moments]
        if len(moments) > 1 or sorted(placed) != sorted(wanted.values()):
            raise ValueError("each value must reach the SQL as exactly one parameter")
        if count:
            sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608  (the ORM's own SQL)
        return _Compiled(sql, params, slots, compiler)

    def _run(self, args: Sequence[Argument], count: bool) -> tuple[str, _Compiled, Any]:
        if self.model is None:
            self.model = self.build(*args).model
        using = router.db_for_read(self.model) or DEFAULT_DB_ALIAS
        key = (using, count, self._shape(args))
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= _MAX_SHAPES:
                self._compiled.clear()
            compiled = self._compiled[key] = self._compile(using, args, count)
        connection = connections[using]
        with connection.cursor() as cursor:
            params = compiled.params_for(using, args)
            if self.prepared and hasattr(connection, "prepared_rows"):
                rows = connection.prepared_rows(cursor, compiled.sql, params)
            else:
                cursor.execute(compiled.sql, params)
                rows = cursor.fetchall()
        return using, compiled, rows

    @staticmethod
    def _empty(args: Sequence[Argument]) -> bool:
        return any(isinstance(a, Sequence) and not isinstance(a, str) and not a for a in args)

    def count(self, *args: Argument) -> int:
        """Return `build(*args).count()`."""
        if self._empty(args):
            return 0
        _, _, rows = self._run(args, count=True)
        return rows[0][0]

    def rows(self, *args: Argument) -> list[tuple[Any, ...]]:
        """Return the rows of `build(*args)`, a `values_list()` queryset, as tuples."""
        if self._empty(args):
            return []
        _, compiled, rows = self._run(args, count=False)
        return list(compiled.compiler.results_iter(results=[rows], tuple_expected=True))

    def instances(self, *args: Argument) -> list[Model]:
        """Return the model instances of `build(*args)`, with their annotations and joined relations.

        As Django's `ModelIterable` builds them: each row's own columns, then each
        `select_related` object (`get_related_populators`), then the annotations.
        """
        if self._empty(args):
            return []
        using, compiled, rows = self._run(args, count=False)
        compiler = compiled.compiler
        info = compiler.klass_info
        if info is None or compiler.query.values_select:
            raise ValueError("only model querysets (no values())")
        model, fields = info["model"], info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in compiler.select[start:end]]
        annotations = compiler.annotation_col_map.items()
        related = django_query.get_related_populators(info, compiler.select, using)  # type: ignore[attr-defined]  # ModelIterable's own helper, not in django-stubs
        objects = []
        for row in compiler.results_iter(results=[rows]):
            obj = model.from_db(using, names, row[start:end])
            for populator in related:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def json_ids_sql() -> str:
    """Return SQL selecting the ids of one JSON array parameter (PostgreSQL and SQLite).

    One parameter whatever the number of ids: no 10,000-placeholder statement to build, send,
    parse and plan, and no batching on SQLite's parameter limit.
    """
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return "SELECT value FROM jsonb_array_elements_text(%s::jsonb)"
    return "SELECT value FROM json_each(%s)"
