import factory
from factory.django import DjangoModelFactory

from catalog.models import (
    Price,
    Product,
    ProductCollection,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductStatus,
    ProductVariant,
)
from catalog.services import product_delete
from catalog.versions import touch_listings
from saleschannels.services import sales_channel_delete
from tests.saleschannels.factories import SalesChannelFactory


class ProductFactory(DjangoModelFactory):
    """A published product. Pass `sales_channels=[...]` to link it (no channel otherwise)."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Product {n}")
    handle = factory.Sequence(lambda n: f"product-{n}")
    status = ProductStatus.PUBLISHED

    @factory.post_generation
    def sales_channels(obj, create, extracted, **kwargs):
        if create and extracted:
            ProductSalesChannel.objects.bulk_create(
                [ProductSalesChannel(product=obj, sales_channel=c) for c in extracted]
            )
            touch_listings()  # links written past the services: the channels' counts changed


class ProductVariantFactory(DjangoModelFactory):
    """A variant with one USD price (`price__amount=...` to change it, `price=None` for none)."""

    class Meta:
        model = ProductVariant
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    title = factory.Sequence(lambda n: f"Variant {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    inventory_quantity = 100

    @factory.post_generation
    def price(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Price.objects.create(
            variant=obj,
            currency_code=kwargs.get("currency_code", "usd"),
            amount=kwargs.get("amount", 1000),
        )


class PriceFactory(DjangoModelFactory):
    class Meta:
        model = Price

    variant = factory.SubFactory(ProductVariantFactory, price=False)
    currency_code = "usd"
    amount = 1000


class ProductCollectionFactory(DjangoModelFactory):
    class Meta:
        model = ProductCollection

    title = factory.Sequence(lambda n: f"Collection {n}")
    handle = factory.Sequence(lambda n: f"collection-{n}")


class ProductOptionFactory(DjangoModelFactory):
    class Meta:
        model = ProductOption

    product = factory.SubFactory(ProductFactory)
    title = "Size"


class ProductOptionValueFactory(DjangoModelFactory):
    """A variant's value for one option (`option__product` is the variant's product)."""

    class Meta:
        model = ProductOptionValue

    option = factory.SubFactory(ProductOptionFactory)
    variant = factory.SubFactory(
        ProductVariantFactory, product=factory.SelfAttribute("..option.product")
    )
    value = factory.Sequence(lambda n: f"Value {n}")


def products_across_channels() -> dict:
    """Products across two channels: in one, in both, drafts, deleted, in a deleted channel.

    Returns the channels by name: `web` (3 + 2 shared + 2 drafts + 2 deleted products), `app`
    (4 + 2 shared + 2 drafts) and `gone` (deleted, with 5 products).
    """
    web, app, gone = SalesChannelFactory(), SalesChannelFactory(), SalesChannelFactory()
    ProductFactory.create_batch(3, sales_channels=[web])
    ProductFactory.create_batch(2, sales_channels=[web, app])
    ProductFactory.create_batch(4, sales_channels=[app])
    ProductFactory.create_batch(2, sales_channels=[web, app], status=ProductStatus.DRAFT)
    for deleted in ProductFactory.create_batch(2, sales_channels=[web]):
        product_delete(product_id=deleted.pk)
    ProductFactory.create_batch(5, sales_channels=[gone])
    sales_channel_delete(channel_id=gone.pk)
    return {"web": web, "app": app, "gone": gone}
