"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from django.urls import path

from catalog.api.admin.taxonomy import AdminCollectionViewSet, AdminProductCategoryViewSet
from catalog.api.admin.views import AdminProductViewSet, AdminSalesChannelProductsBatchView

routes = [
    ("products", AdminProductViewSet, "product"),
    ("collections", AdminCollectionViewSet, "collection"),
    ("product-categories", AdminProductCategoryViewSet, "product-category"),
]
urlpatterns = [
    # Under the sales-channels prefix, but here: it calls a catalog service.
    path(
        "sales-channels/<str:pk>/products/batch",
        AdminSalesChannelProductsBatchView.as_view(),
        name="sales-channel-products-batch",
    ),
]
