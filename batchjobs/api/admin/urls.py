"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from django.urls import path

from batchjobs.api.admin.views import AdminBatchJobViewSet, AdminDownloadUrlView, AdminUploadView

routes = [("batch-jobs", AdminBatchJobViewSet, "batch-job")]
urlpatterns = [
    path("uploads", AdminUploadView.as_view(), name="upload"),
    path("uploads/download-url", AdminDownloadUrlView.as_view(), name="upload-download-url"),
]
