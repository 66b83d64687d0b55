"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from commerce.api.paths import view_paths
from saleschannels.api.admin.users import AdminUserViewSet
from saleschannels.api.admin.views import (
    AdminPublishableApiKeySalesChannelViewSet,
    AdminPublishableApiKeyViewSet,
    AdminSalesChannelViewSet,
    AdminStoreView,
)

routes = [
    ("sales-channels", AdminSalesChannelViewSet, "sales-channel"),
    ("publishable-api-keys", AdminPublishableApiKeyViewSet, "publishable-api-key"),
    (
        r"publishable-api-keys/(?P<key_id>[^/.]+)/sales-channels",
        AdminPublishableApiKeySalesChannelViewSet,
        "publishable-api-key-sales-channel",
    ),
    ("users", AdminUserViewSet, "user"),
]
# The store view lives here because it calls the default-channel service (commerce cannot).
urlpatterns = view_paths([("store", AdminStoreView, "store")])
