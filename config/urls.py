"""Root URLs: the Django admin, the two REST surfaces, the OpenAPI schema and a health check."""

from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path


def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the app can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("health", health, name="health"),
    path(settings.ADMIN_URL, admin.site.urls),
]
