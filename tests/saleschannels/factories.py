import factory
from factory.django import DjangoModelFactory

from saleschannels.models import PublishableApiKey, PublishableApiKeySalesChannel, SalesChannel


class SalesChannelFactory(DjangoModelFactory):
    class Meta:
        model = SalesChannel

    name = factory.Sequence(lambda n: f"Channel {n}")
    description = factory.LazyAttribute(lambda o: f"{o.name} description")
    is_disabled = False


class PublishableApiKeyFactory(DjangoModelFactory):
    class Meta:
        model = PublishableApiKey
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Storefront key {n}")

    @factory.post_generation
    def sales_channels(obj, create, extracted, **kwargs):
        if create and extracted:
            PublishableApiKeySalesChannel.objects.bulk_create(
                [
                    PublishableApiKeySalesChannel(publishable_key=obj, sales_channel=c)
                    for c in extracted
                ]
            )
