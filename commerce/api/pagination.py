"""Limit/offset pagination with Medusa's envelope `{<plural>: [...], count, offset, limit}`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from commerce.selectors import ListPlan

MAX_LIMIT = 1000


def _non_negative_int(raw: str | None, name: str, default: int, maximum: int | None = None) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ValidationError({name: [f"{name} must be a non-negative integer"]})
    value = int(raw)
    if maximum is not None and value > maximum:
        raise ValidationError({name: [f"{name} must not be greater than {maximum}"]})
    return value


class EnvelopeLimitOffsetPagination(BasePagination):
    """The view sets `envelope_plural` and `default_limit` (20, 50 or 100)."""

    max_limit = MAX_LIMIT

    def read_bounds(self, request, view) -> None:
        """Set `view`, `limit` (the view's `default_limit`, at most `max_limit`) and `offset`."""
        self.view = view
        self.limit = _non_negative_int(
            request.query_params.get("limit"),
            "limit",
            getattr(view, "default_limit", 20),
            self.max_limit,
        )
        self.offset = _non_negative_int(request.query_params.get("offset"), "offset", 0)

    def paginate_queryset(self, queryset, request, view=None):
        self.read_bounds(request, view)
        self.count = queryset.count()
        if self.limit == 0 or self.offset >= self.count:
            return []
        return list(queryset[self.offset : self.offset + self.limit])

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                self.view.envelope_plural: data,
                "count": self.count,
                "offset": self.offset,
                "limit": self.limit,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        plural = (getattr(self, "view", None) and self.view.envelope_plural) or "results"
        return {
            "type": "object",
            "required": [plural, "count", "offset", "limit"],
            "properties": {
                plural: schema,
                "count": {"type": "integer", "example": 123},
                "offset": {"type": "integer", "example": 0},
                "limit": {"type": "integer", "example": 20},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 0, "maximum": self.max_limit},
                "description": f"Page size (default {getattr(view, 'default_limit', 20)}, at most {self.max_limit}).",
            },
            {
                "name": "offset",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 0},
                "description": "Rows to skip.",
            },
        ]


class UncountedLimitOffsetPagination(EnvelopeLimitOffsetPagination):
    """A page without a count, `{<plural>: [...]}`: Medusa's `/store/variants`."""

    def paginate_queryset(self, queryset, request, view=None):
        self.read_bounds(request, view)
        # Past any real row, and small enough for SQL's 64-bit OFFSET (a bigger one was a 500).
        offset = min(self.offset, 2**62)
        return list(queryset[offset : offset + self.limit]) if self.limit else []

    def get_paginated_response(self, data: Any) -> Response:
        return Response({self.view.envelope_plural: data})


# ---- SINGLE-PASS PAGES (appended for issue 7) ----

SINGLE_PASS_MIN_OFFSET = 200


def _order_columns(queryset: QuerySet) -> list[tuple[str, bool]] | None:
    """Return the queryset's ordering as (column, descending) pairs, or None if not plain columns."""
    model = queryset.model
    terms = list(queryset.query.order_by) or list(model._meta.ordering)
    columns = []
    for term in terms:
        if not isinstance(term, str):
            return None
        name = term.lstrip("-")
        if name == "pk":
            name = model._meta.pk.name
        if "__" in name or name == "?":
            return None
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False) or field.is_relation:
            return None
        columns.append((field.column, term.startswith("-")))
    return columns


