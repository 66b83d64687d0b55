"""`/api/admin/users`: Medusa's staff users, with `role` kept as the user's role group."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from commerce import permissions
from commerce.models import ApiToken, User
from commerce.services import api_token_create, user_create
from saleschannels.services import group_scope_set, staff_scope_set
from tests.commerce.factories import StaffUserFactory
from tests.saleschannels.factories import SalesChannelFactory
from tests.security.permissions_helpers import staff_with, token_client

pytestmark = pytest.mark.django_db

USER_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "role",
    "email",
    "first_name",
    "last_name",
    "api_token",
    "metadata",
    "sales_channel_ids",
}


def _create(client, **body):
    return client.post(
        "/api/admin/users",
        {"email": "clerk@example.com", "password": "a-long-password", **body},
    )


def test_create_answers_the_user_with_its_role_and_never_a_password(admin_api_client):
    response = _create(
        admin_api_client, first_name="Cle", last_name="Rk", role="developer", metadata={"a": 1}
    )

    assert response.status_code == 200
    user = response.json()["user"]
    assert set(user) == USER_KEYS
    assert user["email"] == "clerk@example.com"
    assert user["role"] == "developer"
    assert user["first_name"] == "Cle"
    assert user["metadata"] == {"a": 1}
    assert user["api_token"] is None
    assert "password" not in response.content.decode()
    created = User.objects.get(pk=user["id"])
    assert created.is_staff
    assert not created.is_superuser
    assert created.check_password("a-long-password")
    assert list(created.groups.values_list("name", flat=True)) == ["Developer"]


def test_create_defaults_to_the_member_role(admin_api_client):
    response = _create(admin_api_client)

    assert response.json()["user"]["role"] == "member"
    assert User.objects.get(email="clerk@example.com").groups.get().name == "Member"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"role": "owner"}, "role must be one of the following values: admin, member, developer"),
        ({"email": "not-an-email"}, "email must be an email"),
        ({"foo": 1}, "property foo should not exist"),
        ({"password": "short"}, "password this password is too short."),
    ],
)
def test_create_refuses_bad_input(admin_api_client, body, message):
    before = User.objects.count()

    response = _create(admin_api_client, **body)

    assert response.status_code == 400
    assert response.json()["message"].startswith(message)
    assert User.objects.count() == before


def test_create_refuses_a_taken_email(admin_api_client):
    _create(admin_api_client)

    response = _create(admin_api_client, email="CLERK@example.com")

    assert response.status_code == 422
    assert response.json() == {
        "type": "duplicate_error",
        "message": "A user with the same email already exists.",
        "code": "invalid_request_error",
    }


def test_list_answers_the_staff_users_in_a_fixed_number_of_queries(
    admin_api_client, admin_user, django_assert_num_queries
):
    web = SalesChannelFactory(name="Web")
    for n in range(5):
        role = "developer" if n == 4 else "member"
        user = user_create(email=f"u{n}@example.com", password="a-long-password", role=role)
        if n % 2:
            staff_scope_set(user_id=user.pk, sales_channel_ids=[web.pk])
    User.objects.create_user(email="shopper@example.com")  # not staff: not listed
    group_scope_set(group_id=Group.objects.get(name="Developer").pk, sales_channel_ids=[web.pk])

    # users, their scope rows, those rows' channels, groups, groups' scope rows, their channels
    with django_assert_num_queries(6):
        response = admin_api_client.get("/api/admin/users")

    assert response.status_code == 200
    users = response.json()["users"]
    assert set(response.json()) == {"users"}
    assert [u["email"] for u in users] == [admin_user.email] + [
        f"u{n}@example.com" for n in range(5)
    ]
    assert [u["role"] for u in users] == ["admin"] + ["member"] * 4 + ["developer"]
    # u1 and u3 directly, u4 through the Developer group
    assert [u["sales_channel_ids"] for u in users] == [
        None,
        None,
        [web.pk],
        None,
        [web.pk],
        [web.pk],
    ]


def test_retrieve_update_and_delete(admin_api_client):
    user = user_create(email="clerk@example.com", password="a-long-password")
    api_token_create(user=user)

    got = admin_api_client.get(f"/api/admin/users/{user.pk}")
    assert got.status_code == 200
    assert got.json()["user"]["email"] == "clerk@example.com"

    updated = admin_api_client.post(
        f"/api/admin/users/{user.pk}", {"first_name": "Ada", "role": "admin"}
    )
    assert updated.status_code == 200
    assert updated.json()["user"]["first_name"] == "Ada"
    assert updated.json()["user"]["role"] == "admin"
    assert list(User.objects.get(pk=user.pk).groups.values_list("name", flat=True)) == ["Admin"]

    deleted = admin_api_client.delete(f"/api/admin/users/{user.pk}")
    assert deleted.status_code == 200
    assert deleted.json() == {"id": user.pk, "object": "user", "deleted": True}
    assert not User.objects.filter(pk=user.pk).exists()
    assert not ApiToken.objects.filter(user_id=user.pk).exists()
    assert admin_api_client.get(f"/api/admin/users/{user.pk}").status_code == 404
    assert admin_api_client.delete(f"/api/admin/users/{user.pk}").status_code == 200


def test_an_unknown_user_is_a_404(admin_api_client):
    response = admin_api_client.get("/api/admin/users/usr_missing")

    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "User with id: usr_missing was not found",
    }


def test_deleting_yourself_is_refused(admin_api_client, admin_user):
    response = admin_api_client.delete(f"/api/admin/users/{admin_user.pk}")

    assert response.status_code == 400
    assert response.json() == {"type": "not_allowed", "message": "You cannot delete your own user"}
    assert User.objects.filter(pk=admin_user.pk).exists()


def test_me_is_the_caller_whatever_their_permissions():
    clerk = staff_with(email="nobody@example.com")

    response = token_client(clerk).get("/api/admin/users/me")

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "nobody@example.com"
    assert response.json()["user"]["role"] == "member"  # Medusa's default, in no role group


# ---- NO ESCALATION ----


def test_a_user_manager_cannot_grant_a_role_they_do_not_hold():
    manager = staff_with("commerce.view_user", "commerce.add_user", "commerce.change_user")
    client = token_client(manager)
    before = User.objects.count()

    response = _create(client, role="admin")

    assert response.status_code == 403
    assert response.json()["type"] == "not_allowed"
    assert response.json()["message"].startswith("You cannot grant the role admin: you do not hold")
    assert User.objects.count() == before

    # nor promote themselves
    response = client.post(f"/api/admin/users/{manager.pk}", {"role": "admin"})
    assert response.status_code == 403
    assert not manager.groups.exists()


def test_only_a_superuser_changes_or_deletes_a_superuser():
    root = StaffUserFactory(email="root@example.com")
    admin = user_create(email="boss@example.com", password="a-long-password", role="admin")
    client = token_client(User.objects.get(pk=admin.pk))

    assert client.post(f"/api/admin/users/{root.pk}", {"first_name": "X"}).status_code == 403
    response = client.delete(f"/api/admin/users/{root.pk}")
    assert response.status_code == 403
    assert response.json() == {
        "type": "not_allowed",
        "message": "Only a superuser may change or delete a superuser",
    }
    assert User.objects.get(pk=root.pk).first_name == ""


# ---- THE ROLES ----


def _role_client(role: str, email: str):
    user = user_create(email=email, password="a-long-password", role=role)
    return token_client(User.objects.get(pk=user.pk))


def test_the_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Admin", "Member", "Developer"}


def test_what_each_role_may_do():
    channel = SalesChannelFactory(name="Feed")
    member = _role_client("member", "member@example.com")
    developer = _role_client("developer", "dev@example.com")
    admin = _role_client("admin", "boss@example.com")

    # everyone reads
    for client in (member, developer, admin):
        assert client.get("/api/admin/sales-channels").status_code == 200
        assert client.get("/api/admin/orders").status_code == 200
    # the catalogue: members and admins
    assert member.post("/api/admin/products", {"title": "Tee"}).status_code == 200
    assert developer.post("/api/admin/products", {"title": "Tee"}).status_code == 403
    # keys: developers and admins
    assert developer.post("/api/admin/publishable-api-keys", {"title": "K"}).status_code == 200
    assert member.post("/api/admin/publishable-api-keys", {"title": "K"}).status_code == 403
    # channels and users: admins only
    assert member.delete(f"/api/admin/sales-channels/{channel.pk}").status_code == 403
    assert developer.delete(f"/api/admin/sales-channels/{channel.pk}").status_code == 403
    assert member.get("/api/admin/users").status_code == 200
    assert member.post("/api/admin/users", {"email": "x@example.com"}).status_code == 403
    assert admin.get("/api/admin/users").status_code == 200
    assert admin.delete(f"/api/admin/sales-channels/{channel.pk}").status_code == 200


def test_role_permissions_are_declared_in_one_place():
    member = Group.objects.get(name="Member")
    perms = {
        f"{app}.{codename}"
        for app, codename in member.permissions.values_list("content_type__app_label", "codename")
    }
    assert permissions.MANAGE_CHANNEL_PRODUCTS in perms
    assert "catalog.change_product" in perms
    assert "saleschannels.delete_saleschannel" not in perms
    assert "commerce.view_user" in perms
    assert "commerce.add_user" not in perms


def test_an_api_token_cannot_be_set_through_the_users_routes(admin_api_client):
    user = user_create(email="clerk@example.com", password="a-long-password")

    response = admin_api_client.post(f"/api/admin/users/{user.pk}", {"api_token": "plain-text"})

    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "property api_token should not exist",
    }
    assert not ApiToken.objects.filter(user_id=user.pk).exists()
