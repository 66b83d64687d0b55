"""The kernel's admin screens: users, admin API tokens, regions and shipping options."""

import pytest
from django.contrib import messages

from commerce.models import ApiToken, Region, ShippingOption, User
from tests.commerce.factories import RegionFactory, ShippingOptionFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKENS_URL = "/admin/commerce/apitoken/"
REGIONS_URL = "/admin/commerce/region/"
OPTIONS_URL = "/admin/commerce/shippingoption/"


def _messages(response):
    """The messages shown on the page (requests with messages are sent with follow=True)."""
    return [(m.level, m.message) for m in response.context["messages"]]


# ---- users ----


def test_create_user_with_email_login(admin_client):
    response = admin_client.post(
        "/admin/commerce/user/add/",
        {
            "email": "Clerk@Example.com",
            "usable_password": "true",
            "password1": "a-long-enough-password",
            "password2": "a-long-enough-password",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="clerk@example.com")  # lower-cased, as the manager does
    assert user.check_password("a-long-enough-password")
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_an_email_that_differs_only_in_case_is_taken(admin_client):
    UserFactory(email="clerk@example.com")
    response = admin_client.post(
        "/admin/commerce/user/add/",
        {
            "email": "CLERK@example.com",
            "usable_password": "true",
            "password1": "a-long-enough-password",
            "password2": "a-long-enough-password",
        },
    )
    assert response.context["adminform"].form.errors == {
        "email": ["A user with that email address already exists."]
    }
    assert User.objects.filter(email__iexact="clerk@example.com").count() == 1


def test_user_list_search(admin_client):
    UserFactory(email="findme@example.com")
    response = admin_client.get("/admin/commerce/user/?q=findme")
    assert [u.email for u in response.context["cl"].result_list] == ["findme@example.com"]


# ---- admin API tokens ----


def test_issue_token_shows_it_once_and_stores_only_its_hash(admin_client, admin_user):
    response = admin_client.post(
        TOKENS_URL + "add/", {"user": admin_user.pk, "name": "CI"}, follow=True
    )

    token = ApiToken.objects.get()
    shown = [text for level, text in _messages(response) if level == messages.WARNING]
    assert len(shown) == 1
    raw = shown[0].removeprefix("Copy this token now, it will not be shown again: ")
    assert token.matches(raw)
    assert (token.name, token.user, token.hint) == ("CI", admin_user, raw[:8])
    assert raw not in admin_client.get(TOKENS_URL).content.decode()  # never shown again


def test_token_for_a_non_staff_user_is_refused(admin_client):
    customer = UserFactory(email="shopper@example.com")

    response = admin_client.post(TOKENS_URL + "add/", {"user": customer.pk, "name": "x"})

    assert response.status_code == 200
    assert _messages(response) == [
        (
            messages.ERROR,
            "shopper@example.com is not an active staff user; only staff can have admin API tokens",
        )
    ]
    assert ApiToken.objects.exists() is False


def test_tokens_are_not_editable_and_delete_revokes(admin_client, admin_user):
    admin_client.post(TOKENS_URL + "add/", {"user": admin_user.pk, "name": "CI"})
    token = ApiToken.objects.get()

    change = admin_client.post(f"{TOKENS_URL}{token.pk}/change/", {"name": "renamed"})
    view = admin_client.get(f"{TOKENS_URL}{token.pk}/change/")
    delete = admin_client.post(f"{TOKENS_URL}{token.pk}/delete/", {"post": "yes"})

    assert (change.status_code, view.status_code, delete.status_code) == (403, 200, 302)
    assert ApiToken.objects.exists() is False


def test_token_list_shows_hint_and_user(admin_client, admin_user):
    admin_client.post(TOKENS_URL + "add/", {"user": admin_user.pk, "name": "CI"})
    token = ApiToken.objects.get()
    response = admin_client.get(TOKENS_URL)
    html = response.content.decode()
    assert f"{token.hint}…" in html
    assert "admin@example.com" in html


# ---- regions and shipping options ----


def test_create_region_through_the_service(admin_client):
    response = admin_client.post(
        REGIONS_URL + "add/",
        {
            "name": "Europe",
            "currency_code": "eur",
            "tax_rate": "21",
            "tax_code": "",
            "countries": "DE, fr",
        },
    )
    assert response.status_code == 302
    region = Region.objects.get(name="Europe")
    assert (region.currency_code, str(region.tax_rate), region.countries) == (
        "eur",
        "21.00",
        ["de", "fr"],
    )
    assert list(region.payment_providers.values_list("id", flat=True)) == ["manual"]


def test_region_with_a_bad_country_code_is_not_saved(admin_client):
    response = admin_client.post(
        REGIONS_URL + "add/",
        {"name": "Nowhere", "currency_code": "eur", "tax_rate": "0", "countries": "Germany"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "countries": ["Not a two-letter country code: germany"]
    }
    assert Region.objects.filter(name="Nowhere").exists() is False


def test_update_region(admin_client):
    region = RegionFactory(name="US")
    response = admin_client.post(
        f"{REGIONS_URL}{region.pk}/change/",
        {
            "name": "North America",
            "currency_code": "usd",
            "tax_rate": "5",
            "tax_code": "",
            "countries": "us, ca",
            "payment_providers": ["manual"],
        },
    )
    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.name, str(region.tax_rate), region.countries) == (
        "North America",
        "5.00",
        ["us", "ca"],
    )


def test_delete_region_is_soft_and_takes_its_shipping_options(admin_client):
    option = ShippingOptionFactory()
    region = option.region

    response = admin_client.post(f"{REGIONS_URL}{region.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert Region.all_objects.get(pk=region.pk).deleted_at is not None
    assert ShippingOption.all_objects.get(pk=option.pk).deleted_at is not None


def test_create_update_and_delete_shipping_option(admin_client):
    region = RegionFactory(currency_code="eur")

    created = admin_client.post(
        OPTIONS_URL + "add/", {"region": region.pk, "name": "Standard", "amount": "500"}
    )
    option = ShippingOption.objects.get(name="Standard")
    listing = admin_client.get(OPTIONS_URL)
    updated = admin_client.post(
        f"{OPTIONS_URL}{option.pk}/change/",
        {"name": "Express", "amount": "1500", "is_return": "on"},
    )
    option.refresh_from_db()
    snapshot = (option.name, option.amount, option.is_return, option.provider_id)
    deleted = admin_client.post(f"{OPTIONS_URL}{option.pk}/delete/", {"post": "yes"})

    assert (created.status_code, updated.status_code, deleted.status_code) == (302, 302, 302)
    assert "5.00 EUR" in listing.content.decode()
    assert snapshot == ("Express", 1500, True, "manual")
    assert ShippingOption.objects.filter(pk=option.pk).exists() is False


def test_negative_shipping_amount_is_not_saved(admin_client):
    region = RegionFactory()
    response = admin_client.post(
        OPTIONS_URL + "add/", {"region": region.pk, "name": "Bad", "amount": "-1"}
    )
    assert response.status_code == 200
    assert ShippingOption.objects.exists() is False