# docs/speed-layer.md "One-pass deep pages"
def page_ids_and_count(
    queryset: QuerySet, *, limit: int, offset: int
) -> tuple[list[Any], int] | None:
    """Return (the page's primary keys, the exact count) from ONE scan of the matching rows.

    The matching rows' keys and sort columns are materialised once; the count and the sorted
    page are both read from that, so a deep page costs no more than the count itself (instead
    of a count plus a second scan that carries whole rows through the sort). PostgreSQL only;
    None when the queryset is not a plain filtered, column-ordered model query.
    """
    query = queryset.query
    if (
        connection.vendor != "postgresql"
        or query.combinator
        or query.distinct_fields
        or query.annotations
        or query.group_by is not None
        or query.extra
        or query.low_mark
        or query.high_mark is not None
    ):
        return None
    columns = _order_columns(queryset)
    if columns is None:
        return None
    pk_column = queryset.model._meta.pk.column
    names = list(dict.fromkeys([pk_column, *(column for column, _ in columns)]))
    attnames = {
        f.column: f.attname for f in queryset.model._meta.concrete_fields if f.column in names
    }
    inner_sql, params = (
        queryset.order_by().values_list(*(attnames[n] for n in names)).query.sql_with_params()
    )
    quote = connection.ops.quote_name
    order_sql = ", ".join(f"m.{quote(c)} {'DESC' if desc else 'ASC'}" for c, desc in columns)
    sql = (
        f"WITH m AS MATERIALIZED ({inner_sql}) "  # noqa: S608  (quoted column names only)
        f"SELECT c.n, p.{quote(pk_column)} FROM (SELECT count(*) AS n FROM m) AS c "
        f"LEFT JOIN LATERAL (SELECT m.{quote(pk_column)} FROM m ORDER BY {order_sql} "
        "LIMIT %s OFFSET %s) AS p ON true"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = cursor.fetchall()
    count = rows[0][0] if rows else 0
    return [row[1] for row in rows if row[1] is not None], count


class SinglePassLimitOffsetPagination(EnvelopeLimitOffsetPagination):
    """Limit/offset pages of a `ListPlan` (commerce.selectors): cheap counts, deep pages in one pass.

    The view hands over a plan (or a plain queryset: a plan without shortcuts). The plan's
    `count` replaces `queryset.count()` where the selector knows a cheaper exact count; its
    `page` replaces the deep page's read where the selector knows a cheaper walk. Without them,
    deep pages (offset ≥ SINGLE_PASS_MIN_OFFSET) read their ids and the count in one pass, then
    the page's rows by primary key (with the queryset's joins and prefetches); shallow pages keep
    the count + LIMIT query, which walks an index in order and stops early. Whichever way, the
    page's rows are read with `plan.rows`. A list costs the same number of queries whichever way:
    two, or one when the page is empty. Elsewhere than on PostgreSQL the one-pass read does not
    apply and deep pages are read as shallow ones.
    """

    def paginate_queryset(self, queryset, request, view=None):
        plan = queryset if isinstance(queryset, ListPlan) else ListPlan(queryset)
        self.read_bounds(request, view)
        offset, limit = self.offset, self.limit
        rows = plan.rows
        deep = offset >= SINGLE_PASS_MIN_OFFSET
        walk = plan.page if plan.page is not None and deep and limit else None
        if walk is not None or not deep:
            count = plan.count() if plan.count is not None else None
            if count is not None:
                self.count = count
                if limit == 0 or offset >= count:
                    return []
                # Asked only now: a page past the end costs no walk (a cached walk is read).
                page = walk(offset, limit) if walk is not None else None
                if isinstance(page, list):  # the rows, already read with `plan.rows`
                    return page
                if page is not None:
                    return list(rows(page))
                if not deep and plan.shallow_page is not None:
                    return plan.shallow_page(offset, limit)
                return list(rows(plan.queryset)[offset : offset + limit])
            if not deep:
                self.count = plan.queryset.count()
                if limit == 0 or offset >= self.count:
                    return []
                return list(rows(plan.queryset)[offset : offset + limit])
        queryset = plan.queryset
        # SQL's OFFSET is a 64-bit integer; anything past 2**62 is past every row anyway.
        sql_offset = min(offset, 2**62)
        found = page_ids_and_count(queryset, limit=limit, offset=sql_offset) if limit else None
        if found is None:
            self.count = queryset.count()
            if limit == 0 or offset >= self.count:
                return []
            return list(rows(queryset)[sql_offset : sql_offset + limit])
        ids, self.count = found
        if not ids:
            return []
        found_rows = {row.pk: row for row in rows(queryset.order_by().filter(pk__in=ids))}
        return [found_rows[pk] for pk in ids if pk in found_rows]
