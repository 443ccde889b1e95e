import datetime

import pytest

from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, UnionGroupFactory, make_id_number
from jiaogong.members.models import Member, MemberStatusChange

from .conftest import new_member_body


@pytest.fixture
def zhang(member_a):
    """张三, member_a's own member record, with a known ID number and phone."""
    m = member_a.member
    m.id_number = make_id_number(m.birth_date, "M", seq=5, region="450300")  # factories use 110101
    m.phone = "13812345678"
    m.save()
    return m


@pytest.fixture
def b_member(school_b):
    return MemberFactory(org=school_b, name="赵六")


def masked(id_number: str) -> str:
    return id_number[:6] + "************"  # the region only (members/privacy.py)


# ---- POST /orgs/{org}/members -------------------------------------------------------------------


def test_chair_registers_a_member(api, chair_a, school_a, group_a):
    body = new_member_body(union_group=group_a.pk, is_cadre=True, post="教务主任", joined_on="2012-10-01")
    response = api(chair_a).post(f"/orgs/{school_a.pk}/members", body)
    assert response.status_code == 201
    out = response.json()
    member = Member.objects.get(pk=out["id"])
    assert member.org == school_a
    assert out == {
        "id": member.pk,
        "name": "李老师",
        "gender": "F",
        "birth_date": "1990-03-15",
        "birth_year": 1990,
        "hire_date": "2012-09-01",
        "id_number": body["id_number"],  # the chair may see it
        "phone": "13912345678",
        "is_teacher": True,
        "is_cadre": True,
        "post": "教务主任",
        "union_group": group_a.pk,
        "union_group_name": "语文组",
        "joined_on": "2012-10-01",
        "status": "active",
        "status_since": "2012-10-01",
        "transferred_to": "",
        "name_pinyin": "lilaoshi",
        "name_initials": "lls",
    }
    assert AuditEvent.objects.filter(action="members.member.create", object_id=str(member.pk)).exists()


def test_an_applicant_can_be_registered(api, chair_a, school_a):
    response = api(chair_a).post(f"/orgs/{school_a.pk}/members", new_member_body(status="applicant"))
    assert response.status_code == 201
    assert response.json()["status"] == "applicant"


def test_outsider_cannot_register_members_in_another_school(api, outsider_b, school_a):
    response = api(outsider_b).post(f"/orgs/{school_a.pk}/members", new_member_body())
    assert response.status_code == 404
    assert school_a.members.count() == 0


def test_member_cannot_register_members(api, member_a, school_a):
    before = school_a.members.count()
    response = api(member_a).post(f"/orgs/{school_a.pk}/members", new_member_body())
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "您的角色无权进行此操作。",
        "fields": {},
    }
    assert school_a.members.count() == before


def test_officer_cannot_register_members(api, officer, school_a):
    assert api(officer).post(f"/orgs/{school_a.pk}/members", new_member_body()).status_code == 403
    assert school_a.members.count() == 0


def test_schema_errors_are_reported_per_field_in_chinese(api, chair_a, school_a):
    client = api(chair_a)
    before = (Member.objects.count(), AuditEvent.objects.count())
    body = new_member_body(gender="X", birth_date="15/03/1990")
    del body["name"]
    response = client.post(f"/orgs/{school_a.pk}/members", body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "提交的内容有误，请检查后重试。"
    assert error["fields"] == {
        "name": "必填。",
        "gender": "格式不正确，应为以下之一：M、F。",
        "birth_date": "格式不正确，日期应写成 YYYY-MM-DD。",
    }
    assert (Member.objects.count(), AuditEvent.objects.count()) == before


def test_rule_errors_from_the_service_are_reported_per_field(api, chair_a, school_a):
    client = api(chair_a)
    before = (Member.objects.count(), AuditEvent.objects.count(), MemberStatusChange.objects.count())
    body = new_member_body(id_number="110101199003150000", phone="12345")
    response = client.post(f"/orgs/{school_a.pk}/members", body)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"id_number", "phone"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in msg) for msg in fields.values())
    assert (Member.objects.count(), AuditEvent.objects.count(), MemberStatusChange.objects.count()) == before


