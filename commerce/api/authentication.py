"""Admin API authentication: per-user API tokens (`x-medusa-access-token`) and the Django session."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, PermissionDenied
from rest_framework.permissions import BasePermission

from commerce import permissions, selectors
from commerce.exceptions import InvalidData
from commerce.models import ApiToken, hash_api_token

TOKEN_HEADER = "x-medusa-access-token"  # noqa: S105  (a header name, not a secret)


class ApiTokenAuthentication(BaseAuthentication):
    """`x-medusa-access-token: <token>`: what medusa-js sends for its `apiKey` option.

    Tokens are stored as SHA-256 hashes and compared in constant time.
    """

    def authenticate(self, request):
        raw = request.headers.get(TOKEN_HEADER)
        if not raw:
            return None
        token = selectors.api_token_with_user(token_hash=hash_api_token(raw))
        if token is None or not token.matches(raw) or not token.user.is_active:
            raise AuthenticationFailed("Unauthorized")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        return TOKEN_HEADER


class CsrfSessionAuthentication(SessionAuthentication):
    """The Django admin's session; writes need the CSRF token, as everywhere in Django."""


class IsStaffUser(BasePermission):
    """Active staff only. Anyone else gets 401 (not 403), as Medusa answers."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            raise NotAuthenticated()
        refuse_null_characters_in_path(getattr(view, "kwargs", None) or {})
        return True


class AdminPermission(IsStaffUser):
    """Active staff, holding the permissions `commerce.permissions.ADMIN_API` declares for the route.

    A route or method with no declaration is refused to everyone but superusers (fail closed).
    A refusal is a 403 `not_allowed` naming the missing permission; it happens before the view
    runs, so nothing changes.
    """

    def has_permission(self, request, view) -> bool:
        super().has_permission(request, view)
        match = request.resolver_match
        in_admin_api = match is not None and "admin-api" in match.namespaces
        rule = permissions.admin_api_rule(match.url_name, request.method) if in_admin_api else None
        if rule is None:
            if request.user.is_superuser:
                return True
            raise PermissionDenied(permissions.UNDECLARED_MESSAGE)
        if rule.public or rule.staff:
            return True
        body = request.data if rule.when_body else None
        missing = permissions.missing_permission(request.user, rule.permissions_for(body))
        if missing is not None:
            raise PermissionDenied(permissions.refusal_message(missing))
        return True


def refuse_null_characters_in_path(kwargs: dict) -> None:
    """Refuse a path id holding a NUL character (400), as the store routes do.

    No id has one, and PostgreSQL cannot even compare such text (it would be a 500). Every admin
    view runs `AdminPermission` (an `IsStaffUser`) right after authentication, so this is the one place for the check.
    """
    for name, value in kwargs.items():
        if isinstance(value, str) and "\x00" in value:
            label = "id" if name == "pk" else name
            raise InvalidData(f"{label} must not contain null characters")


ADMIN_AUTHENTICATION = [ApiTokenAuthentication, CsrfSessionAuthentication]
ADMIN_PERMISSIONS = [AdminPermission]
