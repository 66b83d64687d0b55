import factory
from factory.django import DjangoModelFactory

from commerce.models import Address, PaymentProvider, Region, ShippingOption, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "secret-password")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Region {n}")
    currency_code = "usd"
    tax_rate = 0
    countries = factory.LazyFunction(lambda: ["us"])

    @factory.post_generation
    def payment_providers(obj, create, extracted, **kwargs):
        if create:
            obj.payment_providers.set(extracted or [PaymentProvider.objects.get(pk="manual")])


class ShippingOptionFactory(DjangoModelFactory):
    class Meta:
        model = ShippingOption

    name = factory.Sequence(lambda n: f"Shipping {n}")
    region = factory.SubFactory(RegionFactory)
    amount = 1000
    provider_id = "manual"


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    first_name = "Ada"
    last_name = "Lovelace"
    address_1 = "1 Analytical Way"
    city = "London"
    country_code = "gb"
    postal_code = "N1 1AA"
