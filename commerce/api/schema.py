"""OpenAPI helpers: envelope serializers, the error responses every route documents, `operation()`.

`operation()` is how every route declares its operation: summary, body, answer, error statuses.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_parameter_type, get_view_model
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.fields import empty

from commerce.api.filters import ContractOrderingFilter, view_query_params
from commerce.api.mixins import ExpandMixin
from commerce.api.serializers import ContractModelSerializer


class ErrorSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="invalid_data, not_allowed, not_found, unauthorized, duplicate_error, conflict, unknown_error"
    )
    message = serializers.CharField()
    code = serializers.CharField(required=False)
    errors = serializers.ListField(child=serializers.CharField(), required=False)  # type: ignore[assignment]  # a body field, not the Serializer attribute


class DeleteResponseSerializer(serializers.Serializer):
    id = serializers.CharField()
    object = serializers.CharField()
    deleted = serializers.BooleanField()


@cache
def envelope(
    name: str, serializer: type[serializers.Serializer], *, key: str
) -> serializers.Serializer:
    """Return a schema-only serializer `{key: serializer}` named `name`."""
    return inline_serializer(name=name, fields={key: serializer()})


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    descriptions = {
        400: "Invalid data or not allowed",
        401: "Unauthorized",
        403: "Not allowed: a permission the route needs is missing (docs/permissions.md)",
        404: "Not found",
        409: "Conflict",
        413: "Request body too large",
        415: "Unsupported media type: send JSON",
        422: "Duplicate",
        429: "Too many attempts: try again after `Retry-After` seconds",
    }
    return {
        code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in statuses
    }


ADMIN_ERRORS = (400, 401)

Decorated = TypeVar("Decorated", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    """One operation's words, from `operation()`.

    Called on a view method, action or class, it is that operation's `extend_schema`, and
    `extend_schema_view(get=...)` takes it as one.
    """

    words: dict[str, Any]  # extend_schema's arguments, but its responses
    statuses: tuple[int, ...]  # the error statuses
    answer: Any  # the body of the `status` response; `empty`: the view's (contract_schema)
    status: int
    responses: dict[int, Any]  # other answers, after the errors

    def schema(self, answer: Any = empty, **defaults: Any) -> Callable[[Decorated], Decorated]:
        """Return its `extend_schema`. The `status` response is its own answer, else `answer`.

        `answer` and `defaults` (extend_schema arguments that the operation's own words
        override) are what the view tells: `contract_schema` passes the view's answer and input
        serializer, `batch_schema` the route's method, operation id and body.
        """
        if self.answer is not empty:
            answer = self.answer
        if answer is empty:
            raise TypeError(f"operation {self.words['summary']!r} has no answer")
        return extend_schema(
            **{**defaults, **self.words},
            responses={self.status: answer, **errors(*self.statuses), **self.responses},
        )

    def __call__(self, target: Decorated) -> Decorated:
        return self.schema()(target)


def operation(
    summary: str,
    *,
    errors: tuple[int, ...],
    answer: Any = empty,
    status: int = 200,
    responses: dict[int, Any] | None = None,
    description: str | None = None,
    parameters: list[Any] | None = None,
    request: Any = empty,
    operation_id: str | None = None,
    methods: list[str] | None = None,
    auth: list[str] | None = None,
) -> Operation:
    """Declare an operation: its summary, error statuses, answer and, as they apply, the rest.

    `answer` is the body of the `status` response (`None`: no body). A `contract_schema`
    action may leave it out: the view tells its answer (a detail envelope, a page, a delete
    object), as it tells the body of a create or an update (its input serializers).
    `responses`: any other answers, listed after the errors. `request`: the
    body (`None`: none). `description`, `parameters`, `operation_id`, `methods` and `auth`
    as `extend_schema` takes them.
    """
    given = {
        "summary": summary,
        "description": description,
        "parameters": parameters,
        "operation_id": operation_id,
        "methods": methods,
        "auth": auth,
    }
    words = {key: value for key, value in given.items() if value is not None}
    if request is not empty:
        words["request"] = request
    return Operation(words, errors, answer, status, dict(responses or {}))


class ContractAutoSchema(AutoSchema):
    """Operation ids from the surface, resource and action (`admin_sales_channel_partial_update`)."""

    def get_operation_id(self) -> str:
        action = getattr(self.view, "action", None)
        basename = getattr(self.view, "basename", None)
        surface = "admin" if self.path.startswith("/api/admin/") else "store"
        if action and basename:
            return f"{surface}_{basename.replace('-', '_')}_{action}"
        return f"{surface}_{super().get_operation_id()}"

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular's own signature
        """Return what `operation()` or `extend_schema` says, else the view's own docstrings.

        The docstring of the action as the view class itself defines it, else that class's own
        docstring. drf-spectacular's default reads docstrings through `inspect.getdoc`, which inherits them:
        every view without one of its own was documented by its base class's developer note
        (29 operations read "Detail responses are `{<singular>: {...}}`..."). A docstring
        inherited from a base class or mixin is never an operation's description.
        """
        view_class = type(self.view)
        action = getattr(self.view, "action", None) or self.method.lower()
        method = view_class.__dict__.get(action)
        own = getattr(method, "__doc__", None) or view_class.__dict__.get("__doc__")
        return inspect.cleandoc(own) if own else ""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # Any route with a path parameter answers 404 for an id that does not exist or that the
        # route cannot match (a dot or a slash in it): idempotent deletes included.
        if "{" in self.path and "404" not in responses:
            responses["404"] = self._get_response_for_code(
                errors(404)[404], "404", direction=direction
            )
        if self.method == "GET" and isinstance(self.view, ExpandMixin) and "400" not in responses:
            # A bad `expand` or `fields` (documented below), or a parameter that does not exist.
            responses["400"] = self._get_response_for_code(
                errors(400)[400], "400", direction=direction
            )
        if self.method != "GET" and self._get_request_body() is not None:
            # A body over DATA_UPLOAD_MAX_MEMORY_SIZE, or one that is not JSON.
            for code in (413, 415):
                responses.setdefault(
                    str(code), self._get_response_for_code(errors(code)[code], str(code))
                )
        return responses

    def _get_paginator(self):
        # The envelope key of a page is the view's `envelope_plural` (see the pagination class).
        paginator = super()._get_paginator()
        if paginator is not None:
            paginator.view = self.view
        return paginator

    def _postprocess_serializer_schema(self, schema, serializer, direction):
        schema = super()._postprocess_serializer_schema(schema, serializer, direction)
        if direction == "response" and isinstance(serializer, ContractModelSerializer):
            # `fields` and `expand` drop any other property, so only these are always there.
            required = [
                name for name in schema.get("required", []) if name in serializer.always_fields
            ]
            schema.pop("required", None)
            if required:
                schema["required"] = required
        return schema

    def get_override_parameters(self) -> list:
        # `expand` and `fields` of an ExpandMixin view, generated from its allow-lists (the
        # objects that check them); a view's own `extend_schema(parameters=...)` still wins.
        parameters = list(super().get_override_parameters())
        if self.method == "GET" and isinstance(self.view, ExpandMixin):
            given = {p.name for p in parameters if isinstance(p, OpenApiParameter)}
            parameters = [
                *(p for p in expand_parameters(self.view) if p.name not in given),
                *parameters,
            ]
        return parameters

    def get_tags(self) -> list[str]:
        surface = "Admin" if self.path.startswith("/api/admin/") else "Store"
        resource = self.path.split("/")[3] if len(self.path.split("/")) > 3 else ""
        return [f"{surface}: {resource}"]


def expand_parameters(view: ExpandMixin) -> list[OpenApiParameter]:
    """Document `expand` and `fields` from the view's `default_relations` and allow-lists."""
    relations = list(view.allowed_relations)
    defaults = list(view.default_relations)
    fields = list(view.allowed_fields)
    expand_doc = "Comma list of relations to include, replacing the defaults"
    expand_doc += f" ({', '.join(defaults)})" if defaults else " (none)"
    expand_doc += "; empty for none."
    if relations:
        expand_doc += f" One or more of: {', '.join(relations)}."
    fields_doc = "Comma list of the fields to return"
    fields_doc += f": {', '.join(fields)}." if fields else "."
    return [
        OpenApiParameter(
            "expand", {"type": "string", "example": ",".join(defaults[:1])}, description=expand_doc
        ),
        OpenApiParameter(
            "fields",
            {"type": "string", "example": "id" if "id" in fields else ",".join(fields[:1])},
            description=fields_doc,
        ),
    ]


