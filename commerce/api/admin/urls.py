"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from django.urls import path

from commerce.api.admin.views import AdminAuthView, AdminRegionViewSet, AdminShippingOptionViewSet

routes = [
    ("regions", AdminRegionViewSet, "region"),
    ("shipping-options", AdminShippingOptionViewSet, "shipping-option"),
]
urlpatterns = [path("auth", AdminAuthView.as_view(), name="auth")]
