import pytest

from carts.models import LineItem
from catalog.services import sales_channel_products_remove
from tests.carts.api.store_helpers import KEY, cart_json, item_json, shop
from tests.carts.factories import CartFactory, LineItemFactory

pytestmark = pytest.mark.django_db

CARTS = "/api/store/carts"


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


@pytest.fixture
def wholesale_cart(s):
    return CartFactory(region=s.eu, sales_channel=s.wholesale, email=None)


def _add(client, cart, variant_id, quantity=1, **headers):
    return client.post(
        f"{CARTS}/{cart.pk}/line-items", {"variant_id": variant_id, "quantity": quantity}, **headers
    )


def test_add_a_variant_of_the_carts_channel(api_client, s, wholesale_cart):
    # Medusa answers 200 with the cart and the new line item
    response = _add(api_client, wholesale_cart, s.shirt_s.pk, 2)
    assert response.status_code == 200
    assert response.json() == {"cart": cart_json(wholesale_cart)}
    item = LineItem.objects.get(cart=wholesale_cart)
    assert response.json()["cart"]["items"] == [item_json(item)]
    assert (item.title, item.description, item.unit_price, item.quantity) == (
        "Medusa T-Shirt",
        "S",
        1950,
        2,
    )
    assert (response.json()["cart"]["subtotal"], response.json()["cart"]["total"]) == (3900, 3900)


def test_adding_the_same_variant_again_merges_the_line(api_client, s, wholesale_cart):
    _add(api_client, wholesale_cart, s.shirt_s.pk, 2)
    response = _add(api_client, wholesale_cart, s.shirt_s.pk, 3)
    assert [(i["variant_id"], i["quantity"]) for i in response.json()["cart"]["items"]] == [
        (s.shirt_s.pk, 5)
    ]


def test_add_a_variant_outside_the_carts_channel_is_refused(api_client, s, wholesale_cart):
    # Medusa: 400 invalid_data `The products [Medusa Sweatshirt] must belongs to the sales channel
    # on which the cart has been created.`; with design §5's grammar
    response = _add(api_client, wholesale_cart, s.sweatshirt.pk)
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "The products [Medusa Sweatshirt] must belong to the sales channel on which the cart has been created.",
    }
    assert LineItem.objects.exists() is False


def test_add_a_variant_removed_from_the_channel_is_refused(api_client, s, wholesale_cart):
    # Medusa refuses a product removed from the cart's channel with the same 400
    sales_channel_products_remove(channel_id=s.wholesale.pk, product_ids=[s.shirt.pk])
    response = _add(api_client, wholesale_cart, s.shirt_s.pk)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "The products [Medusa T-Shirt] must belong to the sales channel on which the cart has been created."
    )
    assert LineItem.objects.exists() is False


def test_add_to_a_default_channel_cart(api_client, s):
    # Medusa adds both to a default-channel cart: the mug, then the t-shirt (in both channels)
    cart = CartFactory(region=s.eu, sales_channel=s.default)
    _add(api_client, cart, s.mug.pk)
    response = _add(api_client, cart, s.shirt_s.pk)
    assert [i["title"] for i in response.json()["cart"]["items"]] == [
        "Medusa Coffee Mug",
        "Medusa T-Shirt",
    ]
    assert response.json()["cart"]["total"] == 2950


def test_add_an_unknown_variant_is_medusas_400(api_client, wholesale_cart):
    # Medusa: 400 invalid_data `Unable to generate the line items, some variant has not been
    # found: variant_doesnotexist`
    response = _add(api_client, wholesale_cart, "variant_doesnotexist")
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "Unable to generate the line items, some variant has not been found: variant_doesnotexist",
    }


def test_add_more_than_the_inventory_is_refused(api_client, s, wholesale_cart):
    response = _add(api_client, wholesale_cart, s.shirt_s.pk, 101)
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": f"Variant with id: {s.shirt_s.pk} does not have the required inventory",
    }
    assert LineItem.objects.exists() is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"variant_id": "v", "quantity": 0}, "quantity must be a positive integer"),
        ({"variant_id": "v", "quantity": -2}, "quantity must be a positive integer"),
        ({"variant_id": "v", "quantity": 1.5}, "quantity must be an integer number"),
        ({"variant_id": "v", "quantity": "1"}, "quantity must be an integer number"),
        ({"variant_id": "v", "quantity": True}, "quantity must be an integer number"),
        ({"variant_id": "v", "quantity": 2**31}, "quantity must not be greater than 2147483647"),
        ({"quantity": 1}, "variant_id must be a string"),
        ({"variant_id": "v", "quantity": 1, "metadata": {}}, "property metadata should not exist"),
    ],
)
def test_add_rejects_bad_bodies(api_client, wholesale_cart, body, message):
    response = api_client.post(f"{CARTS}/{wholesale_cart.pk}/line-items", body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert LineItem.objects.exists() is False


def test_add_to_an_unknown_cart_is_404(api_client, s):
    response = api_client.post(
        f"{CARTS}/cart_nope/line-items", {"variant_id": s.mug.pk, "quantity": 1}
    )
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Cart with id: cart_nope was not found",
    }


