"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from orders.api.admin.views import AdminOrderViewSet

routes = [("orders", AdminOrderViewSet, "order")]
urlpatterns: list = []
