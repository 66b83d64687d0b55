import pytest
from django.urls import reverse

from carts.models import Cart, LineItem
from saleschannels.services import publishable_api_key_revoke
from tests.carts.api.store_helpers import KEY, cart_json, shop
from tests.carts.factories import CartFactory
from tests.commerce.factories import RegionFactory
from tests.helpers import BODY_ERRORS
from tests.saleschannels.factories import PublishableApiKeyFactory

pytestmark = pytest.mark.django_db

CARTS = "/api/store/carts"
CONTEXT = {"ip": "127.0.0.1", "user_agent": None}


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


def _cart(response):
    assert response.status_code == 200, response.json()
    return Cart.objects.get(pk=response.json()["cart"]["id"])


def test_routes_are_named_for_reverse():
    assert reverse("store-api:cart-list") == CARTS
    assert reverse("store-api:cart-detail", args=["cart_1"]) == f"{CARTS}/cart_1"
    assert reverse("store-api:cart-line-items", args=["cart_1"]) == f"{CARTS}/cart_1/line-items"
    assert reverse("store-api:cart-line-item", args=["cart_1", "item_1"]) == (
        f"{CARTS}/cart_1/line-items/item_1"
    )


# ---- CREATE: CHANNEL RESOLUTION ----


def test_create_in_an_explicit_channel_is_medusas_cart(api_client, s):
    # Medusa answers 200 with the cart, its sales_channel_id and the expanded sales_channel
    response = api_client.post(CARTS, {"region_id": s.eu.pk, "sales_channel_id": s.wholesale.pk})
    cart = _cart(response)
    assert cart.sales_channel_id == s.wholesale.pk
    assert cart.context == CONTEXT
    assert response.json() == {"cart": cart_json(cart)}
    assert response.json()["cart"]["sales_channel"]["name"] == "Wholesale"


def test_create_without_a_channel_gets_the_store_default(api_client, s):
    # Medusa gives a cart created without sales_channel_id the store's default channel
    cart = _cart(api_client.post(CARTS, {"region_id": s.eu.pk}))
    assert cart.sales_channel_id == s.default.pk


def test_create_without_a_region_takes_the_first_one(api_client, s):
    cart = _cart(api_client.post(CARTS, {}))
    assert cart.region_id == s.eu.pk


def test_create_keeps_the_storefront_context_and_email(api_client, s):
    response = api_client.post(
        CARTS,
        {"email": "ada@example.com", "context": {"locale": "da"}, "country_code": "DK"},
        HTTP_USER_AGENT="storefront/1.0",
    )
    cart = _cart(response)
    assert cart.context == {"ip": "127.0.0.1", "user_agent": "storefront/1.0", "locale": "da"}
    assert (cart.email, cart.shipping_address.country_code) == ("ada@example.com", "dk")


def test_create_in_a_disabled_channel_is_refused(api_client, s):
    # Medusa: 400 invalid_data `Unable to assign the cart to a disabled Sales Channel "Outlet"`
    response = api_client.post(CARTS, {"region_id": s.eu.pk, "sales_channel_id": s.outlet.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": 'Unable to assign the cart to a disabled Sales Channel "Outlet"',
    }
    assert Cart.objects.exists() is False


def test_create_in_an_unknown_channel_is_404(api_client, s):
    # Medusa: 404 not_found `Sales channel with id: sc_doesnotexist was not found`
    response = api_client.post(CARTS, {"region_id": s.eu.pk, "sales_channel_id": "sc_doesnotexist"})
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Sales channel with id: sc_doesnotexist was not found",
    }
    assert Cart.objects.exists() is False


def test_create_in_an_unknown_region_is_404(api_client, s):
    response = api_client.post(CARTS, {"region_id": "reg_nope"})
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Region with id: reg_nope was not found",
    }


def test_create_with_a_key_gets_the_keys_channel(api_client, s):
    # Medusa gives a cart created with a key (and no sales_channel_id) the key's channel
    key = PublishableApiKeyFactory(sales_channels=[s.wholesale])
    cart = _cart(api_client.post(CARTS, {}, **{KEY: key.pk}))
    assert cart.sales_channel_id == s.wholesale.pk


def test_create_with_a_key_and_a_channel_inside_it(api_client, s):
    key = PublishableApiKeyFactory(sales_channels=[s.wholesale, s.default])
    cart = _cart(api_client.post(CARTS, {"sales_channel_id": s.default.pk}, **{KEY: key.pk}))
    assert cart.sales_channel_id == s.default.pk


