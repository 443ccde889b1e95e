"""API v1 学习: the sessions of a year and PUT my 心得 — outsiders 404, wrong roles 403, bad input
400 and nothing written, the deadline 409."""

import datetime

from jiaogong.factories import UserFactory, grant
from jiaogong.study.models import Reflection


def test_a_member_lists_the_sessions_and_submits_a_reflection(api, member_a, school_a, session_a, clock):
    r = api(member_a).get(f"/orgs/{school_a.pk}/study-sessions", {"year": 2026})
    assert r.status_code == 200
    item = r.json()["items"][0]
    assert item["topic"] == "学习《中华人民共和国教师法》" and item["kind"] == "political_study"
    assert (
        item["has_material_file"] is True
        and item["my_reflection"] is False
        and item["reflection_due"] == "2026-09-24"
    )
    r = api(member_a).put(f"/study-sessions/{session_a.pk}/reflection", {"text": "依法执教"})
    assert r.status_code == 201 and r.json()["text"] == "依法执教"
    r = api(member_a).put(f"/study-sessions/{session_a.pk}/reflection", {"text": "依法执教，为人师表"})
    assert r.status_code == 200 and Reflection.objects.get().text == "依法执教，为人师表"
    assert (
        api(member_a)
        .get(f"/orgs/{school_a.pk}/study-sessions", {"year": 2026})
        .json()["items"][0]["my_reflection"]
    )


def test_after_the_deadline_is_409(api, member_a, session_a, clock):
    clock(datetime.date(2026, 9, 25))
    r = api(member_a).put(f"/study-sessions/{session_a.pk}/reflection", {"text": "晚了"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "past_deadline"
    assert not Reflection.objects.exists()


def test_bad_input_is_400_and_writes_nothing(api, member_a, session_a, clock):
    for body in ({"text": "   "}, {}, {"text": "字" * 5001}):
        r = api(member_a).put(f"/study-sessions/{session_a.pk}/reflection", body)
        assert r.status_code == 400 and "text" in r.json()["error"]["fields"], body
    assert not Reflection.objects.exists()


def test_outsiders_get_404(api, outsider_b, school_a, session_a):
    assert api(outsider_b).get(f"/orgs/{school_a.pk}/study-sessions").status_code == 404
    assert api(outsider_b).put(f"/study-sessions/{session_a.pk}/reflection", {"text": "x"}).status_code == 404
    assert api(outsider_b).put("/study-sessions/999999/reflection", {"text": "x"}).status_code == 404
    assert not Reflection.objects.exists()


def test_wrong_roles_get_403(api, school_a, session_a):
    office = grant(UserFactory(username="zongwu"), school_a, "department")
    assert api(office).get(f"/orgs/{school_a.pk}/study-sessions").status_code == 403
    assert api(office).put(f"/study-sessions/{session_a.pk}/reflection", {"text": "x"}).status_code == 403


def test_a_user_without_a_member_record_is_refused_with_422(api, chair_a, session_a, clock):
    r = api(chair_a).put(f"/study-sessions/{session_a.pk}/reflection", {"text": "心得"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "not_a_member"
