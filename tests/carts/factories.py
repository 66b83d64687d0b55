import factory
from factory.django import DjangoModelFactory

from carts.models import Cart, LineItem
from tests.catalog.factories import ProductVariantFactory
from tests.commerce.factories import RegionFactory


class CartFactory(DjangoModelFactory):
    class Meta:
        model = Cart

    region = factory.SubFactory(RegionFactory)
    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    sales_channel = None


class LineItemFactory(DjangoModelFactory):
    class Meta:
        model = LineItem

    cart = factory.SubFactory(CartFactory)
    variant = factory.SubFactory(ProductVariantFactory)
    title = factory.LazyAttribute(lambda o: o.variant.product.title)
    description = factory.LazyAttribute(lambda o: o.variant.title)
    unit_price = 1000
    quantity = 1
