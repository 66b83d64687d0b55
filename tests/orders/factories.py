import factory
from factory.django import DjangoModelFactory

from orders.models import Order, OrderItem
from tests.commerce.factories import RegionFactory


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order

    display_id = factory.Sequence(lambda n: 100_000 + n)
    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    region = factory.SubFactory(RegionFactory)
    currency_code = factory.SelfAttribute("region.currency_code")
    subtotal = 1000
    total = 1000


class OrderItemFactory(DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    unit_price = 1000
    quantity = 1
