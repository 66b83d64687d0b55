"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

routes: list = []
urlpatterns: list = []
