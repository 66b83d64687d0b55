"""The one exception handler: every API error is JSON `{"type", "message"[, "code"][, "errors"]}`."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponseBase, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from commerce.db.transient import first_line, transient_cause
from commerce.exceptions import CommerceError, RequestErrors

logger = logging.getLogger("commerce.api")

STATUS_BY_TYPE = {
    "invalid_data": 400,
    "not_allowed": 400,
    "not_found": 404,
    "unauthorized": 401,
    "duplicate_error": 422,
    "payment_authorization_error": 422,
    "conflict": 409,
}

UNKNOWN_ERROR = {"type": "unknown_error", "message": "An unknown error occurred."}
UNAVAILABLE_MESSAGES = {
    "deadlock": "The request collided with another one and was rolled back. Retry it.",
    "serialization_failure": "The request collided with another one and was rolled back. Retry it.",
    "lock_timeout": "The data this request needs is busy. Retry it in a moment.",
    "statement_timeout": "The database took too long to answer. Retry the request in a moment.",
}
UNAVAILABLE_DEFAULT = "The database is unavailable. Retry the request in a moment."


def unavailable_body(cause: str) -> dict[str, str]:
    """Return the 503 body of a transient database error (see commerce.db.transient)."""
    return {"type": "unavailable", "message": UNAVAILABLE_MESSAGES.get(cause, UNAVAILABLE_DEFAULT)}


def mark_unavailable(response: HttpResponseBase, cause: str, error: BaseException) -> None:
    """Give a 503 its `Retry-After` and note the cause for the one log line (middleware)."""
    response["Retry-After"] = str(settings.API_RETRY_AFTER_SECONDS)
    response.transient_cause = cause  # type: ignore[attr-defined]  # read by the 503 logger
    response.transient_error = error  # type: ignore[attr-defined]  # read by the 503 logger
    # Django's request logger would log the 503 a second time (without the cause).
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own flag


def log_unavailable(request: Any, cause: str, error: BaseException) -> None:
    """Log the one line of a 503 for a transient database error: its cause, no traceback."""
    logger.warning(
        "%s %s: 503, transient database error (%s): %s",
        request.method,
        request.path,
        cause,
        first_line(error),
    )


def unavailable_response(cause: str, error: BaseException) -> JsonResponse:
    """Return a plain-Django 503 for the paths DRF does not handle."""
    response = JsonResponse(unavailable_body(cause), status=503)
    mark_unavailable(response, cause, error)
    return response


class CommerceAPIException(exceptions.APIException):
    def __init__(self, error: CommerceError) -> None:
        super().__init__()
        self.status_code = error.status or STATUS_BY_TYPE.get(error.type, 500)
        body: dict[str, Any] = {"type": error.type, "message": error.message}
        if error.code:
            body["code"] = error.code
        if isinstance(error, RequestErrors):
            body["errors"] = error.errors
        self.detail = body


def _flatten(detail: Any, prefix: str = "") -> list[str]:
    """Turn DRF's nested error detail into class-validator-style sentences."""
    if isinstance(detail, dict):
        messages: list[str] = []
        for key, value in detail.items():
            name = prefix if key == "non_field_errors" else str(key)
            messages.extend(_flatten(value, name))
        return messages
    if isinstance(detail, list):
        messages = []
        for item in detail:
            messages.extend(_flatten(item, prefix))
        return messages
    text = str(detail)
    # Messages that already name their property ("property x …", "each value in x …") stay as is.
    if (
        prefix
        and text
        and not text.startswith(prefix)
        and not text.startswith(("property ", "each value in "))
    ):
        return [f"{prefix} {text[0].lower()}{text[1:]}"]
    return [text]


def validation_body(detail: Any) -> dict[str, Any]:
    messages = list(dict.fromkeys(_flatten(detail))) or ["Invalid request"]
    body: dict[str, Any] = {"type": "invalid_data", "message": ", ".join(messages)}
    if len(messages) > 1:
        body["errors"] = messages
    return body


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain, validation, auth and unexpected errors to the contract's bodies.

    Delegates to DRF's handler for APIExceptions so `set_rollback()` still runs.
    """
    if isinstance(exc, CommerceError):
        exc = CommerceAPIException(exc)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    else:
        cause = transient_cause(exc)
        if cause is not None:
            # Not a bug: 503 with Retry-After, logged once by TransientDatabaseErrorMiddleware.
            set_rollback()
            unavailable = Response(
                unavailable_body(cause), status=status.HTTP_503_SERVICE_UNAVAILABLE
            )
            mark_unavailable(unavailable, cause, exc)
            return unavailable

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception(
            "Unhandled error in %s", context.get("view").__class__.__name__, exc_info=exc
        )
        set_rollback()
        return Response(UNKNOWN_ERROR, status=status.HTTP_500_INTERNAL_SERVER_ERROR)

    if isinstance(exc, CommerceAPIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response.data = {"type": "unauthorized", "message": "Unauthorized"}
    elif isinstance(exc, exceptions.PermissionDenied):
        response.data = {"type": "not_allowed", "message": str(exc.detail)}
    elif isinstance(exc, exceptions.NotFound):
        response.data = {"type": "not_found", "message": str(exc.detail)}
    elif isinstance(exc, exceptions.ParseError):
        response.data = {"type": "invalid_data", "message": f"Malformed request body: {exc.detail}"}
    elif isinstance(exc, exceptions.Throttled):
        response.data = {"type": "too_many_requests", "message": str(exc.detail)}
    else:
        response.data = {
            "type": "invalid_data" if response.status_code < 500 else "unknown_error",
            "message": str(exc.detail),  # type: ignore[attr-defined]  # an APIException: DRF answered it
        }
    return response
