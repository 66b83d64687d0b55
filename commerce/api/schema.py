"""OpenAPI helpers: envelope serializers and the error responses every route documents."""

from __future__ import annotations

from functools import cache

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

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
    }
    return {
        code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in statuses
    }


ADMIN_ERRORS = (400, 401)


class ContractAutoSchema(AutoSchema):
    """Operation ids from the surface, resource and action (`admin_sales_channel_partial_update`)."""

    def get_operation_id(self) -> str:
        action = getattr(self.view, "action", None)
        basename = getattr(self.view, "basename", None)
        surface = "admin" if self.path.startswith("/api/admin/") else "store"
        if action and basename:
            return f"{surface}_{basename.replace('-', '_')}_{action}"
        return f"{surface}_{super().get_operation_id()}"

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # Any route with a path parameter answers 404 for an id that does not exist or that the
        # route cannot match (a dot or a slash in it): idempotent deletes included.
        if "{" in self.path and "404" not in responses:
            responses["404"] = self._get_response_for_code(
                errors(404)[404], "404", direction=direction
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

    def get_tags(self) -> list[str]:
        surface = "Admin" if self.path.startswith("/api/admin/") else "Store"
        resource = self.path.split("/")[3] if len(self.path.split("/")) > 3 else ""
        return [f"{surface}: {resource}"]


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
