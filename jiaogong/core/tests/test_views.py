"""The core pages: home, school dashboard, federation roll-up, rule parameters, audit log."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.models import AuditEvent, RuleValue
from jiaogong.factories import MemberFactory, OrgFactory, UserFactory, grant
from jiaogong.members import rules as member_rules
from jiaogong.members.models import Member


def url(name, org):
    return reverse(f"core:{name}", args=[org.pk])


# ---- who may open what ----------------------------------------------------------------------

PAGES = ["dashboard", "rules", "audit"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_login(client, school_a, page):
    response = client.get(url(page, school_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_anonymous_visitor_of_home_is_sent_to_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", PAGES)
def test_outsider_gets_404_on_another_schools_pages(login, outsider_b, school_a, page):
    assert login(outsider_b).get(url(page, school_a)).status_code == 404


def test_outsider_gets_404_when_posting_to_another_schools_rules(login, outsider_b, school_a):
    response = login(outsider_b).post(
        url("rules", school_a), {"key": "caps.birthday", "value": "100", "source": "x"}
    )
    assert response.status_code == 404
    assert not RuleValue.objects.filter(scope="org").exists()


def test_unknown_org_is_404(login, chair_a):
    assert login(chair_a).get(reverse("core:dashboard", args=[999999])).status_code == 404


def test_plain_member_cannot_open_the_audit_log(login, member_a, school_a):
    assert login(member_a).get(url("audit", school_a)).status_code == 403


def test_plain_member_cannot_override_a_rule(login, member_a, school_a):
    response = login(member_a).post(
        url("rules", school_a), {"key": "caps.birthday", "value": "100", "source": "会议决定"}
    )
    assert response.status_code == 403
    assert not RuleValue.objects.filter(scope="org").exists()


def test_plain_member_cannot_reset_a_rule(login, member_a, chair_a, school_a):
    from jiaogong.core import rules

    rules.set_org_value(actor=chair_a, org=school_a, key="caps.birthday", text="100", source="会议决定")
    response = login(member_a).post(url("rules", school_a), {"key": "caps.birthday", "action": "reset"})
    assert response.status_code == 403
    assert RuleValue.objects.filter(scope="org", org=school_a).exists()


# ---- home -----------------------------------------------------------------------------------


def test_home_sends_a_school_chair_to_the_dashboard(login, chair_a, school_a):
    response = login(chair_a).get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == url("dashboard", school_a)


def test_home_sends_a_federation_officer_to_the_schools(login, officer, federation):
    response = login(officer).get(reverse("core:home"))
    assert response["Location"] == url("federation", federation)


def test_home_tells_a_user_without_org_that_none_is_assigned(login, db):
    response = login(UserFactory(username="lonely")).get(reverse("core:home"))
    assert response.status_code == 200
    assert "尚未分配工会组织" in response.text


# ---- dashboard ------------------------------------------------------------------------------


def test_dashboard_counts_the_schools_members(login, chair_a, member_a, school_a):
    today = timezone.localdate()
    MemberFactory(org=school_a, name="李芳", gender="F")
    MemberFactory(org=school_a, name="陈静", gender="F", birth_date=member_rules.add_years(today, -25))
    MemberFactory(
        org=school_a, name="老周", status=Member.Status.RETIRED, birth_date=datetime.date(1950, 3, 1)
    )
    MemberFactory(org=school_a, name="小吴", status=Member.Status.APPLICANT, is_teacher=False)
    response = login(chair_a).get(url("dashboard", school_a))
    assert response.status_code == 200
    counts = {c.label: c.count for c in response.context["cards"]}
    assert counts["在册会员"] == 3  # 张三 (member_a), 李芳, 陈静
    assert counts["教师"] == 3
    assert counts["女教职工"] == 2
    assert counts["青年教职工"] == 1
    assert counts["退休会员"] == 1
    assert counts["入会申请"] == 1
    assert counts["工会小组"] == 1
    members_url = reverse("members:list", args=[school_a.pk])
    assert f'href="{members_url}?list=women"><b>2</b>' in response.text
    assert f'href="{members_url}?list=applicants"><b>1</b>' in response.text


def test_dashboard_lists_birthdays_and_upcoming_retirements(login, chair_a, school_a):
    today = timezone.localdate()
    born = datetime.date(1980, today.month, 1)
    MemberFactory(org=school_a, name="生日星", birth_date=born)
    retiring_birth = member_rules.add_months(member_rules.add_years(today, -60), 2)
    MemberFactory(org=school_a, name="将退休", gender="M", birth_date=retiring_birth)
    response = login(chair_a).get(url("dashboard", school_a))
    assert "生日星" in response.text
    assert f"{today.month}月1日" in response.text
    assert "将退休" in response.text
    retires_on = member_rules.add_years(retiring_birth, 60)
    assert f"{retires_on.year}年{retires_on.month}月{retires_on.day}日" in response.text


def test_dashboard_warns_about_a_missing_womens_committee(login, chair_a, school_a):
    for _ in range(10):
        MemberFactory(org=school_a, gender="F")
    response = login(chair_a).get(url("dashboard", school_a))
    assert "应当建立女职工委员会" in response.text
    assert reverse("members:committee", args=[school_a.pk]) in response.text


def test_dashboard_offers_add_and_import_to_managers_only(login, chair_a, member_a, school_a):
    create = reverse("members:create", args=[school_a.pk])
    assert create in login(chair_a).get(url("dashboard", school_a)).text
    assert create not in login(member_a).get(url("dashboard", school_a)).text


def test_federation_officer_can_open_a_schools_dashboard(login, officer, school_a):
    response = login(officer).get(url("dashboard", school_a))
    assert response.status_code == 200
    assert school_a.name in response.text


def test_dashboard_of_a_federation_redirects_to_its_schools(login, officer, federation):
    response = login(officer).get(url("dashboard", federation))
    assert response.status_code == 302
    assert response["Location"] == url("federation", federation)


# ---- federation -----------------------------------------------------------------------------


def test_federation_page_lists_both_schools_with_counts(login, officer, federation, school_a, school_b):
    MemberFactory(org=school_a, gender="F")
    MemberFactory(org=school_a, gender="M")
    MemberFactory(org=school_a, status=Member.Status.RETIRED)
    MemberFactory(org=school_b, gender="F", status=Member.Status.APPLICANT)
    response = login(officer).get(url("federation", federation))
    assert response.status_code == 200
    rows = {r["school"].name: r for r in response.context["rows"]}
    assert set(rows) == {school_a.name, school_b.name}
    assert (rows[school_a.name]["active"], rows[school_a.name]["women"]) == (2, 1)
    assert rows[school_a.name]["retirees"] == 1
    assert rows[school_b.name]["applicants"] == 1
    assert response.context["totals"] == {"active": 2, "women": 1, "retirees": 1, "applicants": 1}
    assert url("dashboard", school_a) in response.text
    assert "合计" in response.text


def test_federation_page_does_not_query_per_school(login, officer, federation):
    for i in range(30):
        school = OrgFactory(name=f"测试学校{i}", parent=federation)
        MemberFactory(org=school)
    client = login(officer)
    client.get(url("federation", federation))  # warm the session and role caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("federation", federation))
    assert len(response.context["rows"]) == 30
    assert len(queries) < 15


def test_school_chair_cannot_open_the_federation(login, chair_a, federation):
    assert login(chair_a).get(url("federation", federation)).status_code == 404


def test_federation_page_of_a_school_is_404(login, chair_a, school_a):
    assert login(chair_a).get(url("federation", school_a)).status_code == 404


# ---- rules ----------------------------------------------------------------------------------


def test_rules_page_shows_values_grouped_with_where_they_come_from(login, chair_a, school_a):
    response = login(chair_a).get(url("rules", school_a))
    assert response.status_code == 200
    text = response.text
    for group in ("教代会", "会费与经费", "慰问标准（元）"):
        assert f">{group}</h2>" in text
    assert "法定人数（出席/代表总数）" in text
    assert "全国默认" in text
    assert "教育部令第32号《学校教职工代表大会规定》" in text
    assert "?key=caps.birthday" in text


def test_rules_page_names_the_province_a_value_comes_from(login, chair_a, school_a):
    school_a.province = "江苏"
    school_a.save()
    response = login(chair_a).get(url("rules", school_a))
    assert "省级（江苏）" in response.text
    assert "江苏省规定" in response.text


def test_rules_page_is_read_only_for_a_plain_member(login, member_a, school_a):
    response = login(member_a).get(url("rules", school_a))
    assert response.status_code == 200
    assert "?key=" not in response.text
    assert "只有工会主席可以修改" in response.text


def test_federation_officer_sees_a_schools_rules_read_only(login, officer, school_a):
    client = login(officer)
    response = client.get(url("rules", school_a))
    assert response.status_code == 200
    assert "?key=" not in response.text
    post = client.post(url("rules", school_a), {"key": "caps.birthday", "value": "1", "source": "x"})
    assert post.status_code == 403


def test_chair_opens_the_edit_form_of_one_rule(login, chair_a, school_a):
    response = login(chair_a).get(url("rules", school_a) + "?key=caps.birthday")
    assert response.status_code == 200
    assert "生日慰问" in response.text
    assert 'name="value"' in response.text
    assert 'value="300"' in response.text


def test_edit_form_of_an_unknown_rule_is_404(login, chair_a, school_a):
    assert login(chair_a).get(url("rules", school_a) + "?key=nope").status_code == 404


def test_chair_overrides_a_rule_and_it_is_audited(login, chair_a, school_a):
    response = login(chair_a).post(
        url("rules", school_a),
        {"key": "union.women_committee_min_women", "value": "15", "source": "2026年工会委员会会议决定"},
    )
    assert response.status_code == 302
    row = RuleValue.objects.get(scope="org", org=school_a, key="union.women_committee_min_women")
    assert (row.value, row.source) == (15, "2026年工会委员会会议决定")
    event = AuditEvent.objects.get(action="core.rule.override")
    assert (event.org, event.actor) == (school_a, chair_a)
    page = login(chair_a).get(url("rules", school_a)).text
    assert "本单位" in page
    assert "全国默认：10" in page


def test_bad_rule_value_shows_the_chinese_error_and_writes_nothing(login, chair_a, school_a):
    response = login(chair_a).post(
        url("rules", school_a),
        {"key": "union.women_committee_min_women", "value": "十五", "source": "会议决定"},
    )
    assert response.status_code == 200
    assert "请填写整数。" in response.text
    assert not RuleValue.objects.filter(scope="org").exists()
    assert not AuditEvent.objects.exists()


def test_rule_override_without_a_source_is_refused(login, chair_a, school_a):
    response = login(chair_a).post(
        url("rules", school_a), {"key": "congress.quorum", "value": "3/4", "source": " "}
    )
    assert "请填写依据" in response.text
    assert not RuleValue.objects.filter(scope="org").exists()


def test_chair_resets_an_override(login, chair_a, school_a):
    client = login(chair_a)
    client.post(url("rules", school_a), {"key": "caps.birthday", "value": "200", "source": "会议决定"})
    response = client.post(url("rules", school_a), {"key": "caps.birthday", "action": "reset"})
    assert response.status_code == 302
    assert not RuleValue.objects.filter(scope="org").exists()
    assert AuditEvent.objects.filter(action="core.rule.reset").count() == 1


# ---- audit log ------------------------------------------------------------------------------


def test_audit_log_shows_events_with_chinese_labels_and_changes(login, chair_a, school_a):
    from jiaogong.core import rules

    rules.set_org_value(actor=chair_a, org=school_a, key="caps.birthday", text="200", source="会议决定")
    response = login(chair_a).get(url("audit", school_a))
    assert response.status_code == 200
    assert "修改规则参数" in response.text
    assert "core.rule.override" in response.text
    assert "生日慰问" in response.text
    assert "王主席" in response.text
    assert "取值：</span>200" in response.text
    assert "依据：</span>会议决定" in response.text


def test_audit_log_masks_id_numbers_and_phones(login, chair_a, school_a):
    member = MemberFactory(org=school_a, name="李四")
    old_id, new_id = member.id_number, "110101198505200037"
    audit.record(
        actor=chair_a,
        org=school_a,
        action="members.member.update",
        obj=member,
        changes={"id_number": [old_id, new_id], "phone": ["13812345678", "13987654321"]},
    )
    text = login(chair_a).get(url("audit", school_a)).text
    assert old_id not in text and new_id not in text
    assert member_rules.mask_id_number(new_id) in text
    assert "13987654321" not in text
    assert "139****4321" in text
    assert "身份证号" in text


def test_audit_log_is_newest_first_and_paginated_by_50(login, chair_a, school_a):
    for i in range(51):
        audit.record(actor=chair_a, org=school_a, action="members.group.create", object_repr=f"小组{i:02d}")
    client = login(chair_a)
    first = client.get(url("audit", school_a))
    assert len(first.context["rows"]) == 50
    assert first.context["rows"][0]["event"].object_repr == "小组50"
    second = client.get(url("audit", school_a) + "?page=2")
    assert [r["event"].object_repr for r in second.context["rows"]] == ["小组00"]


def test_audit_log_filters_by_action_prefix_and_actor(login, chair_a, school_a):
    other = grant(UserFactory(username="vice"), school_a, "vice_chair")
    audit.record(actor=chair_a, org=school_a, action="members.group.create", object_repr="语文组")
    audit.record(actor=other, org=school_a, action="core.rule.override", object_repr="生日慰问")
    client = login(chair_a)
    by_action = client.get(url("audit", school_a) + "?action=core.rule.")
    assert [r["event"].object_repr for r in by_action.context["rows"]] == ["生日慰问"]
    by_actor = client.get(url("audit", school_a) + f"?actor={chair_a.pk}")
    assert [r["event"].object_repr for r in by_actor.context["rows"]] == ["语文组"]


def test_audit_log_shows_only_the_orgs_own_events(login, chair_a, outsider_b, school_a, school_b):
    audit.record(actor=outsider_b, org=school_b, action="members.group.create", object_repr="冷水溪的组")
    assert "冷水溪的组" not in login(chair_a).get(url("audit", school_a)).text


def test_audit_filter_by_htmx_returns_only_the_results(login, chair_a, school_a):
    audit.record(actor=chair_a, org=school_a, action="members.group.create", object_repr="语文组")
    response = login(chair_a).get(url("audit", school_a) + "?action=members.", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "语文组" in response.text


def test_audit_log_of_a_school_is_not_open_to_the_federation_officer(login, officer, school_a):
    # audit.view is for the school's chair, vice chair and auditor.
    assert login(officer).get(url("audit", school_a)).status_code == 403


def test_navigation_shows_only_the_links_a_role_can_use(login, chair_a, member_a, school_a):
    audit_url = reverse("core:audit", args=[school_a.pk])
    members_url = reverse("members:list", args=[school_a.pk])
    chair_page = login(chair_a).get(reverse("core:dashboard", args=[school_a.pk])).text
    assert audit_url in chair_page and members_url in chair_page
    member_page = login(member_a).get(reverse("core:dashboard", args=[school_a.pk])).text
    assert audit_url not in member_page and members_url in member_page


def test_a_school_department_sees_no_member_links(login, school_a):
    staff = grant(UserFactory(username="office"), school_a, "department")
    page = login(staff).get(reverse("core:dashboard", args=[school_a.pk])).text
    assert reverse("members:list", args=[school_a.pk]) not in page


def test_navigation_keeps_a_place_for_each_module_not_yet_open(login, chair_a, school_a):
    from jiaogong.core.navigation import nav_items

    items = nav_items(chair_a, school_a, "members")
    opened = [i["label"] for i in items if i["url"]]
    pending = [i["label"] for i in items if not i["url"]]
    assert opened == [
        "首页",
        "会员",
        "工会小组",
        "委员会",
        "教代会",
        "会费经费",
        "慈善捐款",
        "送温暖",
        "活动",
        "计划总结台帐",
        "规则参数",
        "操作记录",
    ]
    assert {"校务公开", "评先评优"} <= set(pending)
    assert [i["key"] for i in items if i["current"]] == ["members"]


def test_a_federation_officer_navigation_is_the_schools_not_a_dashboard(officer, federation):
    from jiaogong.core.navigation import nav_items

    opened = [i["label"] for i in nav_items(officer, federation, "") if i["url"]]
    assert opened == ["所属学校", "规则参数"]