def test_add_ignores_the_publishable_key(api_client, s, wholesale_cart):
    assert _add(api_client, wholesale_cart, s.shirt_s.pk, **{KEY: "pk_nope"}).status_code == 200


def test_add_to_a_completed_cart_is_refused(api_client, s, wholesale_cart):
    wholesale_cart.completed_at = wholesale_cart.created_at
    wholesale_cart.save(update_fields=["completed_at"])
    response = _add(api_client, wholesale_cart, s.shirt_s.pk)
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": f"Cart {wholesale_cart.pk} is already completed and cannot be changed",
    }


def test_with_sales_channels_off_any_product_goes_in(api_client, flags_off, s):
    cart = CartFactory(region=s.eu, sales_channel=s.wholesale)
    flags_off("sales_channels")
    assert _add(api_client, cart, s.sweatshirt.pk).status_code == 200


# ---- UPDATE AND DELETE ----


def test_update_a_lines_quantity(api_client, s, wholesale_cart):
    line = LineItemFactory(cart=wholesale_cart, variant=s.shirt_s, unit_price=1950, quantity=1)
    response = api_client.post(f"{CARTS}/{wholesale_cart.pk}/line-items/{line.pk}", {"quantity": 3})
    assert response.status_code == 200
    assert response.json() == {"cart": cart_json(wholesale_cart)}
    line.refresh_from_db()
    assert line.quantity == 3
    assert response.json()["cart"]["subtotal"] == 5850


def test_update_to_zero_removes_the_line(api_client, s, wholesale_cart):
    line = LineItemFactory(cart=wholesale_cart, variant=s.shirt_s)
    response = api_client.post(f"{CARTS}/{wholesale_cart.pk}/line-items/{line.pk}", {"quantity": 0})
    assert response.json()["cart"]["items"] == []
    assert LineItem.objects.exists() is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"quantity": -1}, "quantity must be a positive integer, or 0 to remove the line"),
        ({"quantity": "2"}, "quantity must be an integer number"),
        ({}, "quantity must be an integer number"),
        ({"quantity": 2, "variant_id": "x"}, "property variant_id should not exist"),
    ],
)
def test_update_rejects_bad_bodies(api_client, s, wholesale_cart, body, message):
    line = LineItemFactory(cart=wholesale_cart, variant=s.shirt_s, quantity=1)
    response = api_client.post(f"{CARTS}/{wholesale_cart.pk}/line-items/{line.pk}", body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    line.refresh_from_db()
    assert line.quantity == 1


def test_update_or_delete_a_line_of_another_cart_is_404(api_client, s, wholesale_cart):
    other = LineItemFactory(cart=CartFactory(region=s.eu), variant=s.mug)
    url = f"{CARTS}/{wholesale_cart.pk}/line-items/{other.pk}"
    for response in (api_client.post(url, {"quantity": 2}), api_client.delete(url)):
        assert response.status_code == 404
        assert response.json() == {
            "type": "not_found",
            "message": f"Line item with id: {other.pk} was not found",
        }
    other.refresh_from_db()
    assert other.quantity == 1


def test_delete_a_line(api_client, s, wholesale_cart):
    keep = LineItemFactory(cart=wholesale_cart, variant=s.shirt_m)
    gone = LineItemFactory(cart=wholesale_cart, variant=s.shirt_s)
    response = api_client.delete(f"{CARTS}/{wholesale_cart.pk}/line-items/{gone.pk}")
    assert response.status_code == 200
    assert response.json() == {"cart": cart_json(wholesale_cart)}
    assert [i["id"] for i in response.json()["cart"]["items"]] == [keep.pk]


def test_merging_past_the_largest_quantity_is_a_400(api_client, s, wholesale_cart):
    s.shirt_s.manage_inventory = False
    s.shirt_s.save(update_fields=["manage_inventory"])
    assert _add(api_client, wholesale_cart, s.shirt_s.pk, 2**31 - 1).status_code == 200
    response = _add(api_client, wholesale_cart, s.shirt_s.pk, 1)
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "quantity must not be greater than 2147483647",
    }
    assert LineItem.objects.get().quantity == 2**31 - 1
