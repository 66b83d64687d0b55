"""Root URLs: the Django admin, the two REST surfaces, the OpenAPI schema and a health check."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the app can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("health", health, name="health"),
    path("api/admin/", include("config.admin_api", namespace="admin-api")),
    path("api/store/", include("config.store_api", namespace="store-api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
    # Uploaded product pictures under MEDIA_ROOT, with DEBUG on only (`make run`); production
    # serves them from its storage (S3) or its web server.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]

handler404 = "commerce.api.views.not_found"
handler500 = "commerce.api.views.server_error"
