"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from commerce.api.admin.views import AdminAuthView, AdminRegionViewSet, AdminShippingOptionViewSet
from commerce.api.paths import view_paths

routes = [
    ("regions", AdminRegionViewSet, "region"),
    ("shipping-options", AdminShippingOptionViewSet, "shipping-option"),
]
urlpatterns = view_paths([("auth", AdminAuthView, "auth")])
