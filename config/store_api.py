"""The store REST surface: one router fed by each app's `api/store/urls.py` `routes` list."""

from carts.api.store.urls import routes as carts_routes
from carts.api.store.urls import urlpatterns as carts_urls
from catalog.api.store.urls import routes as catalog_routes
from commerce.api.routers import MedusaRouter
from commerce.api.store.urls import routes as commerce_routes
from customers.api.store.urls import urlpatterns as customers_urls
from orders.api.store.urls import routes as orders_routes
from orders.api.store.urls import urlpatterns as orders_urls

app_name = "store-api"

router = MedusaRouter()
for prefix, viewset, basename in [*commerce_routes, *catalog_routes, *carts_routes, *orders_routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [*customers_urls, *carts_urls, *orders_urls, *router.urls]
