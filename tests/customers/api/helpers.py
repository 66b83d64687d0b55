from tests.carts.api.store_helpers import address_json
from tests.helpers import ms


def customer_json(customer):
    """The store customer with its addresses, read back from the database."""
    customer.refresh_from_db()
    saved = list(customer.shipping_addresses.order_by("created_at", "id"))
    return {
        "id": customer.pk,
        "created_at": ms(customer.created_at),
        "updated_at": ms(customer.updated_at),
        "deleted_at": None,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "billing_address_id": customer.billing_address_id,
        "phone": customer.phone,
        "has_account": customer.has_account,
        "metadata": customer.metadata,
        "shipping_addresses": [{**address_json(a), "customer_id": customer.pk} for a in saved],
        "billing_address": address_json(customer.billing_address),
    }


def bearer(client, email, password):
    response = client.post("/api/store/auth/token", {"email": email, "password": password})
    assert response.status_code == 200, response.json()
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}
