"""API v1 of 工作计划: list, one plan, import (dry run and save), link an item."""

import datetime

import pytest

from jiaogong.core.models import AuditEvent
from jiaogong.factories import UserFactory, grant
from jiaogong.plans import services
from jiaogong.plans.models import Item, Plan

from .conftest import item_of
from .test_parsing import seed

D = datetime.date


@pytest.fixture
def department_a(school_a):
    return grant(UserFactory(username="dept_a"), school_a, "department")


def test_the_chair_lists_plans_drafts_included(api, chair_a, school_a, plan):
    r = api(chair_a).get(f"/orgs/{school_a.pk}/plans")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    assert body["items"][0] | {} == {
        "id": plan.pk,
        "title": "2026—2027学年工会工作计划",
        "kind": "school_year",
        "year": 2026,
        "season": "",
        "period": "2026—2027学年",
        "starts_on": "2026-09-01",
        "status": "draft",
        "items": 6,
    }


def test_a_member_lists_only_published_plans(api, member_a, chair_a, school_a, plan):
    assert api(member_a).get(f"/orgs/{school_a.pk}/plans").json()["count"] == 0
    assert api(member_a).get(f"/plans/{plan.pk}").status_code == 404
    services.publish_plan(actor=chair_a, plan=plan)
    assert api(member_a).get(f"/orgs/{school_a.pk}/plans").json()["count"] == 1
    assert api(member_a).get(f"/plans/{plan.pk}").status_code == 200


def test_a_plan_comes_with_its_schedule_in_date_order_and_statuses(api, chair_a, plan, make_activity):
    activity = make_activity(D(2026, 9, 10), status="held")
    services.link_item(
        actor=chair_a, item=item_of(plan, "庆祝教师节"), kind="activity", record_id=activity.pk
    )
    body = api(chair_a).get(f"/plans/{plan.pk}").json()
    assert [s["title"] for s in body["sections"]] == ["加强民主管理", "丰富文体活动"]
    assert [(i["period"], i["text"]) for i in body["schedule"]] == [
        ("9月", "庆祝教师节"),
        ("9月", "制定工会工作计划"),
        ("第3周", "学习《教师法》"),
        ("10月", "教职工乒乓球比赛"),
        ("第一季度", "春节送温暖活动"),
        ("时间待定", "筹备第二届第二次教代会"),
    ]
    first = body["schedule"][0]
    assert (
        first["status"] == "done" and first["starts_on"] == "2026-09-01" and first["ends_on"] == "2026-09-30"
    )
    assert (
        first["link"]["kind"] == "activity"
        and first["link"]["id"] == activity.pk
        and first["link"]["state"] == "done"
    )
    assert body["schedule"][2]["starts_on"] == "2026-09-14"


def test_a_dry_run_import_previews_and_saves_nothing(api, chair_a, school_a):
    client = api(chair_a)
    audited = AuditEvent.objects.count()
    r = client.post(f"/orgs/{school_a.pk}/plans/import", {"text": seed("002"), "dry_run": True})
    assert r.status_code == 200
    body = r.json()
    assert len(body["items"]) == 168 and len(body["sections"]) == 64 and len(body["remainder"]) == 73
    assert body["items"][0] == {
        "line": 12,
        "period_kind": "month",
        "period_start": 9,
        "period_end": None,
        "period": "9月",
        "text": "制定工会工作计划",
    }
    assert Plan.objects.count() == 0 and AuditEvent.objects.count() == audited


def test_an_import_saves_the_plan(api, chair_a, school_a):
    r = api(chair_a).post(f"/orgs/{school_a.pk}/plans/import", {"text": seed("001"), "year": 2023})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["title"] == "2023年工会工作计划有哪些(实用7篇)" and len(body["schedule"]) == 28
    assert all(i["period"] == "时间待定" for i in body["schedule"])
    assert Plan.objects.get().items.count() == 28


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"text": ""}, "text"),
        ({"text": "九月份：1、庆祝教师节"}, "year"),
        ({"text": "2024年计划\n九月份：1、x", "kind": "weekly"}, "kind"),
    ],
)
def test_a_bad_import_is_400_with_chinese_fields_and_writes_nothing(api, chair_a, school_a, payload, field):
    client = api(chair_a)
    audited = AuditEvent.objects.count()  # the token's own
    r = client.post(f"/orgs/{school_a.pk}/plans/import", payload)
    assert r.status_code == 400
    assert field in r.json()["error"]["fields"]
    assert Plan.objects.count() == 0 and AuditEvent.objects.count() == audited


