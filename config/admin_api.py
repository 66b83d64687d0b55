"""The admin REST surface: one router fed by each app's `api/admin/urls.py` `routes` list."""

from carts.api.admin.urls import routes as carts_routes
from catalog.api.admin.urls import routes as catalog_routes
from catalog.api.admin.urls import urlpatterns as catalog_urls
from commerce.api.admin.urls import routes as commerce_routes
from commerce.api.admin.urls import urlpatterns as commerce_urls
from commerce.api.routers import MedusaRouter
from inventory.api.admin.urls import routes as inventory_routes
from inventory.api.admin.urls import urlpatterns as inventory_urls
from orders.api.admin.urls import routes as orders_routes
from saleschannels.api.admin.urls import routes as saleschannels_routes
from saleschannels.api.admin.urls import urlpatterns as saleschannels_urls
from webhooks.api.admin.urls import routes as webhooks_routes

app_name = "admin-api"

router = MedusaRouter()
for prefix, viewset, basename in [
    *commerce_routes,
    *saleschannels_routes,
    *catalog_routes,
    *inventory_routes,
    *carts_routes,
    *orders_routes,
    *webhooks_routes,
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *commerce_urls,
    *saleschannels_urls,
    *catalog_urls,
    *inventory_urls,
    *router.urls,
]