class ContractFilterExtension(DjangoFilterExtension):
    """The list's query parameters from its FilterSet, under their wire names.

    `x[]` for arrays, `created_at[gt]` for date comparisons, `order` with its fields: the same
    objects the request parser reads (commerce.api.filters.view_query_params), so the schema
    documents exactly what a list accepts (tests/commerce/api/test_schema_params.py).
    """

    target_class = "commerce.api.filters.ContractFilterBackend"
    match_subclasses = True
    priority = 1  # over drf-spectacular's own DjangoFilterExtension, which matches too

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        view = auto_schema.view
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return []
        model = get_view_model(view)
        params, _ = view_query_params(view)
        result = []
        for wire, name in params.wire_names().items():
            filter_ = filterset_class.base_filters[name]
            if isinstance(filter_, ContractOrderingFilter):
                result.append(_order_parameter(filter_))
                continue
            if name != wire and not wire.endswith("[]"):  # a date comparison
                column, op = name.rsplit("__", 1)
                result.append(
                    build_parameter_type(
                        name=wire,
                        location=OpenApiParameter.QUERY,
                        schema={"type": "string", "format": "date-time"},
                        description=(
                            f"{column} {_DATE_WORDS[op]} this ISO 8601 date/time "
                            "(or number of Unix seconds)."
                        ),
                    )
                )
                continue
            [parameter] = self.resolve_filter_field(
                auto_schema, model, filterset_class, name, filter_
            )
            parameter["name"] = wire
            if not parameter.get("description") and filter_.extra.get("help_text"):
                parameter["description"] = str(filter_.extra["help_text"])
            if params.flagged.get(name):
                parameter["description"] = (
                    parameter.get("description") or ""
                ) + f" Refused (400) when the {params.flagged[name]} feature is off."
            if wire.endswith("[]"):
                schema = parameter["schema"]
                parameter["schema"] = (
                    schema if schema.get("type") == "array" else (build_array_type(schema))
                )
                parameter["style"], parameter["explode"] = "form", True
            result.append(parameter)
        return result


_DATE_WORDS = {"lt": "before", "lte": "at or before", "gt": "after", "gte": "at or after"}


def _order_parameter(filter_: ContractOrderingFilter) -> dict:
    return build_parameter_type(
        name="order",
        location=OpenApiParameter.QUERY,
        schema={"type": "string", "example": filter_.default[0]},
        description=(
            f"Sort by {', '.join(filter_.allowed)}; `-` before a field for descending, a comma "
            f"list for several. Default {','.join(filter_.default)}."
        ),
    )


class DeleteWithBodyAutoSchema(ContractAutoSchema):
    """Document the JSON body of a batch `DELETE` (drf-spectacular skips DELETE bodies)."""

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "commerce.api.authentication.ApiTokenAuthentication"
    name = "api_token"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "x-medusa-access-token"}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "commerce.api.authentication.CsrfSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
