"""OpenAPI helpers: envelope serializers and the error responses every route documents."""

from __future__ import annotations

from functools import cache

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="invalid_data, not_allowed, not_found, unauthorized, duplicate_error, conflict, unknown_error"
    )
    message = serializers.CharField()
    code = serializers.CharField(required=False)
    errors = serializers.ListField(child=serializers.CharField(), required=False)


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
        404: "Not found",
        409: "Conflict",
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

    def get_tags(self) -> list[str]:
        surface = "Admin" if self.path.startswith("/api/admin/") else "Store"
        resource = self.path.split("/")[3] if len(self.path.split("/")) > 3 else ""
        return [f"{surface}: {resource}"]


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