def test_create_with_a_key_and_a_channel_outside_it_is_a_400(api_client, s):
    # Medusa: 400 in the validator's `errors` body, the channel not associated with the key
    key = PublishableApiKeyFactory(sales_channels=[s.wholesale])
    response = api_client.post(CARTS, {"sales_channel_id": s.default.pk}, **{KEY: key.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": BODY_ERRORS,
        "errors": [
            f"Provided sales channel id param: {s.default.pk} is not associated with the "
            "Publishable API Key passed in the header of the request."
        ],
    }
    assert Cart.objects.exists() is False


def test_create_with_a_key_of_several_channels_needs_a_channel(api_client, s):
    # design §5: Medusa answers this with a 500
    key = PublishableApiKeyFactory(sales_channels=[s.wholesale, s.default])
    response = api_client.post(CARTS, {}, **{KEY: key.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "The PublishableApiKey provided in the request header has multiple associated sales channels.",
    }
    assert Cart.objects.exists() is False


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("unknown", "A valid publishable key is required to proceed with the request"),
        ("revoked", "A valid publishable key is required to proceed with the request"),
        ("no channels", "Publishable key needs to have a sales channel configured"),
    ],
)
def test_create_with_a_bad_key_is_refused(api_client, s, kind, message):
    key = PublishableApiKeyFactory(sales_channels=[] if kind == "no channels" else [s.wholesale])
    if kind == "revoked":
        publishable_api_key_revoke(key_id=key.pk)
    response = api_client.post(CARTS, {}, **{KEY: "pk_nope" if kind == "unknown" else key.pk})
    assert response.status_code == 400
    assert response.json() == {"type": "not_allowed", "message": message}
    assert Cart.objects.exists() is False


# ---- CREATE: ITEMS AND INPUT ----


def test_create_with_items_of_the_channel(api_client, s):
    response = api_client.post(
        CARTS,
        {
            "region_id": s.eu.pk,
            "sales_channel_id": s.wholesale.pk,
            "items": [{"variant_id": s.shirt_s.pk, "quantity": 2}],
        },
    )
    cart = _cart(response)
    assert response.json() == {"cart": cart_json(cart)}
    assert (response.json()["cart"]["subtotal"], response.json()["cart"]["total"]) == (3900, 3900)