def test_a_duplicate_id_number_is_refused(api, chair_a, school_a):
    body = new_member_body()
    assert api(chair_a).post(f"/orgs/{school_a.pk}/members", body).status_code == 201
    response = api(chair_a).post(f"/orgs/{school_a.pk}/members", body | {"name": "李老师二"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"id_number": "本单位已有相同身份证号的会员。"}
    assert school_a.members.count() == 1


def test_a_group_of_another_school_is_a_field_error(api, chair_a, school_a, school_b):
    other_group = UnionGroupFactory(org=school_b, name="数学组")
    response = api(chair_a).post(f"/orgs/{school_a.pk}/members", new_member_body(union_group=other_group.pk))
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"union_group": "没有找到该工会小组。"}
    assert school_a.members.count() == 0


def test_a_federation_has_no_members(api, federation):
    from jiaogong.factories import UserFactory, grant

    federation_chair = grant(UserFactory(username="fed_chair"), federation, "chair")
    response = api(federation_chair).post(f"/orgs/{federation.pk}/members", new_member_body())
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not_a_school"
    assert not Member.objects.exists()


# ---- GET /orgs/{org}/members --------------------------------------------------------------------


def test_chair_lists_the_members_with_numbers_masked(api, chair_a, school_a, zhang):
    MemberFactory(org=school_a, name="李四")
    client = api(chair_a)
    before = AuditEvent.objects.count()
    response = client.get(f"/orgs/{school_a.pk}/members")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [m["name"] for m in body["items"]] == ["李四", "张三"]  # by pinyin
    row = body["items"][1]
    assert row["id_number"] == masked(zhang.id_number)
    assert row["phone"] == "138****5678"
    assert AuditEvent.objects.count() == before  # nothing revealed, nothing logged


def test_officer_lists_a_school_of_the_federation(api, officer, school_a, zhang):
    response = api(officer).get(f"/orgs/{school_a.pk}/members")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_outsider_cannot_list_another_schools_members(api, outsider_b, school_a, zhang):
    response = api(outsider_b).get(f"/orgs/{school_a.pk}/members")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_department_may_not_list_members(api, school_a):
    from jiaogong.factories import UserFactory, grant

    office = grant(UserFactory(username="office"), school_a, "department")
    assert api(office).get(f"/orgs/{school_a.pk}/members").status_code == 403


@pytest.mark.parametrize("q", ["zs", "zhang", "张", "ZhangSan"])
def test_search_finds_a_name_by_pinyin_initials_or_characters(api, chair_a, school_a, zhang, q):
    MemberFactory(org=school_a, name="李四")
    body = api(chair_a).get(f"/orgs/{school_a.pk}/members", {"q": q}).json()
    assert [m["name"] for m in body["items"]] == ["张三"]
    assert body["count"] == 1


def test_filters_by_status_group_and_list(api, chair_a, school_a, group_a, zhang):
    MemberFactory(org=school_a, name="李四", status="retired")
    MemberFactory(org=school_a, name="黄丽", gender="F")
    client = api(chair_a)
    url = f"/orgs/{school_a.pk}/members"
    assert [m["name"] for m in client.get(url, {"status": "retired"}).json()["items"]] == ["李四"]
    assert [m["name"] for m in client.get(url, {"group": group_a.pk}).json()["items"]] == ["张三"]
    assert [m["name"] for m in client.get(url, {"list": "retirees"}).json()["items"]] == ["李四"]
    assert [m["name"] for m in client.get(url, {"list": "women"}).json()["items"]] == ["黄丽"]


