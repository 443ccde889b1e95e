"""API.md "Activities and calendar": the paths, bodies and status codes; outsiders 404, wrong roles
403, bad input 400 with the error shape and nothing written."""

import pytest

from jiaogong.activities import services
from jiaogong.activities.models import Activity, Registration
from jiaogong.activities.tests.conftest import at, member_user
from jiaogong.core.audit import AuditEvent
from jiaogong.factories import UserFactory, grant

BODY = {
    "title": "工会活动：气排球",
    "kind": "recreation",
    "starts_at": "2026-09-04T16:20:00+08:00",
    "ends_at": "2026-09-04T17:00:00+08:00",
    "capacity": 2,
    "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
}


@pytest.fixture
def department_a(school_a):
    return grant(UserFactory(username="office_a"), school_a, "department")


def test_the_organiser_creates_a_series(api, school_a, organiser_a, clock):
    response = api(organiser_a).post(f"/orgs/{school_a.pk}/activities", BODY)
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "工会活动：气排球" and body["rrule"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"
    assert body["capacity"] == 2 and body["registration"] is True and body["status"] == "planned"
    assert body["starts_at"] == "2026-09-04T16:20:00+08:00" and body["confirmed"] == 0
    assert Activity.objects.get(pk=body["id"]).org == school_a


def test_bad_input_is_400_with_the_fields_and_writes_nothing(api, school_a, organiser_a):
    client = api(organiser_a)
    before = AuditEvent.objects.count()
    response = client.post(
        f"/orgs/{school_a.pk}/activities",
        {
            **BODY,
            "title": "",
            "kind": "party",
            "ends_at": "2026-09-04T15:00:00+08:00",
            "rrule": "FREQ=SOMETIMES",
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"title", "kind", "ends_at", "rrule"}
    assert error["fields"]["ends_at"] == "结束时间不能早于开始时间。"
    assert not Activity.objects.exists() and AuditEvent.objects.count() == before


def test_a_naive_time_is_refused(api, school_a, organiser_a):
    response = api(organiser_a).post(
        f"/orgs/{school_a.pk}/activities", {**BODY, "starts_at": "2026-09-04T16:20:00"}
    )
    assert response.status_code == 400 and "starts_at" in response.json()["error"]["fields"]
    assert not Activity.objects.exists()


def test_creating_needs_an_organisers_role(api, school_a, member_a, outsider_b):
    assert api(member_a).post(f"/orgs/{school_a.pk}/activities", BODY).status_code == 403
    assert api(outsider_b).post(f"/orgs/{school_a.pk}/activities", BODY).status_code == 404
    assert api().post(f"/orgs/{school_a.pk}/activities", BODY).status_code == 401
    assert not Activity.objects.exists()


@pytest.fixture
def pair(make_activity, clock):
    clock(at(2026, 9, 1, 9))
    return make_activity(capacity=2)


def test_registrations_confirm_then_waitlist_and_cancelling_promotes(api, school_a, pair):
    a, b, c = (member_user(school_a, n) for n in ("甲", "乙", "丙"))
    outcomes = [api(u).post(f"/activities/{pair.pk}/registrations") for u in (a, b, c)]
    assert [r.status_code for r in outcomes] == [201, 201, 201]
    assert [r.json()["status"] for r in outcomes] == ["confirmed", "confirmed", "waitlisted"]
    assert outcomes[2].json()["position"] == 1
    response = api(a).delete(f"/activities/{pair.pk}/registrations/me")
    assert response.status_code == 204 and response.content == b""
    assert Registration.objects.get(activity=pair, member=c.member).status == "confirmed"


def test_registering_twice_is_409(api, school_a, member_a, pair):
    api(member_a).post(f"/activities/{pair.pk}/registrations")
    response = api(member_a).post(f"/activities/{pair.pk}/registrations")
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_registered"


def test_registering_after_the_deadline_is_409_in_chinese(api, school_a, member_a, organiser_a, pair):
    services.update_activity(
        actor=organiser_a, org=school_a, activity=pair, registration_deadline=at(2026, 9, 1, 8)
    )
    response = api(member_a).post(f"/activities/{pair.pk}/registrations")
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "deadline_passed",
        "message": "报名已于 2026-09-01 08:00 截止，不能再报名。",
        "fields": {},
    }
    assert not Registration.objects.exists()


def test_a_login_without_a_member_record_gets_422(api, school_a, chair_a, pair):
    response = api(chair_a).post(f"/activities/{pair.pk}/registrations")
    assert response.status_code == 422 and response.json()["error"]["code"] == "not_a_member"


def test_cancelling_without_a_sign_up_is_409(api, school_a, member_a, pair):
    assert api(member_a).delete(f"/activities/{pair.pk}/registrations/me").status_code == 409


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/activities/{id}/registrations"),
        ("delete", "/activities/{id}/registrations/me"),
        ("get", "/activities/{id}"),
    ],
)
def test_another_orgs_activity_is_404_and_a_department_403(
    api, school_a, outsider_b, department_a, pair, method, path
):
    url = path.format(id=pair.pk)
    assert getattr(api(outsider_b), method)(url).status_code == 404
    assert getattr(api(department_a), method)(url).status_code == 403
    assert getattr(api(outsider_b), method)(path.format(id=999999)).status_code == 404
    assert not Registration.objects.exists()


def test_the_org_endpoints_refuse_outsiders_and_wrong_roles(api, school_a, outsider_b, department_a):
    for path in (f"/orgs/{school_a.pk}/calendar.ics", f"/orgs/{school_a.pk}/activities"):
        assert api(outsider_b).get(path).status_code == 404
        assert api(department_a).get(path).status_code == 403


def test_the_list_and_one_activity(api, school_a, member_a, pair):
    listed = api(member_a).get(f"/orgs/{school_a.pk}/activities").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == pair.pk
    one = api(member_a).get(f"/activities/{pair.pk}").json()
    assert one["kind_label"] == "文体比赛" and one["capacity"] == 2
