"""Root URLs: the Django admin, the two REST surfaces, the OpenAPI schema and the health checks."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from commerce import health

urlpatterns = [
    path("health", health.health, name="health"),
    path("health/live", health.live, name="health-live"),
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
