"""The member pages: who may open them, the roster list, a member's record and its forms."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, UnionGroupFactory, make_id_number
from jiaogong.members import rules, services
from jiaogong.members.models import CommitteeSeat, CommitteeTerm, Member, MemberStatusChange


def url(name, org, *args):
    return reverse(f"members:{name}", args=[org.pk, *args])


@pytest.fixture
def member_b(school_b):
    return MemberFactory(org=school_b, name="赵六")


@pytest.fixture
def group_b(school_b):
    return UnionGroupFactory(org=school_b, name="数学组")


@pytest.fixture
def seat_b(school_b, member_b):
    term = CommitteeTerm.objects.create(
        org=school_b, body="union", number=1, elected_on=datetime.date(2024, 9, 1), years=5
    )
    return CommitteeSeat.objects.create(
        org=school_b, term=term, member=member_b, position="member", since=datetime.date(2024, 9, 1)
    )


@pytest.fixture
def zhang(member_a):
    """The Member record of member_a: 张三, in 语文组."""
    return member_a.member


# ---- who may open what --------------------------------------------------------------------------

# (url name, needs a member id, needs a group id)
PAGES = [
    ("list", None),
    ("create", None),
    ("import", None),
    ("import_template", None),
    ("export", None),
    ("groups", None),
    ("committee", None),
    ("detail", "member"),
    ("edit", "member"),
    ("status", "member"),
    ("approve", "member"),
    ("group", "group"),
]


def page_url(name, kind, org, member, group):
    args = [member.pk] if kind == "member" else [group.pk] if kind == "group" else []
    return url(name, org, *args)


@pytest.mark.parametrize("name,kind", PAGES)
def test_anonymous_visitor_is_sent_to_login(client, school_a, zhang, group_a, name, kind):
    response = client.get(page_url(name, kind, school_a, zhang, group_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_anonymous_post_to_end_a_seat_is_sent_to_login(client, school_a, seat_b):
    response = client.post(url("seat_end", school_a, seat_b.pk), {"until": "2025-01-01"})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name,kind", PAGES)
def test_outsider_gets_404_on_another_schools_pages(login, outsider_b, school_a, zhang, group_a, name, kind):
    assert login(outsider_b).get(page_url(name, kind, school_a, zhang, group_a)).status_code == 404


def test_outsider_cannot_create_a_member_in_another_school(login, outsider_b, school_a):
    response = login(outsider_b).post(url("create", school_a), {"name": "王二", "gender": "M"})
    assert response.status_code == 404
    assert not Member.objects.filter(name="王二").exists()


@pytest.mark.parametrize("name", ["detail", "edit", "status", "approve"])
def test_another_schools_member_is_404_under_this_school(login, chair_a, school_a, member_b, name):
    assert login(chair_a).get(url(name, school_a, member_b.pk)).status_code == 404


def test_another_schools_group_is_404_under_this_school(login, chair_a, school_a, group_b):
    client = login(chair_a)
    assert client.get(url("group", school_a, group_b.pk)).status_code == 404
    assert client.post(url("group", school_a, group_b.pk), {"action": "delete"}).status_code == 404
    assert group_b.__class__.objects.filter(pk=group_b.pk).exists()


def test_another_schools_seat_is_404_under_this_school(login, chair_a, school_a, seat_b):
    response = login(chair_a).post(url("seat_end", school_a, seat_b.pk), {"until": "2025-01-01"})
    assert response.status_code == 404
    seat_b.refresh_from_db()
    assert seat_b.until is None


WRITES = [
    ("create", None, {"name": "王二", "gender": "M", "birth_date": "1990-01-01"}),
    ("edit", "member", {"name": "张三丰", "gender": "M", "birth_date": "1985-05-20"}),
    ("status", "member", {"to_status": "retired", "effective_on": "2025-01-01"}),
    ("approve", "member", {"action": "approve", "approved_on": "2025-01-01"}),
    ("groups", None, {"name": "新组", "kind": "subject"}),
    ("group", "group", {"action": "edit", "name": "改名组", "kind": "subject"}),
    (
        "committee",
        None,
        {"action": "term", "body": "union", "number": "1", "elected_on": "2025-01-01", "years": "5"},
    ),
]


@pytest.mark.parametrize("name,kind,data", WRITES)
def test_plain_member_may_not_write(login, member_a, school_a, group_a, name, kind, data):
    before = AuditEvent.objects.count()
    response = login(member_a).post(page_url(name, kind, school_a, member_a.member, group_a), data)
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "name,kind", [("create", None), ("edit", "member"), ("status", "member"), ("approve", "member")]
)
def test_plain_member_may_not_open_the_forms(login, member_a, school_a, group_a, name, kind):
    assert login(member_a).get(page_url(name, kind, school_a, member_a.member, group_a)).status_code == 403


def test_plain_member_may_read_the_roster_pages(login, member_a, school_a, group_a):
    client = login(member_a)
    for name, kind in [
        ("list", None),
        ("groups", None),
        ("committee", None),
        ("detail", "member"),
        ("group", "group"),
    ]:
        assert client.get(page_url(name, kind, school_a, member_a.member, group_a)).status_code == 200


def test_school_department_may_not_read_the_roster(login, school_a):
    from jiaogong.factories import UserFactory, grant

    department = grant(UserFactory(username="office"), school_a, "department")
    assert login(department).get(url("list", school_a)).status_code == 403


# ---- the list -----------------------------------------------------------------------------------


def test_list_shows_members_sorted_by_pinyin_with_the_total(login, chair_a, school_a, group_a):
    for name in ["王五", "李四", "陈静"]:
        MemberFactory(org=school_a, name=name, union_group=group_a)
    response = login(chair_a).get(url("list", school_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("陈静") < html.index("李四") < html.index("王五")
    assert "共 <b>3</b> 人" in html
    for column in ["姓名", "性别", "年龄", "教龄", "工会小组", "状态", "手机"]:
        assert f">{column}</th>" in html
    assert "语文组" in html


def test_search_by_initials_finds_the_member(login, chair_a, school_a, zhang):
    MemberFactory(org=school_a, name="李四")
    html = login(chair_a).get(url("list", school_a), {"q": "zs"}).content.decode()
    assert "张三" in html and "李四" not in html


def test_search_by_full_pinyin_finds_the_member(login, chair_a, school_a, zhang):
    MemberFactory(org=school_a, name="李四")
    html = login(chair_a).get(url("list", school_a), {"q": "lisi"}).content.decode()
    assert "李四" in html and "张三" not in html


def test_search_by_a_chinese_character_finds_the_member(login, chair_a, school_a, zhang):
    MemberFactory(org=school_a, name="李四")
    html = login(chair_a).get(url("list", school_a), {"q": "张"}).content.decode()
    assert "张三" in html and "李四" not in html


def test_htmx_search_returns_only_the_results_partial(login, chair_a, school_a, zhang):
    response = login(chair_a).get(url("list", school_a), {"q": "zs"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "mainnav" not in html and 'name="q"' not in html
    assert "张三" in html and "<table" in html
    # The list chips follow the search (out-of-band swap), so a chip keeps the typed query.
    assert 'hx-swap-oob="true"' in html and "?q=zs&amp;list=women" in html
    assert "HX-Request" in response["Vary"]
    assert response["HX-Push-Url"] == url("list", school_a) + "?q=zs"  # no empty filters in the address


def test_the_full_page_works_without_javascript(login, chair_a, school_a, zhang):
    html = login(chair_a).get(url("list", school_a), {"q": "zs"}).content.decode()
    assert "<html" in html and 'method="get"' in html and 'value="zs"' in html and "张三" in html


def test_filters_by_status_group_gender_and_teacher(login, chair_a, school_a, group_a):
    other = UnionGroupFactory(org=school_a, name="数学组")
    MemberFactory(org=school_a, name="张三", union_group=group_a, gender="M", is_teacher=True)
    MemberFactory(org=school_a, name="李丽", union_group=other, gender="F", is_teacher=False)
    MemberFactory(org=school_a, name="王五", union_group=group_a, status="retired")
    client = login(chair_a)

    def names(**params):
        html = client.get(url("list", school_a), params).content.decode()
        return {n for n in ("张三", "李丽", "王五") if f">{n}</a>" in html}

    assert names(status="retired") == {"王五"}
    assert names(group=other.pk) == {"李丽"}
    assert names(gender="F") == {"李丽"}
    assert names(teacher="0") == {"李丽"}
    assert names(teacher="1", group=group_a.pk, status="active") == {"张三"}
    assert names(status="nonsense") == {"张三", "李丽", "王五"}  # an invalid filter is ignored


def _derived_list_cast(org, key, today):
    """(member in the list, member not in it) for each derived list, with dates relative to today."""
    add_years, add_months = rules.add_years, rules.add_months
    other_month = add_months(today, 3)
    cast = {
        "women": ({"gender": "F"}, {"gender": "M"}),
        "youth": ({"birth_date": add_years(today, -30)}, {"birth_date": add_years(today, -40)}),
        "retirees": ({"status": "retired"}, {"status": "active"}),
        "long_service": (
            {"birth_date": add_years(today, -55), "hire_date": add_years(today, -31)},
            {"birth_date": add_years(today, -55), "hire_date": add_years(today, -5)},
        ),
        "birthdays": (
            {"birth_date": add_years(today, -40)},
            {"birth_date": add_years(other_month, -40).replace(day=1)},
        ),
        "retiring": (
            {"gender": "M", "birth_date": add_years(add_months(today, 6), -60)},
            {"gender": "M", "birth_date": add_years(today, -45)},
        ),
        "applicants": ({"status": "applicant"}, {"status": "active"}),
    }
    inside, outside = cast[key]
    defaults = {"birth_date": add_years(other_month, -45).replace(day=1), "hire_date": add_years(today, -10)}
    return (
        MemberFactory(org=org, name="甲在内", **{**defaults, **inside}),
        MemberFactory(org=org, name="乙在外", **{**defaults, **outside}),
    )


@pytest.mark.parametrize(
    "key", ["women", "youth", "retirees", "long_service", "birthdays", "retiring", "applicants"]
)
def test_each_derived_list_returns_its_members(login, chair_a, school_a, key):
    today = timezone.localdate()
    _derived_list_cast(school_a, key, today)
    html = login(chair_a).get(url("list", school_a), {"list": key}).content.decode()
    assert ">甲在内</a>" in html
    assert ">乙在外</a>" not in html


def test_derived_lists_are_shown_as_chips_with_their_chinese_names(login, chair_a, school_a):
    html = login(chair_a).get(url("list", school_a), {"list": "retiring"}).content.decode()
    for label in ["女教职工", "青年教职工", "退休会员", "长教龄", "本月生日", "即将退休", "入会申请"]:
        assert label in html
    assert 'href="?list=retiring" aria-current="page">即将退休</a>' in html


def test_list_masks_phones_even_for_the_chair(login, chair_a, school_a):
    MemberFactory(org=school_a, name="张三", phone="13912345678")
    html = login(chair_a).get(url("list", school_a)).content.decode()
    assert "139****5678" in html and "13912345678" not in html


def test_list_is_paginated_by_fifty(login, chair_a, school_a):
    MemberFactory.create_batch(55, org=school_a)
    client = login(chair_a)
    html = client.get(url("list", school_a)).content.decode()
    assert "共 <b>55</b> 人，第 1 / 2 页" in html and "page=2" in html
    assert html.count('class="tag tag-active"') == 50
    second = client.get(url("list", school_a), {"page": 2}).content.decode()
    assert second.count('class="tag tag-active"') == 5


def test_list_runs_a_fixed_number_of_queries(login, chair_a, school_a):
    groups = [UnionGroupFactory(org=school_a) for _ in range(5)]
    for i in range(10):
        MemberFactory(org=school_a, union_group=groups[i % 5])
    client = login(chair_a)
    client.get(url("list", school_a))  # warm the session and role caches
    with CaptureQueriesContext(connection) as few:
        client.get(url("list", school_a))
    for i in range(120):
        MemberFactory(org=school_a, union_group=groups[i % 5])
    with CaptureQueriesContext(connection) as many:
        client.get(url("list", school_a))
    assert len(many) == len(few)


def test_role_buttons_on_the_list(login, chair_a, member_a, school_a):
    html = login(chair_a).get(url("list", school_a)).content.decode()
    assert "新增会员" in html and "导入名册" in html and "导出名册" in html
    html = login(member_a).get(url("list", school_a)).content.decode()
    assert "新增会员" not in html and "导入名册" not in html and "导出名册" not in html


def test_export_link_keeps_the_current_filters(login, chair_a, school_a):
    html = login(chair_a).get(url("list", school_a), {"q": "zs", "status": "active"}).content.decode()
    assert url("export", school_a) + "?q=zs&amp;status=active" in html


# ---- a member's record --------------------------------------------------------------------------


def test_member_sees_masked_numbers_and_no_read_is_logged(login, member_a, school_a, zhang):
    html = login(member_a).get(url("detail", school_a, zhang.pk)).content.decode()
    assert zhang.masked_id_number in html and zhang.masked_phone in html
    assert zhang.id_number not in html and zhang.phone not in html
    assert not AuditEvent.objects.filter(action="members.member.reveal").exists()


def test_chair_sees_numbers_in_clear_and_the_read_is_logged(login, chair_a, school_a, zhang):
    response = login(chair_a).get(url("detail", school_a, zhang.pk))
    html = response.content.decode()
    assert zhang.id_number in html and zhang.phone in html
    event = AuditEvent.objects.get(action="members.member.reveal")
    assert (event.actor, event.org, event.object_id) == (chair_a, school_a, str(zhang.pk))
    assert "本次查看已记入操作记录" in html


def test_detail_shows_the_facts(login, chair_a, school_a, group_a):
    member = MemberFactory(
        org=school_a,
        name="李丽",
        gender="F",
        union_group=group_a,
        post="语文教师",
        birth_date=datetime.date(1988, 4, 12),
        hire_date=datetime.date(2010, 9, 1),
    )
    html = login(chair_a).get(url("detail", school_a, member.pk)).content.decode()
    today = timezone.localdate()
    for text in [
        "1988-04-12",
        f"{member.age(today)} 岁",
        f"{member.service_years(today)} 年",
        "语文教师",
        "语文组",
        "在册",
    ]:
        assert text in html


def test_detail_shows_status_history_and_the_changes_with_numbers_masked(login, chair_a, school_a, zhang):
    old_phone = zhang.phone
    services.update_member(actor=chair_a, member=zhang, data={"phone": "13900001111", "post": "教研组长"})
    services.change_status(
        actor=chair_a, member=zhang, to_status="transferred", effective_on="2025-08-31", destination="县一中"
    )
    html = login(chair_a).get(url("detail", school_a, zhang.pk)).content.decode()
    assert "在册 → 调出" in html and "调往 县一中" in html and "2025-08-31" in html
    assert "修改信息" in html and "教研组长" in html
    assert rules.mask_phone(old_phone) in html and old_phone not in html
    assert "<del>" + rules.mask_phone(old_phone) + "</del> → 139****1111" in html


def test_detail_history_is_for_managers_only(login, member_a, school_a, zhang):
    html = login(member_a).get(url("detail", school_a, zhang.pk)).content.decode()
    assert "状态记录" in html and "修改记录" not in html


def test_detail_actions_by_role(login, chair_a, member_a, school_a, zhang):
    applicant = MemberFactory(org=school_a, name="钱七", status="applicant")
    html = login(chair_a).get(url("detail", school_a, zhang.pk)).content.decode()
    assert "编辑" in html and "变更状态" in html and "批准入会" not in html
    html = login(chair_a).get(url("detail", school_a, applicant.pk)).content.decode()
    assert "批准入会" in html and "不予批准" in html
    html = login(member_a).get(url("detail", school_a, zhang.pk)).content.decode()
    assert url("edit", school_a, zhang.pk) not in html and "变更状态" not in html


# ---- create and edit ----------------------------------------------------------------------------


def form_data(**overrides):
    birth = datetime.date(1988, 4, 12)
    data = {
        "name": "李丽",
        "gender": "F",
        "birth_date": "1988-04-12",
        "id_number": make_id_number(birth, "F", 7),
        "phone": "13900001111",
        "hire_date": "2010-09-01",
        "is_teacher": "on",
        "post": "语文教师",
        "union_group": "",
        "joined_on": "2010-10-01",
        "status": "active",
    }
    data.update(overrides)
    return data


def test_chair_creates_a_member(login, chair_a, school_a, group_a):
    response = login(chair_a).post(url("create", school_a), form_data(union_group=group_a.pk))
    member = Member.objects.get(name="李丽")
    assert response.status_code == 302 and response["Location"] == url("detail", school_a, member.pk)
    assert (member.org, member.union_group, member.gender, member.is_teacher) == (
        school_a,
        group_a,
        "F",
        True,
    )
    assert AuditEvent.objects.filter(action="members.member.create", object_id=str(member.pk)).exists()


def test_create_with_a_bad_id_checksum_shows_the_chinese_error_and_writes_nothing(login, chair_a, school_a):
    good = make_id_number(datetime.date(1988, 4, 12), "F", 7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = login(chair_a).post(url("create", school_a), form_data(id_number=bad))
    html = response.content.decode()
    assert response.status_code == 200
    assert "身份证号校验位不正确，请核对。" in html
    assert not Member.objects.exists() and not AuditEvent.objects.exists()
    assert 'value="李丽"' in html  # what was typed is kept


def test_create_reports_every_missing_field_in_chinese(login, chair_a, school_a):
    html = login(chair_a).post(url("create", school_a), {"name": "", "gender": ""}).content.decode()
    assert "请填写姓名。" in html and "性别请填写“男”或“女”。" in html and "必填。" in html
    assert not Member.objects.exists()


def test_create_form_offers_the_org_groups(login, chair_a, school_a, group_a, group_b):
    html = login(chair_a).get(url("create", school_a)).content.decode()
    assert "语文组" in html and "数学组" not in html


def test_chair_edits_a_member(login, chair_a, school_a, zhang):
    other = UnionGroupFactory(org=school_a, name="数学组")
    data = form_data(
        name="张三",
        gender="M",
        birth_date="1985-05-20",
        id_number=zhang.id_number,
        phone=zhang.phone,
        union_group=other.pk,
        post="数学教师",
    )
    response = login(chair_a).post(url("edit", school_a, zhang.pk), data)
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert (zhang.union_group, zhang.post, zhang.status) == (other, "数学教师", "active")
    event = AuditEvent.objects.get(action="members.member.update")
    assert event.changes["post"] == ["", "数学教师"]


def test_edit_form_shows_numbers_in_clear_to_the_chair_and_logs_it(login, chair_a, school_a, zhang):
    html = login(chair_a).get(url("edit", school_a, zhang.pk)).content.decode()
    assert f'value="{zhang.id_number}"' in html
    event = AuditEvent.objects.get(action="members.member.reveal")
    assert event.changes["via"] == [None, "web-edit"]


def test_edit_with_a_bad_phone_changes_nothing(login, chair_a, school_a, zhang):
    data = form_data(
        name="张三", gender="M", birth_date="1985-05-20", id_number=zhang.id_number, phone="12345"
    )
    html = login(chair_a).post(url("edit", school_a, zhang.pk), data).content.decode()
    assert "手机号应为11位数字，以1开头。" in html
    zhang.refresh_from_db()
    assert zhang.post == "" and not AuditEvent.objects.filter(action="members.member.update").exists()


# ---- status and joining -------------------------------------------------------------------------


def test_status_choices_follow_the_allowed_transitions(login, chair_a, school_a, zhang):
    html = login(chair_a).get(url("status", school_a, zhang.pk)).content.decode()
    for allowed in ("退休", "调出", "去世", "非会员职工"):
        assert f">{allowed}</option>" in html
    assert ">申请入会</option>" not in html and ">在册</option>" not in html


def test_transfer_without_destination_is_refused(login, chair_a, school_a, zhang):
    response = login(chair_a).post(
        url("status", school_a, zhang.pk), {"to_status": "transferred", "effective_on": "2025-08-31"}
    )
    assert response.status_code == 200
    assert "调出请填写调往单位。" in response.content.decode()
    zhang.refresh_from_db()
    assert zhang.status == "active"
    assert not MemberStatusChange.objects.filter(member=zhang, to_status="transferred").exists()


def test_transfer_with_destination_is_recorded(login, chair_a, school_a, zhang):
    response = login(chair_a).post(
        url("status", school_a, zhang.pk),
        {
            "to_status": "transferred",
            "effective_on": "2025-08-31",
            "destination": "县一中",
            "note": "工作调动",
        },
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert (zhang.status, zhang.transferred_to, zhang.status_since) == (
        "transferred",
        "县一中",
        datetime.date(2025, 8, 31),
    )


def test_a_forbidden_transition_is_refused(login, chair_a, school_a):
    retired = MemberFactory(org=school_a, name="周敏", status="retired")
    response = login(chair_a).post(
        url("status", school_a, retired.pk),
        {"to_status": "transferred", "effective_on": "2025-01-01", "destination": "县一中"},
    )
    assert "不能改为该状态。" in response.content.decode()
    retired.refresh_from_db()
    assert retired.status == "retired"


def test_a_deceased_member_has_no_status_form(login, chair_a, school_a):
    gone = MemberFactory(org=school_a, name="周敏", status="deceased")
    client = login(chair_a)
    assert "不能再变更状态" in client.get(url("status", school_a, gone.pk)).content.decode()
    client.post(url("status", school_a, gone.pk), {"to_status": "active", "effective_on": "2025-01-01"})
    gone.refresh_from_db()
    assert gone.status == "deceased"


def test_chair_approves_an_application(login, chair_a, school_a):
    applicant = MemberFactory(org=school_a, name="钱七", status="applicant", joined_on=None)
    response = login(chair_a).post(
        url("approve", school_a, applicant.pk),
        {"action": "approve", "approved_on": "2025-03-10", "meeting": "第3次委员会会议"},
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.status, applicant.joined_on) == ("active", datetime.date(2025, 3, 10))
    change = applicant.status_changes.get(to_status="active")
    assert "第3次委员会会议" in change.note


def test_rejecting_an_application_needs_a_reason(login, chair_a, school_a):
    applicant = MemberFactory(org=school_a, name="钱七", status="applicant")
    client = login(chair_a)
    html = client.post(
        url("approve", school_a, applicant.pk), {"action": "reject", "decided_on": "2025-03-10", "reason": ""}
    ).content.decode()
    assert "请填写不予批准的理由。" in html
    applicant.refresh_from_db()
    assert applicant.status == "applicant"
    client.post(
        url("approve", school_a, applicant.pk),
        {"action": "reject", "decided_on": "2025-03-10", "reason": "非本校在编职工"},
    )
    applicant.refresh_from_db()
    assert applicant.status == "non_member"


def test_approving_someone_who_is_not_an_applicant_is_refused(login, chair_a, school_a, zhang):
    client = login(chair_a)
    assert "不是入会申请人" in client.get(url("approve", school_a, zhang.pk)).content.decode()
    html = client.post(
        url("approve", school_a, zhang.pk), {"action": "approve", "approved_on": "2025-03-10"}
    ).content.decode()
    assert "不是入会申请人" in html
    assert not AuditEvent.objects.filter(action="members.application.approve").exists()