def test_create_with_an_item_outside_the_channel_is_refused(api_client, s):
    # Medusa refuses it with the line-item message (400 invalid_data); with design §5's grammar
    response = api_client.post(
        CARTS,
        {
            "region_id": s.eu.pk,
            "sales_channel_id": s.wholesale.pk,
            "items": [{"variant_id": s.sweatshirt.pk, "quantity": 1}],
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "The products [Medusa Sweatshirt] must belong to the sales channel on which the cart has been created.",
    }
    assert Cart.objects.exists() is False


def test_create_with_an_unknown_variant_is_refused(api_client, s):
    response = api_client.post(CARTS, {"items": [{"variant_id": "variant_nope", "quantity": 1}]})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "Unable to generate the line items, some variant has not been found: variant_nope",
    }
    assert Cart.objects.exists() is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"foo": 1}, "property foo should not exist"),
        ({"region_id": 5}, "region_id must be a string"),
        ({"email": "not-an-email"}, "email must be an email"),
        ({"context": "x"}, "context must be an object"),
        ({"items": "x"}, "items must be an array"),
        ({"items": [{"variant_id": "v", "quantity": 0}]}, "quantity must be a positive integer"),
        ({"items": [{"variant_id": "v", "quantity": "2"}]}, "quantity must be an integer number"),
        ({"items": [{"variant_id": "v"}]}, "quantity must be an integer number"),
        ({"items": [{"variant_id": "v", "quantity": 1, "x": 1}]}, "property x should not exist"),
    ],
)
def test_create_rejects_bad_bodies_and_writes_nothing(api_client, s, body, message):
    response = api_client.post(CARTS, body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert Cart.objects.exists() is False


def test_store_calls_need_no_csrf_even_with_a_session(api_client, admin_user, s):
    # Store routes do not authenticate, so a browser's admin session cannot make them demand CSRF.
    api_client.force_login(admin_user)
    api_client.handler.enforce_csrf_checks = True
    assert api_client.post(CARTS, {}).status_code == 200


def test_create_with_sales_channels_off(api_client, flags_off, s):
    flags_off("sales_channels")
    response = api_client.post(CARTS, {"sales_channel_id": s.wholesale.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "property sales_channel_id should not exist",
    }
    cart = _cart(
        api_client.post(CARTS, {"items": [{"variant_id": s.sweatshirt.pk, "quantity": 1}]})
    )
    assert (cart.sales_channel_id, cart.items.count()) == (None, 1)
    assert api_client.get(f"{CARTS}/{cart.pk}").json()["cart"]["sales_channel"] is None


def test_create_with_sales_channels_off_ignores_the_key(api_client, flags_off, s):
    flags_off("sales_channels")
    assert api_client.post(CARTS, {}, **{KEY: "pk_anything"}).status_code == 200


# ---- RETRIEVE ----


def test_retrieve(api_client, s):
    cart = CartFactory(region=s.eu, sales_channel=s.wholesale)
    response = api_client.get(f"{CARTS}/{cart.pk}")
    assert response.status_code == 200
    assert response.json() == {"cart": cart_json(cart)}


def test_retrieve_unknown_is_404(api_client):
    response = api_client.get(f"{CARTS}/cart_nope")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Cart with id: cart_nope was not found",
    }


def test_retrieve_query_count_does_not_grow_with_items(api_client, s, django_assert_num_queries):
    cart = _cart(api_client.post(CARTS, {"items": [{"variant_id": s.mug.pk, "quantity": 1}]}))
    api_client.post(f"{CARTS}/{cart.pk}/shipping-methods", {"option_id": s.shipping.pk})
    api_client.post(f"{CARTS}/{cart.pk}/payment-sessions")
    # 0 = whose cart it is (a customer account's cart answers only to its owner);
    # 1 = the cart with region, channel and addresses; 2 = items with variant and product;
    # 3 = shipping methods with their option; 4 = payment sessions; 5 = region's providers
    with django_assert_num_queries(6):
        one = api_client.get(f"{CARTS}/{cart.pk}")
    for variant in (s.shirt_s, s.shirt_m, s.sweatshirt, s.mug):
        api_client.post(f"{CARTS}/{cart.pk}/line-items", {"variant_id": variant.pk, "quantity": 1})
    assert LineItem.objects.filter(cart=cart).count() == 4
    LineItem.objects.create(
        cart=cart,
        variant=s.mug,
        title="Extra line",
        unit_price=1000,
        quantity=1,
        should_merge=False,
    )
    with django_assert_num_queries(6):
        five = api_client.get(f"{CARTS}/{cart.pk}")
    assert (len(one.json()["cart"]["items"]), len(five.json()["cart"]["items"])) == (1, 5)


def test_retrieve_ignores_the_publishable_key(api_client, s):
    cart = CartFactory(region=s.eu)
    assert api_client.get(f"{CARTS}/{cart.pk}", **{KEY: "pk_nope"}).status_code == 200


# ---- UPDATE ----


def test_update_email_and_shipping_address(api_client, s):
    # Medusa answers 200 with the cart, its email and shipping address set
    cart = CartFactory(region=s.eu, sales_channel=s.wholesale, email=None)
    response = api_client.post(
        f"{CARTS}/{cart.pk}",
        {
            "email": "buyer@example.com",
            "shipping_address": {
                "first_name": "Ada",
                "last_name": "Lovelace",
                "address_1": "1 Main St",
                "city": "Copenhagen",
                "country_code": "DK",
                "postal_code": "1000",
            },
        },
    )
    cart = _cart(response)
    assert response.json() == {"cart": cart_json(cart)}
    assert response.json()["cart"]["shipping_address"]["country_code"] == "dk"
    assert cart.email == "buyer@example.com"


def test_update_billing_address_context_and_metadata(api_client, s):
    cart = CartFactory(region=s.eu)
    response = api_client.post(
        f"{CARTS}/{cart.pk}",
        {"billing_address": {"city": "Aarhus"}, "context": {"a": 1}, "metadata": {"b": 2}},
    )
    cart = _cart(response)
    assert (cart.billing_address.city, cart.context, cart.metadata) == (
        "Aarhus",
        {"a": 1},
        {"b": 2},
    )


def test_moving_a_cart_to_another_channel_drops_what_it_does_not_sell(api_client, s):
    # Medusa answers 200 and silently drops the items whose product the new channel lacks
    cart = _cart(
        api_client.post(
            CARTS,
            {
                "region_id": s.eu.pk,
                "items": [
                    {"variant_id": s.sweatshirt.pk, "quantity": 1},
                    {"variant_id": s.shirt_s.pk, "quantity": 1},
                ],
            },
        )
    )
    response = api_client.post(f"{CARTS}/{cart.pk}", {"sales_channel_id": s.wholesale.pk})
    cart = _cart(response)
    assert cart.sales_channel_id == s.wholesale.pk
    assert [i["variant_id"] for i in response.json()["cart"]["items"]] == [s.shirt_s.pk]
    assert response.json()["cart"]["total"] == 1950


def test_moving_a_cart_to_a_disabled_channel_is_refused(api_client, s):
    # Medusa: 400 invalid_data `Unable to assign the cart to a disabled Sales Channel "Outlet"`
    cart = CartFactory(region=s.eu, sales_channel=s.default)
    response = api_client.post(f"{CARTS}/{cart.pk}", {"sales_channel_id": s.outlet.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": 'Unable to assign the cart to a disabled Sales Channel "Outlet"',
    }
    cart.refresh_from_db()
    assert cart.sales_channel_id == s.default.pk


def test_moving_a_cart_to_an_unknown_channel_is_404(api_client, s):
    cart = CartFactory(region=s.eu, sales_channel=s.default)
    response = api_client.post(f"{CARTS}/{cart.pk}", {"sales_channel_id": "sc_nope"})
    assert response.status_code == 404
    assert response.json()["message"] == "Sales channel with id: sc_nope was not found"


def test_update_ignores_the_publishable_key(api_client, s):
    # spec §6.2: only cart creation reads the key, so a key-less channel is accepted here
    key = PublishableApiKeyFactory(sales_channels=[s.default])
    cart = CartFactory(region=s.eu, sales_channel=s.default)
    response = api_client.post(
        f"{CARTS}/{cart.pk}", {"sales_channel_id": s.wholesale.pk}, **{KEY: key.pk}
    )
    assert _cart(response).sales_channel_id == s.wholesale.pk


def test_changing_region_reprices_the_items(api_client, s):
    cart = _cart(api_client.post(CARTS, {"items": [{"variant_id": s.mug.pk, "quantity": 2}]}))
    na = RegionFactory(name="NA", currency_code="usd")
    response = api_client.post(f"{CARTS}/{cart.pk}", {"region_id": na.pk})
    assert response.json()["cart"]["region_id"] == na.pk
    assert [i["unit_price"] for i in response.json()["cart"]["items"]] == [2200]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"foo": 1}, "property foo should not exist"),
        ({"email": "nope"}, "email must be an email"),
        ({"shipping_address": {"street": "x"}}, "property street should not exist"),
        ({"shipping_address": "addr_1"}, "shipping_address must be an object"),
        ({"metadata": []}, "metadata must be an object"),
    ],
)
def test_update_rejects_bad_bodies(api_client, s, body, message):
    cart = CartFactory(region=s.eu, email="keep@example.com")
    response = api_client.post(f"{CARTS}/{cart.pk}", body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    cart.refresh_from_db()
    assert (cart.email, cart.shipping_address_id, cart.metadata) == ("keep@example.com", None, None)


def test_update_unknown_cart_is_404(api_client, s):
    response = api_client.post(f"{CARTS}/cart_nope", {"email": "a@example.com"})
    assert response.status_code == 404


def test_update_with_sales_channels_off_refuses_the_channel(api_client, flags_off, s):
    cart = CartFactory(region=s.eu)
    flags_off("sales_channels")
    response = api_client.post(f"{CARTS}/{cart.pk}", {"sales_channel_id": s.wholesale.pk})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "property sales_channel_id should not exist",
    }


@pytest.mark.parametrize(
    ("path", "headers", "message"),
    [
        (f"{CARTS}/cart_%00", {}, "id must not contain null characters"),
        ("/api/store/products?region_id=a%00", {}, "region_id must not contain null characters"),
        (
            "/api/store/products?sales_channel_id[]=sc_%00",
            {},
            "sales_channel_id[] must not contain null characters",
        ),
    ],
)
def test_null_characters_are_a_400_not_a_database_error(api_client, s, path, headers, message):
    response = api_client.get(path, **headers)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_a_key_with_null_characters_is_not_a_key(api_client, s):
    response = api_client.post(CARTS, {}, **{KEY: "pk_\x00"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": "A valid publishable key is required to proceed with the request",
    }