def test_a_group_id_beyond_any_integer_finds_nobody(api, chair_a, school_a, zhang):
    """Found by schemathesis: a group id past SQLite's 64-bit integers was an OverflowError (500)."""
    client = api(chair_a)
    for path in ("members", "members/export"):
        response = client.get(f"/orgs/{school_a.pk}/{path}", {"group": "9" * 30})
        assert response.status_code == 200, path
    assert client.get(f"/orgs/{school_a.pk}/members", {"group": "9" * 30}).json()["count"] == 0


def test_unknown_filter_values_are_a_400(api, chair_a, school_a):
    response = api(chair_a).get(f"/orgs/{school_a.pk}/members", {"status": "sleeping", "list": "vips"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status", "list"}


def test_the_list_pages_with_limit_and_offset(api, chair_a, school_a):
    for name in ["甲一", "乙二", "丙三", "丁四", "戊五"]:
        MemberFactory(org=school_a, name=name)
    client = api(chair_a)
    url = f"/orgs/{school_a.pk}/members"
    everyone = [m["id"] for m in client.get(url).json()["items"]]
    page = client.get(url, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 5
    assert [m["id"] for m in page["items"]] == everyone[2:4]


def test_the_limit_is_at_most_500(api, chair_a, school_a):
    response = api(chair_a).get(f"/orgs/{school_a.pk}/members", {"limit": 501})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"limit": "数值过大（最大 500）。"}


# ---- GET /orgs/{org}/members/{id} ---------------------------------------------------------------


def test_chair_reads_numbers_in_clear_and_the_read_is_logged(api, chair_a, school_a, zhang):
    response = api(chair_a).get(f"/orgs/{school_a.pk}/members/{zhang.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id_number"] == zhang.id_number
    assert body["phone"] == "13812345678"
    assert body["name_initials"] == "zs"
    event = AuditEvent.objects.get(action="members.member.reveal", object_id=str(zhang.pk))
    assert event.actor == chair_a
    assert event.changes["via"] == [None, "api"]


@pytest.mark.parametrize("who", ["member_a", "officer"])
def test_other_roles_read_numbers_masked(api, request, school_a, zhang, who):
    user = request.getfixturevalue(who)
    response = api(user).get(f"/orgs/{school_a.pk}/members/{zhang.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id_number"] == masked(zhang.id_number)
    assert body["phone"] == "138****5678"
    # Beside a masked ID, the birth year only: the full date is the ID's hidden middle.
    assert body["birth_date"] is None and body["birth_year"] == zhang.birth_date.year
    assert not AuditEvent.objects.filter(action="members.member.reveal").exists()


def test_outsider_cannot_read_a_member_of_another_school(api, outsider_b, school_a, zhang):
    response = api(outsider_b).get(f"/orgs/{school_a.pk}/members/{zhang.pk}")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="members.member.reveal").exists()


def test_a_member_of_school_b_is_not_found_under_school_a(api, chair_a, school_a, b_member):
    response = api(chair_a).get(f"/orgs/{school_a.pk}/members/{b_member.pk}")
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "没有找到该会员。", "fields": {}}


def test_an_unknown_org_is_a_404(api, chair_a):
    assert api(chair_a).get("/orgs/999999/members").status_code == 404


# ---- PATCH /orgs/{org}/members/{id} -------------------------------------------------------------


def test_chair_updates_only_the_fields_sent(api, chair_a, school_a, zhang):
    response = api(chair_a).patch(
        f"/orgs/{school_a.pk}/members/{zhang.pk}",
        {"post": "班主任", "phone": "13900001111", "union_group": None},
    )
    assert response.status_code == 200
    zhang.refresh_from_db()
    assert (zhang.post, zhang.phone, zhang.union_group, zhang.name) == ("班主任", "13900001111", None, "张三")
    assert response.json()["union_group_name"] is None
    assert AuditEvent.objects.filter(action="members.member.update", object_id=str(zhang.pk)).exists()


