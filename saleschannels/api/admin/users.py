"""`/api/admin/users`: Medusa's staff users, their role and (our extension) their channel scope.

It lives in `saleschannels` because a user's `sales_channel_ids` is a channel scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from commerce import permissions, services
from commerce.api.admin.serializers import AdminUserSerializer
from commerce.api.mixins import validated_input
from commerce.api.schema import envelope, operation
from commerce.api.serializers import (
    MetadataField,
    StrictCharField,
    StrictCharListField,
    StrictInputSerializer,
)
from commerce.api.viewsets import contract_schema
from commerce.models import User
from saleschannels import selectors as channel_selectors
from saleschannels import services as channel_services

ROLE_VALUES = ", ".join(permissions.ROLES)


class RoleField(serializers.ChoiceField):
    default_error_messages = {
        "invalid_choice": f"must be one of the following values: {ROLE_VALUES}",
        "required": f"must be one of the following values: {ROLE_VALUES}",
        "null": f"must be one of the following values: {ROLE_VALUES}",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=permissions.ROLES, **kwargs)


class AdminStaffUserSerializer(AdminUserSerializer):
    """A user of the users routes: Medusa's user, its role from its group. Never a password.

    Our extension: `sales_channel_ids`, the channels the user is scoped to (null: every channel).
    """

    sales_channel_ids = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_sales_channel_ids(self, user: User) -> list[str] | None:
        return channel_selectors.user_sales_channel_ids(user)


class AdminUserCreateInputSerializer(StrictInputSerializer):
    email = StrictCharField(max_length=254)
    password = StrictCharField(max_length=4096, trim_whitespace=False)
    first_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    last_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    role = RoleField(required=False)
    metadata = MetadataField(required=False, allow_null=True)
    sales_channel_ids = StrictCharListField(required=False, allow_null=True, max_length=1000)

    def validate_email(self, value: str) -> str:
        try:
            validate_email(value.strip())
        except DjangoValidationError as error:
            raise serializers.ValidationError("must be an email") from error
        return value.strip().lower()

    def validate_password(self, value: str) -> str:
        try:
            validate_password(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(" ".join(error.messages)) from error
        return value


class AdminUserUpdateInputSerializer(StrictInputSerializer):
    first_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    last_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    role = RoleField(required=False)
    metadata = MetadataField(required=False, allow_null=True)
    sales_channel_ids = StrictCharListField(required=False, allow_null=True, max_length=1000)


UserEnvelope = envelope("AdminStaffUserResponse", AdminStaffUserSerializer, key="user")


@extend_schema_serializer(many=False)  # a list action, answered as one object (not paginated)
class AdminStaffUsersResponseSerializer(serializers.Serializer):
    users = AdminStaffUserSerializer(many=True)


USER_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description="The user id (`usr_…`).")


@contract_schema(
    UserEnvelope,
    list=operation(
        "List staff users",
        errors=(401, 403),
        description="Not paginated (as in Medusa): `{users: [...]}`, oldest first.",
        answer=AdminStaffUsersResponseSerializer,
    ),
    retrieve=operation("Get a staff user", errors=(401, 403, 404), parameters=[USER_ID]),
    create=operation(
        "Create a staff user",
        errors=(400, 401, 403, 422),
        description=(
            "`role` (admin, member, developer; default member) puts the user in that role's "
            "group. You can only grant a role whose permissions you hold (403 otherwise)."
        ),
    ),
    partial_update=operation(
        "Update a staff user", errors=(400, 401, 403, 404), parameters=[USER_ID]
    ),
    destroy=operation(
        "Delete a staff user (and their API tokens; yourself is refused; idempotent)",
        errors=(400, 401, 403),
        parameters=[USER_ID],
    ),
    me=operation("The signed-in user", errors=(401,)),
)
class AdminUserViewSet(viewsets.ViewSet):
    create_input_serializer_class = AdminUserCreateInputSerializer
    update_input_serializer_class = AdminUserUpdateInputSerializer

    def _render(self, user_id: str) -> Response:
        user = services.user_get(user_id=user_id)
        return Response({"user": AdminStaffUserSerializer(user).data})

    def list(self, request: Request) -> Response:
        users = channel_selectors.staff_user_qs_for_admin()
        return Response({"users": AdminStaffUserSerializer(users, many=True).data})

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._render(pk)

    def create(self, request: Request) -> Response:
        payload = validated_input(self.create_input_serializer_class, request.data)
        user = channel_services.staff_user_create(**payload, actor=permissions.acting_user(request))
        return self._render(user.pk)

    def partial_update(self, request: Request, pk: str) -> Response:
        payload = validated_input(self.update_input_serializer_class, request.data)
        user = channel_services.staff_user_update(
            user_id=pk, actor=permissions.acting_user(request), **payload
        )
        return self._render(user.pk)

    def destroy(self, request: Request, pk: str) -> Response:
        services.user_delete(user_id=pk, actor=permissions.acting_user(request))
        return Response({"id": pk, "object": "user", "deleted": True})

    @action(detail=False, methods=["get"])
    def me(self, request: Request) -> Response:
        return Response({"user": AdminStaffUserSerializer(request.user).data})