def test_an_item_is_linked_and_unlinked(api, chair_a, plan, make_activity):
    item = item_of(plan, "教职工乒乓球比赛")
    activity = make_activity(D(2026, 10, 16), title="教职工乒乓球比赛")
    r = api(chair_a).post(f"/plan-items/{item.pk}/link", {"kind": "activity", "record_id": activity.pk})
    assert r.status_code == 200
    assert r.json()["link"]["label"] == "活动：教职工乒乓球比赛（10月16日）"
    r = api(chair_a).delete(f"/plan-items/{item.pk}/link")
    assert r.status_code == 200 and r.json()["link"] is None
    assert api(chair_a).delete(f"/plan-items/{item.pk}/link").status_code == 409


@pytest.mark.parametrize(
    "payload, field",
    [({"kind": "party", "record_id": 1}, "kind"), ({"kind": "activity", "record_id": 999999}, "record_id")],
)
def test_a_bad_link_is_400_and_changes_nothing(api, chair_a, plan, payload, field):
    item = item_of(plan, "教职工乒乓球比赛")
    r = api(chair_a).post(f"/plan-items/{item.pk}/link", payload)
    assert r.status_code == 400 and field in r.json()["error"]["fields"]
    item.refresh_from_db()
    assert item.link_kind == "" and not AuditEvent.objects.filter(action="plans.item.link").exists()


def test_another_schools_activity_cannot_be_linked(api, chair_a, school_b, plan, make_activity):
    item = item_of(plan, "教职工乒乓球比赛")
    theirs = make_activity(D(2026, 10, 16), org=school_b)
    r = api(chair_a).post(f"/plan-items/{item.pk}/link", {"kind": "activity", "record_id": theirs.pk})
    assert r.status_code == 400
    assert Item.objects.get(pk=item.pk).link_id is None


def endpoints(plan):
    item = plan.items.first()
    return [
        ("get", f"/orgs/{plan.org_id}/plans", None),
        ("get", f"/plans/{plan.pk}", None),
        (
            "post",
            f"/orgs/{plan.org_id}/plans/import",
            {"text": "九月份：1、庆祝教师节", "year": 2026, "dry_run": True},
        ),
        ("post", f"/plan-items/{item.pk}/link", {"kind": "activity", "record_id": 1}),
        ("delete", f"/plan-items/{item.pk}/link", None),
    ]


def _call(client, method, path, data):
    return getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)


def test_an_outsider_gets_404_on_every_endpoint(api, outsider_b, chair_a, plan):
    services.publish_plan(actor=chair_a, plan=plan)
    client = api(outsider_b)
    for method, path, data in endpoints(plan):
        r = _call(client, method, path, data)
        assert r.status_code == 404, path
        assert r.json()["error"]["message"]


def test_wrong_roles_get_403(api, member_a, department_a, chair_a, plan):
    services.publish_plan(actor=chair_a, plan=plan)
    member, department = api(member_a), api(department_a)
    for method, path, data in endpoints(plan):
        assert _call(department, method, path, data).status_code == 403, path
    # A member reads but does not import or link.
    reads, writes = endpoints(plan)[:2], endpoints(plan)[2:]
    for method, path, data in reads:
        assert _call(member, method, path, data).status_code == 200, path
    for method, path, data in writes:
        assert _call(member, method, path, data).status_code == 403, path


def test_no_token_is_401(api, plan):
    assert api().get(f"/orgs/{plan.org_id}/plans").status_code == 401
