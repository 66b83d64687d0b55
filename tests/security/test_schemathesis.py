"""Schemathesis against `/api/schema/`: every admin and store operation, in process, on a budget.

The schema is fetched from the app itself (WSGI, no network). Each operation is one pytest item;
each generated request runs inside a savepoint that is rolled back, so every request sees the
same small store (`tests.security.shop`) and the run is deterministic (`derandomize`, fixed seed).
Checks: no 5xx, status code documented, content type documented, body valid against the schema.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.shop import SecurityShop, security_shop_create

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The budget: the schema's examples, then at most MAX_EXAMPLES generated requests per operation,
# valid and invalid ones (about 600 requests in all). The coverage phase (every boundary value
# of every parameter and property) is off: it is about 4,000 requests, minutes per database.
MAX_EXAMPLES = 10
CONFIG = {
    "seed": 20260801,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "output": {"truncation": {"enabled": False}},
}

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), config=schemathesis.Config.from_dict(CONFIG)
)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    # Django's test client does the same: closing "old" connections when a request ends would
    # end the transaction every test runs in.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def shop() -> SecurityShop:
    return security_shop_create()


def _real_ids(shop: SecurityShop, path: str) -> dict[str, str]:
    """The ids of existing rows for the path parameters of `path`."""
    resource = path.split("/")[3]
    by_resource = {
        "orders": shop.order.pk,
        "products": shop.published.pk,
        "publishable-api-keys": shop.key.pk,
        "regions": shop.region.pk,
        "sales-channels": shop.channel.pk,
        "shipping-options": shop.cart_id if path.startswith("/api/store/") else shop.shipping.pk,
        "carts": shop.cart_id,
        "variants": shop.variant_id,
    }
    return {
        "id": by_resource.get(resource, ""),
        "key_id": shop.key.pk,
        "line_id": shop.line_id,
        "cart_id": shop.order.cart_id,
    }


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_response_conforms_to_the_schema(case, shop):
    # given: half of the generated ids (deterministically) replaced by ids of existing rows
    real = _real_ids(shop, case.path)
    for name, value in dict(case.path_parameters or {}).items():
        if len(str(value)) % 2 == 0 and real.get(name):
            case.path_parameters[name] = real[name]
    headers = {"x-medusa-access-token": shop.token} if case.path.startswith("/api/admin/") else {}

    # when
    with transaction.atomic():
        response = case.call(headers=headers)
        transaction.set_rollback(True)

    # then
    case.validate_response(response, checks=CHECKS, headers=headers)
