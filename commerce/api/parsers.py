"""Request body parsing: JSON only, and no larger than `DATA_UPLOAD_MAX_MEMORY_SIZE`."""

from __future__ import annotations

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser


class RequestBodyTooLarge(APIException):
    """413 `{"type": "invalid_data", "message": ...}` (the exception handler words it)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies over `DATA_UPLOAD_MAX_MEMORY_SIZE` before reading them.

    Django enforces that setting only for form data and `request.body`; DRF's parser reads the
    stream itself, so without this a JSON body of any size would be read and parsed.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if limit is not None and request is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestBodyTooLarge(
                    f"Request body is too large: at most {limit} bytes are accepted"
                )
        return super().parse(stream, media_type, parser_context)
