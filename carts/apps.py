from django.apps import AppConfig


class CartsConfig(AppConfig):
    name = "carts"
    verbose_name = "Carts"

    def ready(self) -> None:
        from carts.selectors import cart_region_for_pricing
        from catalog.pricing import cart_region_resolver_register

        # Store product and variant reads price for a cart's region (`cart_id`); see catalog.pricing.
        cart_region_resolver_register(cart_region_for_pricing)
