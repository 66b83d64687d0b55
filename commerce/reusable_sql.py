"""ORM queries compiled once per shape and run again with new values (issue 7).

Building and compiling a queryset costs Python time on every request (a channel count with a
subquery and a join: ~1.5 ms of the ~6 ms the count takes), though its SQL only depends on how
many values it is given. `ReusableCount` lets the ORM write the SQL once per shape, with
placeholder values, finds where those placeholders landed among the parameters, and then
runs the same SQL with the request's values in their places. The ORM stays the only author of
the SQL; this only skips writing it again. Speed layer: docs/speed-layer.md "Reusable count SQL".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import QuerySet

_MAX_SHAPES = 64
# Stands in for the moment while the SQL is written: a value no caller passes.
_MOMENT_PLACEHOLDER = datetime(1970, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


class ReusableCount:
    """`SELECT COUNT(*)` over the rows of `build(values)`, compiled once per number of values.

    `build` takes a list of strings and returns the queryset to count; every one of those
    strings must reach the SQL as one parameter of its own (an `__in` or `=` lookup does).
    With `moment=True`, `build` takes a datetime too (the moment a store read is answered for,
    `catalog.listings`), compared with datetime columns; it may reach the SQL several times.
    """

    def __init__(self, build: Callable[..., QuerySet], *, moment: bool = False) -> None:
        self.build = build
        self.moment = moment
        self.model: type | None = None
        self._compiled: dict[
            tuple[str, int], tuple[str, list[Any], list[tuple[int, int]], list[int]]
        ] = {}

    def _queryset(self, values: list[str], at: datetime | None) -> QuerySet:
        return self.build(values, at) if self.moment else self.build(values)

    def _compile(
        self, alias: str, size: int
    ) -> tuple[str, list[Any], list[tuple[int, int]], list[int]]:
        placeholders = [f"\x00reusable-{n}\x00" for n in range(size)]
        queryset = self._queryset(placeholders, _MOMENT_PLACEHOLDER).using(alias)
        inner, params = queryset.query.sql_with_params()
        slots = {value: n for n, value in enumerate(placeholders)}
        positions = [
            (i, slots[p]) for i, p in enumerate(params) if isinstance(p, str) and p in slots
        ]
        if sorted(n for _, n in positions) != list(range(size)):
            raise ValueError("each value must reach the SQL as exactly one parameter")
        moments: list[int] = []
        if self.moment:
            adapted = connections[alias].ops.adapt_datetimefield_value(_MOMENT_PLACEHOLDER)
            moments = [i for i, p in enumerate(params) if p == adapted]
        sql = f"SELECT COUNT(*) FROM ({inner}) AS counted"  # noqa: S608  (the ORM's own SQL)
        return sql, list(params), positions, moments

    def __call__(self, values: Sequence[str], *, at: datetime | None = None) -> int:
        if self.moment and at is None:
            raise ValueError("this count needs the moment it is taken at")
        if self.model is None:
            self.model = self._queryset([], at).model
        using = router.db_for_read(self.model) or DEFAULT_DB_ALIAS
        key = (using, len(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= _MAX_SHAPES:
                self._compiled.clear()
            compiled = self._compiled[key] = self._compile(using, len(values))
        sql, template, positions, moments = compiled
        params = list(template)
        for index, n in positions:
            params[index] = values[n]
        if moments:
            adapted = connections[using].ops.adapt_datetimefield_value(at)
            for index in moments:
                params[index] = adapted
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]


def json_ids_sql() -> str:
    """Return SQL selecting the ids of one JSON array parameter (PostgreSQL and SQLite).

    One parameter whatever the number of ids: no 10,000-placeholder statement to build, send,
    parse and plan, and no batching on SQLite's parameter limit.
    """
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return "SELECT value FROM jsonb_array_elements_text(%s::jsonb)"
    return "SELECT value FROM json_each(%s)"
