"""API tokens: expiry, listing and revocation by their owner and the admin, revoked on any password change."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jiaogong.accounts.models import ApiToken
from jiaogong.accounts.services import create_api_token, user_for_token
from jiaogong.conftest import PASSWORD
from jiaogong.core.models import AuditEvent
from jiaogong.factories import UserFactory

BASE = "/api/v1"
TOKENS = reverse("accounts:tokens")


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def works(client, token, school):
    return client.get(f"{BASE}/orgs/{school.pk}/members", headers=bearer(token)).status_code == 200


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


# ---- expiry ----------------------------------------------------------------------------------


def test_a_token_records_its_expiry_from_the_setting(settings, chair_a):
    settings.API_TOKEN_DAYS = 30
    before = timezone.now()
    create_api_token(chair_a, name="对账脚本")
    row = ApiToken.objects.get()
    assert row.name == "对账脚本"
    assert (
        before + datetime.timedelta(days=30) <= row.expires_at <= timezone.now() + datetime.timedelta(days=30)
    )


def test_an_expired_token_is_a_401(client, chair_a, school_a):
    token = create_api_token(chair_a)
    assert works(client, token, school_a)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(f"{BASE}/orgs/{school_a.pk}/members", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_the_token_endpoint_answers_with_the_expiry(client, chair_a):
    body = {"username": "chair_a", "password": PASSWORD, "name": "手机"}
    response = client.post(f"{BASE}/auth/token", body, content_type="application/json")
    assert response.status_code == 200
    row = ApiToken.objects.get()
    assert row.name == "手机"
    answered = datetime.datetime.fromisoformat(response.json()["expires_at"])
    assert abs(answered - row.expires_at) < datetime.timedelta(milliseconds=1)


def test_the_command_records_the_expiry_and_the_name(chair_a, capsys):
    call_command("create_api_token", "chair_a", "--name", "导出脚本")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    row = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    assert row.name == "导出脚本" and row.expires_at > timezone.now()


def test_only_the_digest_of_a_token_is_stored(chair_a):
    token = create_api_token(chair_a)
    row = ApiToken.objects.get()
    assert token not in {row.digest, row.prefix, row.name}
    assert row.digest == ApiToken.digest_of(token)


# ---- revoked on a password change, whatever the path ------------------------------------------


def test_the_users_own_password_change_revokes_their_tokens(login, client, chair_a, school_a):
    token = create_api_token(chair_a)
    login(chair_a)
    response = client.post(
        reverse("accounts:password"),
        {
            "old_password": PASSWORD,
            "new_password": "Bamboo-river-42",
            "new_password_again": "Bamboo-river-42",
        },
    )
    assert response.status_code == 302
    assert client.get(TOKENS).status_code == 200  # this browser stays signed in
    client.logout()
    assert not works(client, token, school_a)
    event = AuditEvent.objects.get(action="accounts.password.change")
    assert event.actor == chair_a and event.changes["tokens_revoked"] == [None, 1]


def test_the_admins_set_password_revokes_the_tokens_and_is_audited(client, superuser, chair_a, school_a):
    token = create_api_token(chair_a)
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[chair_a.pk])
    response = client.post(
        url, {"password1": "Bamboo-river-42", "password2": "Bamboo-river-42", "usable_password": "true"}
    )
    assert response.status_code == 302, response.content
    client.logout()
    assert not works(client, token, school_a)
    event = AuditEvent.objects.get(action="accounts.password.change")
    assert event.actor == superuser
    assert event.object_id == str(chair_a.pk)
    assert "Bamboo" not in str(event.changes)
    assert event.changes["tokens_revoked"] == [None, 1]


def test_the_admin_disabling_password_login_revokes_the_tokens(client, superuser, chair_a, school_a):
    token = create_api_token(chair_a)
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[chair_a.pk])
    response = client.post(url, {"usable_password": "false", "unset-password": "1"})
    assert response.status_code == 302, response.content
    chair_a.refresh_from_db()
    assert not chair_a.has_usable_password()
    client.logout()
    assert not works(client, token, school_a)
    assert AuditEvent.objects.get(action="accounts.password.change").actor == superuser


def test_saving_a_user_without_touching_the_password_is_not_a_change(chair_a):
    token = create_api_token(chair_a)
    chair_a.first_name = "王主席（新）"
    chair_a.save()
    chair_a.set_unusable_password()
    chair_a.save(update_fields=["first_name"])  # the password is not written
    assert user_for_token(token) == chair_a
    assert not AuditEvent.objects.filter(action="accounts.password.change").exists()


def test_a_command_line_password_change_revokes_the_tokens_too(chair_a, school_a, client):
    token = create_api_token(chair_a)
    chair_a.set_password("Bamboo-river-42")
    chair_a.save()
    assert user_for_token(token) is None
    event = AuditEvent.objects.get(action="accounts.password.change")
    assert event.actor is None and event.changes["password"] == ["***", "***"]


def test_a_password_hash_upgrade_is_not_a_change(settings, chair_a):
    token = create_api_token(chair_a)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert chair_a.check_password(PASSWORD)  # rehashed and saved with the new hasher
    assert chair_a.password.startswith("pbkdf2_")
    assert user_for_token(token) == chair_a
    assert not AuditEvent.objects.filter(action="accounts.password.change").exists()


# ---- the owner's page --------------------------------------------------------------------------


def test_the_account_menu_links_to_the_tokens_page(login, chair_a, school_a):
    client = login(chair_a)
    page = client.get(reverse("core:home"), follow=True)
    assert TOKENS in page.text and "API 令牌" in page.text


def test_the_page_lists_only_the_callers_tokens(login, chair_a, outsider_b):
    create_api_token(chair_a, name="主席的脚本")
    create_api_token(outsider_b, name="别人的脚本")
    page = login(chair_a).get(TOKENS)
    assert "主席的脚本" in page.text
    assert "别人的脚本" not in page.text
    assert "从未使用" in page.text


def test_the_page_creates_a_token_and_shows_it_once(login, client, chair_a, school_a):
    login(chair_a)
    page = client.post(TOKENS, {"name": "对账"})
    row = ApiToken.objects.get(user=chair_a)
    token = next(w for w in page.text.replace("<", " ").replace(">", " ").split() if w.startswith("jg_"))
    assert ApiToken.digest_of(token) == row.digest
    assert token not in client.get(TOKENS).text
    assert AuditEvent.objects.filter(action="accounts.token.create", object_id=str(chair_a.pk)).exists()


def test_a_token_may_have_no_name(login, chair_a):
    login(chair_a).post(TOKENS, {})
    assert ApiToken.objects.get(user=chair_a).name == ""


def test_a_too_long_name_is_refused_in_chinese(login, chair_a):
    page = login(chair_a).post(TOKENS, {"name": "长" * 61})
    assert "名称不能超过 60 个字。" in page.text
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_from_the_page(login, client, chair_a, school_a):
    token = create_api_token(chair_a, name="旧脚本")
    row = ApiToken.objects.get()
    login(chair_a)
    response = client.post(reverse("accounts:token_revoke", args=[row.pk]))
    assert response.status_code == 302
    client.logout()
    assert not works(client, token, school_a)
    event = AuditEvent.objects.get(action="accounts.token.revoke")
    assert event.actor == chair_a


def test_nobody_revokes_another_users_token_from_the_page(login, chair_a, outsider_b, school_b, client):
    token = create_api_token(outsider_b)
    row = ApiToken.objects.get()
    response = login(chair_a).post(reverse("accounts:token_revoke", args=[row.pk]))
    assert response.status_code == 404
    client.logout()
    assert works(client, token, school_b)


def test_the_tokens_page_needs_a_login(client, db):
    assert client.get(TOKENS).status_code == 302


# ---- the API -----------------------------------------------------------------------------------


def test_the_api_lists_the_callers_tokens_without_secrets(client, chair_a, outsider_b):
    token = create_api_token(chair_a, name="甲")
    create_api_token(chair_a, name="乙")
    create_api_token(outsider_b, name="别人")
    response = client.get(f"{BASE}/auth/tokens", headers=bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [t["name"] for t in body["items"]] == ["乙", "甲"]
    assert token not in response.text
    assert set(body["items"][0]) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "expired",
    }


def test_the_api_revokes_one_of_the_callers_tokens(client, chair_a, school_a):
    keep = create_api_token(chair_a, name="保留")
    drop = create_api_token(chair_a, name="作废")
    drop_id = ApiToken.objects.get(name="作废").pk
    assert client.delete(f"{BASE}/auth/tokens/{drop_id}", headers=bearer(keep)).status_code == 204
    assert not works(client, drop, school_a)
    assert works(client, keep, school_a)
    again = client.delete(f"{BASE}/auth/tokens/{drop_id}", headers=bearer(keep))
    assert again.status_code == 404


def test_the_api_says_another_users_token_is_not_found(client, chair_a, outsider_b, school_b):
    theirs = create_api_token(outsider_b)
    mine = create_api_token(chair_a)
    their_id = ApiToken.objects.get(user=outsider_b).pk
    response = client.delete(f"{BASE}/auth/tokens/{their_id}", headers=bearer(mine))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert works(client, theirs, school_b)


def test_the_token_endpoints_are_in_the_openapi_document(client):
    paths = client.get(f"{BASE}/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/auth/tokens"]
    assert "delete" in paths["/api/v1/auth/tokens/{token_id}"]


# ---- the admin -----------------------------------------------------------------------------------


def test_the_admin_lists_every_users_tokens(client, superuser, chair_a, outsider_b):
    create_api_token(chair_a, name="主席的脚本")
    create_api_token(outsider_b, name="别人的脚本")
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert page.status_code == 200
    assert "主席的脚本" in page.text and "别人的脚本" in page.text


def test_the_admin_revokes_tokens_and_it_is_audited(client, superuser, chair_a, school_a):
    token = create_api_token(chair_a)
    row = ApiToken.objects.get()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    client.logout()
    assert not works(client, token, school_a)
    assert AuditEvent.objects.get(action="accounts.token.revoke").actor == superuser


def test_only_a_superuser_may_revoke_anyones_token(chair_a, outsider_b):
    from django.core.exceptions import PermissionDenied

    from jiaogong.accounts.services import revoke_api_token

    create_api_token(outsider_b)
    with pytest.raises(PermissionDenied):
        revoke_api_token(actor=chair_a, token_id=ApiToken.objects.get().pk, any_user=True)
    assert ApiToken.objects.get().revoked_at is None
