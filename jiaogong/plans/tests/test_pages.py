"""The 工作计划 pages: who sees what (404 outsiders, 403 wrong roles), and the chair's work on them."""

import datetime

import pytest
from django.urls import reverse

from jiaogong.core.models import AuditEvent
from jiaogong.factories import UserFactory, grant
from jiaogong.plans import services
from jiaogong.plans.models import Item, Plan

from .conftest import item_of
from .test_parsing import seed

D = datetime.date


@pytest.fixture
def department_a(school_a):
    """学校职能部门: in the school, but plans are not theirs to read."""
    return grant(UserFactory(username="dept_a"), school_a, "department")


def urls(plan):
    o, p = plan.org_id, plan.pk
    i = plan.items.first().pk
    s = plan.sections.first().pk
    read = [
        ("get", reverse("plans:home", args=[o])),
        ("get", reverse("plans:detail", args=[o, p])),
        ("get", reverse("plans:docx", args=[o, p])),
    ]
    write = [
        ("get", reverse("plans:new", args=[o])),
        ("post", reverse("plans:copy", args=[o])),
        ("get", reverse("plans:import", args=[o])),
        ("get", reverse("plans:edit", args=[o, p])),
        ("post", reverse("plans:publish", args=[o, p])),
        ("post", reverse("plans:delete", args=[o, p])),
        ("get", reverse("plans:remainder", args=[o, p])),
        ("get", reverse("plans:section_new", args=[o, p])),
        ("get", reverse("plans:section_edit", args=[o, p, s])),
        ("get", reverse("plans:item_new", args=[o, p])),
        ("get", reverse("plans:item_edit", args=[o, p, i])),
        ("post", reverse("plans:item_action", args=[o, p, i])),
        ("get", reverse("plans:item_link", args=[o, p, i])),
    ]
    return read, write


def test_an_outsider_gets_404_on_every_page(login, outsider_b, plan):
    services.publish_plan(actor=None, plan=plan)
    client = login(outsider_b)
    read, write = urls(plan)
    for method, url in read + write:
        assert getattr(client, method)(url).status_code == 404, url


def test_a_member_reads_the_published_plan_but_gets_403_on_every_write(login, member_a, plan):
    services.publish_plan(actor=None, plan=plan)
    client = login(member_a)
    read, write = urls(plan)
    for method, url in read:
        assert getattr(client, method)(url).status_code == 200, url
    for method, url in write:
        assert getattr(client, method)(url).status_code == 403, url
    assert Plan.objects.get().status == "published"


def test_a_role_without_plans_view_gets_403_on_every_page(login, department_a, plan):
    client = login(department_a)
    read, write = urls(plan)
    for method, url in read + write:
        assert getattr(client, method)(url).status_code == 403, url


def test_a_draft_is_not_shown_to_members(login, member_a, plan):
    client = login(member_a)
    assert client.get(reverse("plans:detail", args=[plan.org_id, plan.pk])).status_code == 404
    assert plan.title not in client.get(reverse("plans:home", args=[plan.org_id])).content.decode()