def test_a_bad_update_changes_nothing(api, chair_a, school_a, zhang):
    response = api(chair_a).patch(f"/orgs/{school_a.pk}/members/{zhang.pk}", {"post": "班主任", "name": None})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"name": "不能为空。"}
    response = api(chair_a).patch(f"/orgs/{school_a.pk}/members/{zhang.pk}", {"post": "班主任", "phone": "1"})
    assert response.status_code == 400
    zhang.refresh_from_db()
    assert zhang.post == ""
    assert not AuditEvent.objects.filter(action="members.member.update").exists()


def test_member_cannot_update_members(api, member_a, school_a, zhang):
    response = api(member_a).patch(f"/orgs/{school_a.pk}/members/{zhang.pk}", {"post": "校长"})
    assert response.status_code == 403
    zhang.refresh_from_db()
    assert zhang.post == ""


def test_outsider_cannot_update_a_member_of_another_school(
    api, outsider_b, school_a, school_b, zhang, b_member
):
    assert api(outsider_b).patch(f"/orgs/{school_a.pk}/members/{zhang.pk}", {"post": "x"}).status_code == 404
    # nor reach school B's member through school A, nor school A's through school B
    assert api(outsider_b).patch(f"/orgs/{school_b.pk}/members/{zhang.pk}", {"post": "x"}).status_code == 404
    zhang.refresh_from_db()
    assert zhang.post == ""


# ---- POST /orgs/{org}/members/{id}/status -------------------------------------------------------


def test_chair_records_a_retirement(api, chair_a, school_a, zhang):
    response = api(chair_a).post(
        f"/orgs/{school_a.pk}/members/{zhang.pk}/status", {"status": "retired", "effective_on": "2026-06-30"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "retired"
    assert response.json()["status_since"] == "2026-06-30"
    assert MemberStatusChange.objects.filter(member=zhang, to_status="retired").exists()


def test_a_transfer_needs_a_destination(api, chair_a, school_a, zhang):
    url = f"/orgs/{school_a.pk}/members/{zhang.pk}/status"
    response = api(chair_a).post(url, {"status": "transferred", "effective_on": "2026-06-30"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"destination": "调出请填写调往单位。"}
    zhang.refresh_from_db()
    assert zhang.status == "active"
    response = api(chair_a).post(
        url, {"status": "transferred", "effective_on": "2026-06-30", "destination": "县一中"}
    )
    assert response.json()["transferred_to"] == "县一中"


def test_an_unchanged_status_is_reported_on_the_status_field(api, chair_a, school_a, zhang):
    response = api(chair_a).post(
        f"/orgs/{school_a.pk}/members/{zhang.pk}/status", {"status": "active", "effective_on": "2026-06-30"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"status": "状态没有变化。"}


def test_member_cannot_change_a_status(api, member_a, school_a, zhang):
    response = api(member_a).post(
        f"/orgs/{school_a.pk}/members/{zhang.pk}/status", {"status": "retired", "effective_on": "2026-06-30"}
    )
    assert response.status_code == 403
    assert not MemberStatusChange.objects.filter(to_status="retired").exists()


def test_outsider_cannot_change_a_status_in_another_school(api, outsider_b, school_a, zhang):
    response = api(outsider_b).post(
        f"/orgs/{school_a.pk}/members/{zhang.pk}/status", {"status": "deceased", "effective_on": "2026-06-30"}
    )
    assert response.status_code == 404
    zhang.refresh_from_db()
    assert zhang.status == "active"


def test_a_status_change_cannot_reach_another_schools_member(api, chair_a, school_a, b_member):
    response = api(chair_a).post(
        f"/orgs/{school_a.pk}/members/{b_member.pk}/status",
        {"status": "retired", "effective_on": "2026-06-30"},
    )
    assert response.status_code == 404
    b_member.refresh_from_db()
    assert b_member.status == "active"


def test_dates_in_answers_are_iso(api, chair_a, school_a, zhang):
    body = api(chair_a).get(f"/orgs/{school_a.pk}/members/{zhang.pk}").json()
    assert datetime.date.fromisoformat(body["birth_date"]) == zhang.birth_date
