"""Staff users with exactly the permissions a test names, and clients acting as them."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from commerce.models import User
from commerce.services import api_token_create
from tests.commerce.factories import UserFactory


def permission_objects(perms: Iterable[str]) -> list[Permission]:
    found = []
    for perm in perms:
        app_label, codename = perm.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def staff_with(*perms: str, email: str | None = None) -> User:
    """An active staff user (not a superuser) holding exactly `perms`."""
    user = UserFactory(is_staff=True, **({"email": email} if email else {}))
    user.user_permissions.set(permission_objects(perms))
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


def token_client(user: User) -> APIClient:
    return APIClient(HTTP_X_MEDUSA_ACCESS_TOKEN=api_token_create(user=user).raw)
