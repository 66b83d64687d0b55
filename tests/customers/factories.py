import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from customers.models import Customer

PASSWORD = "secret-password"


class CustomerFactory(DjangoModelFactory):
    """An account (has_account, password `PASSWORD`); `GuestFactory` makes one without."""

    class Meta:
        model = Customer

    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    first_name = "Ada"
    last_name = "Lovelace"
    has_account = True
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class GuestFactory(CustomerFactory):
    has_account = False
    password = ""
    first_name = None
    last_name = None
