"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from django.urls import path

from inventory.api.admin.views import (
    InventoryItemLocationLevelsView,
    InventoryItemLocationLevelView,
    InventoryItemViewSet,
    SalesChannelStockLocationsView,
    StockLocationViewSet,
    VariantInventoryView,
)

routes = [
    ("stock-locations", StockLocationViewSet, "stock-location"),
    ("inventory-items", InventoryItemViewSet, "inventory-item"),
]
urlpatterns = [
    path(
        "sales-channels/<str:channel_id>/stock-locations",
        SalesChannelStockLocationsView.as_view(),
        name="sales-channel-stock-locations",
    ),
    path(
        "inventory-items/<str:item_id>/location-levels",
        InventoryItemLocationLevelsView.as_view(),
        name="inventory-item-location-levels",
    ),
    path(
        "inventory-items/<str:item_id>/location-levels/<str:location_id>",
        InventoryItemLocationLevelView.as_view(),
        name="inventory-item-location-level",
    ),
    path(
        "variants/<str:variant_id>/inventory",
        VariantInventoryView.as_view(),
        name="variant-inventory",
    ),
]
