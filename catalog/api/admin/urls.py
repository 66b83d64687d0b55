"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from catalog.api.admin.taxonomy import AdminCollectionViewSet, AdminProductCategoryViewSet
from catalog.api.admin.views import AdminProductViewSet, AdminSalesChannelProductsBatchView
from commerce.api.paths import view_paths

routes = [
    ("products", AdminProductViewSet, "product"),
    ("collections", AdminCollectionViewSet, "collection"),
    ("product-categories", AdminProductCategoryViewSet, "product-category"),
]
# Under the sales-channels prefix, but here: it calls a catalog service.
urlpatterns = view_paths(
    [
        (
            "sales-channels/<str:pk>/products/batch",
            AdminSalesChannelProductsBatchView,
            "sales-channel-products-batch",
        )
    ]
)
