"""The login page: username or phone, Chinese errors, throttling, safe `next`, logout by POST."""

import pytest
from django.conf import settings
from django.urls import reverse

from jiaogong.conftest import PASSWORD
from jiaogong.factories import UserFactory, grant

LOGIN = reverse("accounts:login")


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_asks_for_username_or_phone(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "用户名或手机号" in response.text
    assert "密码" in response.text


def test_user_logs_in_with_username_and_lands_on_home(client, chair_a):
    response = client.post(LOGIN, {"identifier": "chair_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert logged_in_user_id(client) == str(chair_a.pk)


def test_user_logs_in_with_phone(client, school_a):
    user = grant(UserFactory(username="li_laoshi", phone="13900001111"), school_a, "member")
    response = client.post(LOGIN, {"identifier": "13900001111", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_wrong_password_shows_a_chinese_message(client, chair_a):
    response = client.post(LOGIN, {"identifier": "chair_a", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名（或手机号）或密码不正确。" in response.text
    assert logged_in_user_id(client) is None


def test_empty_form_asks_for_both_fields(client, db):
    response = client.post(LOGIN, {"identifier": "", "password": ""})
    assert "请填写用户名或手机号。" in response.text
    assert "请填写密码。" in response.text


def test_login_is_locked_after_too_many_failures_even_with_the_right_password(client, chair_a):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(LOGIN, {"identifier": "chair_a", "password": "wrong-password"})
    response = client.post(LOGIN, {"identifier": "chair_a", "password": PASSWORD})
    assert response.status_code == 200
    assert "登录尝试次数过多" in response.text
    assert logged_in_user_id(client) is None


def test_many_failures_from_one_address_lock_that_address(client, chair_a):
    for i in range(settings.LOGIN_MAX_FAILURES * 4):
        client.post(LOGIN, {"identifier": f"nobody{i}", "password": "x"}, REMOTE_ADDR="10.0.0.7")
    locked = client.post(LOGIN, {"identifier": "chair_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert "登录尝试次数过多" in locked.text
    elsewhere = client.post(LOGIN, {"identifier": "chair_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert elsewhere.status_code == 302


def test_login_redirects_to_a_safe_next(client, chair_a, school_a):
    target = reverse("core:rules", args=[school_a.pk])
    response = client.post(f"{LOGIN}?next={target}", {"identifier": "chair_a", "password": PASSWORD})
    assert response["Location"] == target


def test_next_field_in_the_form_is_kept_on_a_failed_attempt(client, chair_a, school_a):
    target = reverse("core:rules", args=[school_a.pk])
    response = client.post(LOGIN, {"identifier": "chair_a", "password": "bad", "next": target})
    assert f'name="next" value="{target}"' in response.text


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_login_refuses_an_unsafe_next(client, chair_a, unsafe):
    response = client.post(LOGIN, {"identifier": "chair_a", "password": PASSWORD, "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_signed_in_user_opening_login_goes_home(login, chair_a):
    client = login(chair_a)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_logout_by_post_signs_out_and_returns_to_login(login, chair_a):
    client = login(chair_a)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert logged_in_user_id(client) is None
    assert "您已退出登录。" in client.get(LOGIN).text


def test_logout_by_get_is_refused(login, chair_a):
    client = login(chair_a)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert logged_in_user_id(client) == str(chair_a.pk)


def test_passwords_are_stored_with_argon2(settings, school_a, client):
    from jiaogong.config import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    user = UserFactory(username="argon_user")
    assert user.password.startswith("argon2$")
    response = client.post(LOGIN, {"identifier": "argon_user", "password": PASSWORD})
    assert response.status_code == 302
