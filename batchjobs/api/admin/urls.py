"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from batchjobs.api.admin.views import AdminBatchJobViewSet, AdminDownloadUrlView, AdminUploadView
from commerce.api.paths import view_paths

routes = [("batch-jobs", AdminBatchJobViewSet, "batch-job")]
urlpatterns = view_paths(
    [
        ("uploads", AdminUploadView, "upload"),
        ("uploads/download-url", AdminDownloadUrlView, "upload-download-url"),
    ]
)