def test_another_schools_plan_is_404_for_the_chair(login, chair_a, school_a, school_b, outsider_b):
    theirs = services.create_plan(
        actor=outsider_b, org=school_b, title="冷水溪小学2026年工会工作计划", kind="annual", year=2026
    )
    client = login(chair_a)
    assert client.get(reverse("plans:detail", args=[school_b.pk, theirs.pk])).status_code == 404
    # Under school A's address it does not exist either.
    assert client.get(reverse("plans:detail", args=[school_a.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("plans:copy", args=[school_a.pk]), {"plan": theirs.pk}).status_code == 404


def test_the_list_offers_new_copy_and_import(login, chair_a, school_a, plan):
    page = login(chair_a).get(reverse("plans:home", args=[school_a.pk])).content.decode()
    for text in ("新建计划", "复制去年", "粘贴导入", plan.title, "6 项"):
        assert text in page


def test_the_chair_creates_a_plan_then_adds_a_section_and_an_item(login, chair_a, school_a):
    client = login(chair_a)
    r = client.post(
        reverse("plans:new", args=[school_a.pk]),
        {"title": "2026年工会工作计划", "kind": "annual", "year": "2026"},
    )
    plan = Plan.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("plans:detail", args=[school_a.pk, plan.pk])
    client.post(
        reverse("plans:section_new", args=[school_a.pk, plan.pk]),
        {"title": "加强民主管理", "text": "开好教代会。"},
    )
    client.post(
        reverse("plans:item_new", args=[school_a.pk, plan.pk]),
        {"period_kind": "month", "period_start": "9", "text": "庆祝教师节"},
    )
    page = client.get(reverse("plans:detail", args=[school_a.pk, plan.pk])).content.decode()
    assert "加强民主管理" in page and "庆祝教师节" in page and "9月" in page


def test_a_bad_item_re_renders_with_422_and_chinese_messages(login, chair_a, plan):
    r = login(chair_a).post(
        reverse("plans:item_new", args=[plan.org_id, plan.pk]),
        {"period_kind": "month", "period_start": "13", "text": ""},
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "月份应在 1—12 之间" in page and "请填写工作内容" in page
    assert plan.items.count() == 6


def test_a_bad_plan_form_is_422_and_writes_nothing(login, chair_a, school_a):
    r = login(chair_a).post(
        reverse("plans:new", args=[school_a.pk]), {"title": "", "kind": "semester", "year": "26x"}
    )
    assert r.status_code == 422 and "请填写标题" in r.content.decode()
    assert Plan.objects.count() == 0


def test_pasting_a_seed_previews_then_saves(login, chair_a, school_a):
    client = login(chair_a)
    url = reverse("plans:import", args=[school_a.pk])
    r = client.post(url, {"text": seed("002"), "action": "preview", "kind": "school_year", "year": "2024"})
    page = r.content.decode()
    assert r.status_code == 200 and Plan.objects.count() == 0
    assert "168" in page and "项工作安排" in page and "第十二周" in page and "保存为计划" in page
    r = client.post(url, {"text": seed("002"), "action": "save", "kind": "school_year", "year": "2024"})
    plan = Plan.objects.get()
    assert r.status_code == 302 and plan.items.count() == 168
    page = client.get(reverse("plans:detail", args=[school_a.pk, plan.pk])).content.decode()
    assert "有 73 行导入时未能识别的文字" in page


def test_an_empty_paste_is_422_and_saves_nothing(login, chair_a, school_a):
    r = login(chair_a).post(reverse("plans:import", args=[school_a.pk]), {"text": "  ", "action": "save"})
    assert r.status_code == 422 and "请粘贴计划的文字" in r.content.decode()
    assert Plan.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_copy_last_year_from_the_list(login, chair_a, school_a, plan):
    r = login(chair_a).post(reverse("plans:copy", args=[school_a.pk]), {"plan": plan.pk})
    new = Plan.objects.exclude(pk=plan.pk).get()
    assert r.status_code == 302 and new.year == 2027 and new.items.count() == 6


def test_the_link_chooser_offers_records_near_the_item_and_links_one(login, chair_a, plan, make_activity):
    near, far = make_activity(D(2026, 9, 10)), make_activity(D(2027, 3, 8), title="三八节外出活动")
    item = item_of(plan, "庆祝教师节")
    client = login(chair_a)
    url = reverse("plans:item_link", args=[plan.org_id, plan.pk, item.pk])
    page = client.get(url).content.decode()
    assert "庆祝教师节联欢会" in page and "三八节外出活动" not in page
    r = client.post(url, {"kind": "activity", "record_id": far.pk})
    assert r.status_code == 302  # any record of the school can be linked, not only the offered ones
    r = client.post(url, {"kind": "activity", "record_id": "999999"})
    assert r.status_code == 422 and "没有找到本工会的这条活动记录" in r.content.decode()
    item.refresh_from_db()
    assert item.link_id == far.pk
    client.post(reverse("plans:item_action", args=[plan.org_id, plan.pk, item.pk]), {"action": "unlink"})
    client.post(url, {"kind": "activity", "record_id": near.pk})
    page = client.get(reverse("plans:detail", args=[plan.org_id, plan.pk])).content.decode()
    assert "活动：庆祝教师节联欢会（9月10日）" in page


def test_the_status_is_set_by_hand_on_the_plan_page(login, chair_a, plan, monkeypatch):
    from jiaogong.plans import views

    monkeypatch.setattr(views, "_today", lambda: D(2026, 10, 20))
    item = item_of(plan, "教职工乒乓球比赛")
    client = login(chair_a)
    client.post(
        reverse("plans:item_action", args=[plan.org_id, plan.pk, item.pk]),
        {"action": "status", "status": "done"},
    )
    item.refresh_from_db()
    assert item.manual_status == "done"
    page = client.get(reverse("plans:detail", args=[plan.org_id, plan.pk])).content.decode()
    assert "plan-status-done" in page and "plan-status-late" in page  # 第3周 (9月14日—20日) is late


def test_the_remainder_page_places_a_line(login, chair_a, school_a):
    plan = services.import_plan(
        actor=chair_a, org=school_a, text="2025年工会工作计划\n活动安排\n四月：\n1、春游\n备注：遇雨顺延\n"
    )
    client = login(chair_a)
    url = reverse("plans:remainder", args=[school_a.pk, plan.pk])
    assert "备注：遇雨顺延" in client.get(url).content.decode()
    r = client.post(url, {"line": 0, "target": "item", "period_kind": "month", "period_start": "4"})
    assert r.status_code == 302
    assert plan.items.filter(text="备注：遇雨顺延", period_start=4).exists()
    r = client.post(url, {"line": 0, "target": "item", "period_kind": "month", "period_start": "4"})
    assert r.status_code == 422  # nothing left to place


def test_moving_and_deleting_items_from_the_plan_page(login, chair_a, plan):
    client = login(chair_a)
    second = item_of(plan, "制定工会工作计划")
    client.post(reverse("plans:item_action", args=[plan.org_id, plan.pk, second.pk]), {"action": "up"})
    assert list(plan.items.filter(period_start=9).values_list("text", flat=True)) == [
        "制定工会工作计划",
        "庆祝教师节",
    ]
    client.post(reverse("plans:item_action", args=[plan.org_id, plan.pk, second.pk]), {"action": "delete"})
    assert not Item.objects.filter(pk=second.pk).exists()


def test_publishing_from_the_plan_page(login, chair_a, plan):
    client = login(chair_a)
    client.post(reverse("plans:publish", args=[plan.org_id, plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "published"
    client.post(reverse("plans:publish", args=[plan.org_id, plan.pk]), {"undo": "1"})
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_the_docx_download_is_a_word_file_named_after_the_plan(login, chair_a, plan):
    r = login(chair_a).get(reverse("plans:docx", args=[plan.org_id, plan.pk]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert "attachment" in r["Content-Disposition"]
