"""The first administrator of a real school (`make run DEMO=0`): a one-time password, printed once,
which must be replaced at the first login — on the pages and through the API."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from jiaogong.accounts.models import User
from jiaogong.core.management.commands.serve import create_first_admin
from jiaogong.core.models import AuditEvent


@pytest.fixture
def one_time(db):
    return create_first_admin()


def login(client, password):
    return client.post(reverse("accounts:login"), {"identifier": "admin", "password": password})


def test_an_empty_database_gets_one_admin_with_a_random_one_time_password(one_time):
    admin = User.objects.get()
    assert admin.username == "admin" and admin.is_superuser and admin.must_change_password
    assert len(one_time) == 16 and admin.check_password(one_time)
    assert create_first_admin() is None  # never a second one
    event = AuditEvent.objects.get(action="accounts.user.first_admin")
    assert one_time not in str(event.changes) and one_time not in event.object_repr


def test_two_first_admins_get_different_passwords(db):
    first = create_first_admin()
    User.objects.all().delete()
    assert create_first_admin() != first


def test_no_admin_is_made_when_logins_exist(chair_a):
    assert create_first_admin() is None
    assert not User.objects.filter(username="admin").exists()


def test_after_login_every_page_leads_to_the_new_password_form(client, one_time, school_a):
    response = login(client, one_time)
    assert response.status_code == 302
    for url in ["/", reverse("core:home"), "/admin/", f"/orgs/{school_a.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password"), url
    page = client.get(reverse("accounts:password"))
    assert "一次性密码" in page.content.decode()


def test_the_api_refuses_the_session_and_a_token_until_the_password_is_changed(client, one_time):
    assert (
        client.post(
            "/api/v1/auth/token", {"username": "admin", "password": one_time}, content_type="application/json"
        ).json()["error"]["code"]
        == "password_change_required"
    )
    login(client, one_time)
    response = client.get("/api/v1/orgs")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "password_change_required",
        "message": "您使用的是一次性密码，请先在网页上设置新密码。",
        "fields": {},
    }


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"old_password": "wrong", "new_password": "Zq8-new-pass", "new_password_again": "Zq8-new-pass"},
            "old_password",
            "原密码不正确",
        ),
        (
            {"new_password": "Zq8-new-pass", "new_password_again": "Zq8-other"},
            "new_password_again",
            "两次输入的新密码不一致",
        ),
        ({"new_password": "12345678901", "new_password_again": "12345678901"}, "new_password", "全是数字"),
        ({"new_password": "short", "new_password_again": "short"}, "new_password", "太短"),
        ({"new_password": "", "new_password_again": ""}, "new_password", "请填写新密码"),
    ],
)
def test_a_bad_new_password_is_refused_in_chinese_and_changes_nothing(client, one_time, data, field, message):
    login(client, one_time)
    data = {"old_password": one_time, **data}
    response = client.post(reverse("accounts:password"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    admin = User.objects.get()
    assert admin.must_change_password and admin.check_password(one_time)


def test_the_new_password_frees_the_admin_and_spends_the_one_time_one(client, one_time):
    login(client, one_time)
    response = client.post(
        reverse("accounts:password"),
        {"old_password": one_time, "new_password": "Zq8-new-pass", "new_password_again": "Zq8-new-pass"},
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code in (200, 302)
    assert client.get(reverse("core:home")).get("Location") != reverse("accounts:password")
    admin = User.objects.get()
    assert not admin.must_change_password and not admin.check_password(one_time)
    assert AuditEvent.objects.filter(action="accounts.password.change", actor=admin).count() == 1
    client.logout()
    assert login(client, one_time).status_code == 200  # the old password no longer works
    assert login(client, "Zq8-new-pass").status_code == 302


def test_a_user_without_the_flag_is_not_redirected(login, chair_a):
    client = login(chair_a)
    assert client.get(reverse("core:home")).get("Location") != reverse("accounts:password")


def test_serve_without_demo_prints_the_password_once(db, monkeypatch):
    from jiaogong.core.management.commands import serve

    out = io.StringIO()
    command = serve.Command(stdout=out)
    command._first_start(demo=False)
    text = out.getvalue()
    admin = User.objects.get()
    password = text.split("一次性密码")[1].split()[0]
    assert admin.check_password(password)
    out2 = io.StringIO()
    serve.Command(stdout=out2)._first_start(demo=False)
    assert "一次性密码" not in out2.getvalue()
    call_command("check")
