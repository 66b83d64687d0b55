"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from commerce.api.store.views import RegionViewSet

routes = [("regions", RegionViewSet, "region")]
urlpatterns: list = []
