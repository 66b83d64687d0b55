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
