"""Limit/offset pagination with Medusa's envelope `{<plural>: [...], count, offset, limit}`."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

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

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        self.limit = _non_negative_int(
            request.query_params.get("limit"),
            "limit",
            getattr(view, "default_limit", 20),
            self.max_limit,
        )
        self.offset = _non_negative_int(request.query_params.get("offset"), "offset", 0)
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
