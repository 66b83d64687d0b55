"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from saleschannels.api.admin.views import AdminSalesChannelViewSet

routes = [("sales-channels", AdminSalesChannelViewSet, "sales-channel")]
urlpatterns: list = []
