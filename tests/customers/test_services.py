import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail

from commerce.exceptions import PropertyShouldNotExist
from commerce.models import Address
from customers import services, tokens
from customers.exceptions import (
    CustomerAccountExists,
    CustomerAddressNotFound,
    PasswordResetTokenInvalid,
)
from customers.models import Customer, CustomerAddress
from tests.customers.factories import PASSWORD, CustomerFactory, GuestFactory

pytestmark = pytest.mark.django_db

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address_1": "1 Main St",
    "city": "Copenhagen",
    "country_code": "DK",
    "postal_code": "1000",
}


def test_register_hashes_the_password_and_lowercases_the_email():
    customer = services.customer_create(
        email=" Ada@Example.com ", password="pw-123456", first_name="Ada", last_name="L"
    )
    customer.refresh_from_db()
    assert customer.email == "ada@example.com"
    assert customer.has_account is True
    assert customer.id.startswith("cus_")
    assert customer.password != "pw-123456"
    assert check_password("pw-123456", customer.password)


def test_register_keeps_the_guest_of_the_same_email_apart():
    guest = GuestFactory(email="ada@example.com")
    account = services.customer_create(email="ada@example.com", password="pw-123456")
    assert account.pk != guest.pk
    assert Customer.objects.filter(email="ada@example.com").count() == 2


def test_register_twice_is_refused_and_changes_nothing():
    CustomerFactory(email="ada@example.com")
    with pytest.raises(CustomerAccountExists) as error:
        services.customer_create(email="ADA@example.com", password="other-password")
    assert error.value.message == (
        "A customer with the given email already has an account. Log in instead"
    )
    assert error.value.type == "duplicate_error"
    assert Customer.objects.count() == 1


def test_guest_for_email_is_created_once_and_reused():
    first = services.customer_guest_for_email(email="Guest@Example.com")
    again = services.customer_guest_for_email(email="guest@example.com")
    assert first.pk == again.pk
    assert first.has_account is False
    assert first.password == ""


def test_guest_for_email_ignores_the_account_of_that_email():
    account = CustomerFactory(email="ada@example.com")
    guest = services.customer_guest_for_email(email="ada@example.com")
    assert guest.pk != account.pk
    assert guest.has_account is False


def test_authenticate():
    account = CustomerFactory(email="ada@example.com")
    GuestFactory(email="guest@example.com")
    assert services.customer_authenticate(email="ADA@example.com", password=PASSWORD) == account
    assert services.customer_authenticate(email="ada@example.com", password="wrong") is None
    assert services.customer_authenticate(email="nobody@example.com", password=PASSWORD) is None
    assert services.customer_authenticate(email="guest@example.com", password="") is None


def test_update_email_to_another_accounts_email_is_refused():
    CustomerFactory(email="taken@example.com")
    customer = CustomerFactory(email="ada@example.com")
    with pytest.raises(CustomerAccountExists):
        services.customer_update(customer_id=customer.pk, email="taken@example.com")
    customer.refresh_from_db()
    assert customer.email == "ada@example.com"


def test_billing_address_from_a_saved_address_is_a_copy():
    customer = CustomerFactory()
    services.customer_address_add(customer_id=customer.pk, address=ADDRESS)
    saved = CustomerAddress.objects.get(customer=customer).address
    services.customer_update(customer_id=customer.pk, billing_address=saved.pk)
    customer.refresh_from_db()
    assert customer.billing_address_id != saved.pk
    assert customer.billing_address.address_1 == "1 Main St"
    assert customer.billing_address.country_code == "dk"


def test_a_customer_cannot_touch_another_customers_address():
    owner, other = CustomerFactory(), CustomerFactory()
    services.customer_address_add(customer_id=owner.pk, address=ADDRESS)
    address = CustomerAddress.objects.get(customer=owner).address
    with pytest.raises(CustomerAddressNotFound):
        services.customer_address_update(
            customer_id=other.pk, address_id=address.pk, address={"city": "Paris"}
        )
    with pytest.raises(CustomerAddressNotFound):
        services.customer_update(customer_id=other.pk, billing_address=address.pk)
    services.customer_address_delete(customer_id=other.pk, address_id=address.pk)
    address.refresh_from_db()
    assert address.city == "Copenhagen"
    assert CustomerAddress.objects.filter(customer=owner).count() == 1


def test_address_with_an_unknown_property_is_refused():
    customer = CustomerFactory()
    with pytest.raises(PropertyShouldNotExist):
        services.customer_address_add(customer_id=customer.pk, address={**ADDRESS, "x": 1})
    assert not CustomerAddress.objects.exists()


def test_address_delete_removes_the_address():
    customer = CustomerFactory()
    services.customer_address_add(customer_id=customer.pk, address=ADDRESS)
    address_id = CustomerAddress.objects.get().address_id
    services.customer_address_delete(customer_id=customer.pk, address_id=address_id)
    assert not Address.objects.filter(pk=address_id).exists()


def test_password_token_is_mailed_once_and_spent_by_the_reset(django_capture_on_commit_callbacks):
    customer = CustomerFactory(email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_password_token_send(email="ADA@example.com")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    token = mail.outbox[0].body.split("\n\n")[1].strip()
    assert tokens.password_reset_token_valid(customer=customer, raw=token)

    services.customer_password_reset(email="ada@example.com", token=token, password="new-pass-1")
    assert services.customer_authenticate(email="ada@example.com", password="new-pass-1")
    with pytest.raises(PasswordResetTokenInvalid):
        services.customer_password_reset(email="ada@example.com", token=token, password="again")
    assert services.customer_authenticate(email="ada@example.com", password="new-pass-1")


def test_password_token_for_an_unknown_email_or_a_guest_sends_nothing(
    django_capture_on_commit_callbacks,
):
    GuestFactory(email="guest@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_password_token_send(email="nobody@example.com")
        services.customer_password_token_send(email="guest@example.com")
    assert mail.outbox == []


def test_reset_token_of_one_customer_does_not_open_another():
    ada, bob = CustomerFactory(email="ada@example.com"), CustomerFactory(email="bob@example.com")
    token = tokens.password_reset_token(customer=ada)
    with pytest.raises(PasswordResetTokenInvalid):
        services.customer_password_reset(email=bob.email, token=token, password="hijacked-1")
    assert services.customer_authenticate(email=bob.email, password=PASSWORD) == bob


def test_access_token_round_trip_and_expiry(settings):
    customer = CustomerFactory()
    assert tokens.customer_id_from_access_token(
        tokens.customer_access_token(customer=customer)
    ) == (customer.pk)
    settings.STORE_JWT_EXPIRY = -1
    assert (
        tokens.customer_id_from_access_token(tokens.customer_access_token(customer=customer))
        is None
    )
    assert tokens.customer_id_from_access_token("not-a-token") is None
    # A reset token is not a sign-in token.
    assert (
        tokens.customer_id_from_access_token(tokens.password_reset_token(customer=customer)) is None
    )
