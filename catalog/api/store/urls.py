"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from catalog.api.store.taxonomy import CollectionViewSet, ProductCategoryViewSet
from catalog.api.store.views import ProductViewSet, VariantViewSet

routes = [
    ("products", ProductViewSet, "product"),
    ("variants", VariantViewSet, "variant"),
    ("collections", CollectionViewSet, "collection"),
    ("product-categories", ProductCategoryViewSet, "product-category"),
]
urlpatterns: list = []
