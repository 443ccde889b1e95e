import datetime

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from jiaogong.accounts.models import ApiToken, LoginFailure
from jiaogong.accounts.services import create_api_token, user_for_token
from jiaogong.conftest import PASSWORD

from .conftest import BASE

# Every endpoint of the section, with a body that would pass validation where one is needed.
ENDPOINTS = [
    ("get", "/orgs", None),
    ("post", "/orgs", {"name": "新学校工会", "kind": "school", "parent": 1}),
    ("post", "/orgs/{org}/users", {"username": "new", "password": PASSWORD, "roles": ["member"]}),
    ("get", "/orgs/{org}/members", None),
    (
        "post",
        "/orgs/{org}/members",
        {"name": "李", "gender": "F", "birth_date": "1990-01-01", "is_teacher": True},
    ),
    ("get", "/orgs/{org}/members/{member}", None),
    ("patch", "/orgs/{org}/members/{member}", {"post": "教师"}),
    ("post", "/orgs/{org}/members/{member}/status", {"status": "retired", "effective_on": "2025-01-01"}),
    ("post", "/orgs/{org}/members/import", None),
    ("get", "/orgs/{org}/members/export", None),
]


def test_token_endpoint_gives_a_token_that_works(api, chair_a, school_a):
    response = api().post("/auth/token", {"username": "chair_a", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert api(token=token).get(f"/orgs/{school_a.pk}/members").status_code == 200


def test_token_endpoint_refuses_a_wrong_password(api, chair_a):
    response = api().post("/auth/token", {"username": "chair_a", "password": "wrong-horse"})
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "bad_credentials"
    assert "密码" in error["message"]
    assert not ApiToken.objects.exists()


def test_token_endpoint_is_throttled_after_repeated_failures(api, chair_a):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert api().post("/auth/token", {"username": "chair_a", "password": "nope"}).status_code == 401
    response = api().post("/auth/token", {"username": "chair_a", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "login_locked"
    assert not ApiToken.objects.exists()


def test_token_endpoint_wants_both_fields(api, chair_a):
    response = api().post("/auth/token", {"username": "chair_a"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"password": "必填。"}
    assert not LoginFailure.objects.exists()


@pytest.mark.parametrize("method,path,body", ENDPOINTS)
def test_every_endpoint_refuses_a_caller_without_a_token(api, school_a, member_a, method, path, body):
    path = path.format(org=school_a.pk, member=member_a.member_id)
    response = getattr(api(), method)(path, body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("method,path,body", ENDPOINTS)
def test_every_endpoint_refuses_a_bad_token(api, school_a, member_a, method, path, body):
    path = path.format(org=school_a.pk, member=member_a.member_id)
    response = getattr(api(token="jg_not-a-real-token"), method)(path, body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_deactivated_users_token_stops_working(api, chair_a, school_a):
    client = api(chair_a)
    chair_a.is_active = False
    chair_a.save()
    assert client.get(f"/orgs/{school_a.pk}/members").status_code == 401


def test_a_browser_session_can_read(client, chair_a, school_a):
    client.force_login(chair_a)
    assert client.get(f"{BASE}/orgs/{school_a.pk}/members").status_code == 200


def test_a_browser_session_must_send_the_csrf_token_to_write(chair_a, school_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(chair_a)
    url = f"{BASE}/orgs/{school_a.pk}/members"
    body = {"name": "李老师", "gender": "F", "birth_date": "1990-03-15", "is_teacher": True}
    refused = browser.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert school_a.members.count() == 0

    secret = get_random_string(32)
    browser.cookies[settings.CSRF_COOKIE_NAME] = secret
    accepted = browser.post(url, body, content_type="application/json", headers={"X-CSRFToken": secret})
    assert accepted.status_code == 201


def test_malformed_json_is_a_400_in_the_error_shape(api, chair_a, school_a):
    response = api(chair_a).post(f"/orgs/{school_a.pk}/members", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert school_a.members.count() == 0


def test_an_unknown_path_is_a_404_in_the_error_shape(api, chair_a):
    response = api(chair_a).get("/nothing/here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_command_prints_a_token_that_works_on_its_last_line(api, chair_a, school_a, capsys):
    call_command("create_api_token", "chair_a")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("jg_")
    assert api(token=token).get(f"/orgs/{school_a.pk}/members").status_code == 200


def test_the_command_refuses_an_unknown_user_in_chinese(db):
    with pytest.raises(CommandError, match="没有用户名为“nobody”的用户"):
        call_command("create_api_token", "nobody")
    assert not ApiToken.objects.exists()


def test_the_openapi_document_is_served_and_lists_the_paths(client):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/token",
        "/api/v1/orgs",
        "/api/v1/orgs/{org}/users",
        "/api/v1/orgs/{org}/members",
        "/api/v1/orgs/{org}/members/{member}",
        "/api/v1/orgs/{org}/members/import",
        "/api/v1/orgs/{org}/members/export",
    ]:
        assert path in paths
    assert "打码" in paths["/api/v1/orgs/{org}/members"]["get"]["description"]


def test_the_swagger_page_is_not_served(client):
    # It would load its scripts from a CDN.
    assert client.get(f"{BASE}/docs").status_code == 404


def test_an_empty_body_is_a_400_asking_for_a_json_object(api, chair_a, school_a):
    response = api(chair_a).post(f"/orgs/{school_a.pk}/members", "", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"body": "请提交 JSON 对象。"}


def test_a_wrong_method_is_a_405_in_the_error_shape(api, chair_a, school_a):
    response = api(chair_a).client.delete(f"{BASE}/orgs/{school_a.pk}/members")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_the_token_gives_the_whole_user_and_marks_its_use(chair_a):
    token = create_api_token(chair_a)
    user = user_for_token(token)
    # Built from one raw row: every field must read as the ORM would read it.
    fresh = type(chair_a).objects.get(pk=chair_a.pk)
    for field in type(chair_a)._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(fresh, field.attname), field.name
    assert user.is_active is True and isinstance(user.date_joined, datetime.datetime)
    row = ApiToken.objects.get(user=chair_a)
    assert row.last_used_at is not None
    stale = timezone.now() - datetime.timedelta(minutes=6)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=stale)
    user_for_token(token)
    assert ApiToken.objects.get(pk=row.pk).last_used_at > stale
    assert user_for_token(token + "x") is None
