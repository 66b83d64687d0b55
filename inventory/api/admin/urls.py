"""Routes of this surface: `(prefix, viewset, basename)` for the router, plus plain URL patterns."""

from commerce.api.paths import view_paths
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
urlpatterns = view_paths(
    [
        (
            "sales-channels/<str:channel_id>/stock-locations",
            SalesChannelStockLocationsView,
            "sales-channel-stock-locations",
        ),
        (
            "inventory-items/<str:item_id>/location-levels",
            InventoryItemLocationLevelsView,
            "inventory-item-location-levels",
        ),
        (
            "inventory-items/<str:item_id>/location-levels/<str:location_id>",
            InventoryItemLocationLevelView,
            "inventory-item-location-level",
        ),
        ("variants/<str:variant_id>/inventory", VariantInventoryView, "variant-inventory"),
    ]
)
