"""Writes of 工作计划: start, copy, import (all-or-nothing), edit, publish, link; each audited."""

import datetime

import pytest

from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.plans import selectors, services
from jiaogong.plans.models import Item, Plan, Section

from .conftest import item_of
from .test_parsing import seed

D = datetime.date


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def status_of(school, item, today):
    item.refresh_from_db()
    return selectors.item_view(school, item, today).status


def test_an_empty_plan_starts_as_a_draft_with_its_term_start(school_a, chair_a):
    plan = services.create_plan(
        actor=chair_a,
        org=school_a,
        title="2026年秋季学期工会工作计划",
        kind="semester",
        year=2026,
        season="autumn",
    )
    assert plan.status == "draft" and plan.starts_on == D(2026, 9, 1)
    assert plan.period_label == "2026年秋季学期"
    assert actions() == ["plans.plan.create"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"kind": "decade"}, "kind"),
        ({"year": "二〇二六"}, "year"),
        ({"year": 1999}, "year"),
        ({"kind": "semester", "season": ""}, "season"),
        ({"starts_on": D(2030, 9, 1)}, "starts_on"),
    ],
)
def test_a_bad_plan_is_refused_in_chinese_and_nothing_is_written(school_a, chair_a, changes, field):
    data = {"title": "2026年工会工作计划", "kind": "annual", "year": 2026} | changes
    with pytest.raises(InvalidInput) as e:
        services.create_plan(actor=chair_a, org=school_a, **data)
    assert field in e.value.fields
    assert Plan.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_items_are_added_edited_reordered_and_deleted(plan, chair_a):
    first, second = item_of(plan, "庆祝教师节"), item_of(plan, "制定工会工作计划")
    services.move_item(actor=chair_a, item=second, direction="up")
    assert list(plan.items.filter(period_start=9).values_list("text", flat=True)) == [
        "制定工会工作计划",
        "庆祝教师节",
    ]
    services.update_item(
        actor=chair_a,
        item=first,
        text="庆祝第42个教师节",
        period_kind="month",
        period_start=9,
        period_end=None,
    )
    first.refresh_from_db()
    assert first.text == "庆祝第42个教师节"
    services.delete_item(actor=chair_a, item=first)
    assert not plan.items.filter(pk=first.pk).exists()
    assert {"plans.item.move", "plans.item.update", "plans.item.delete"} <= set(actions())


def test_a_bad_item_is_refused_and_nothing_changes(plan, chair_a):
    count = plan.items.count()
    with pytest.raises(InvalidInput) as e:
        services.add_item(actor=chair_a, plan=plan, text="  ", period_kind="month", period_start=13)
    assert set(e.value.fields) == {"period_start", "text"}
    assert plan.items.count() == count


def test_sections_are_added_edited_moved_and_deleted(plan, chair_a):
    a, b = plan.sections.all()
    services.move_section(actor=chair_a, section=b, direction="up")
    assert [s.title for s in plan.sections.all()] == ["丰富文体活动", "加强民主管理"]
    services.update_section(actor=chair_a, section=a, title="推进民主管理", text="坚持教代会制度。")
    services.delete_section(actor=chair_a, section=b)
    assert [(s.title, s.text) for s in plan.sections.all()] == [("推进民主管理", "坚持教代会制度。")]
    assert actions().count("plans.section.update") == 1


def test_publishing_needs_content_and_happens_once(school_a, chair_a, plan):
    empty = services.create_plan(actor=chair_a, org=school_a, title="空计划", kind="annual", year=2026)
    with pytest.raises(DomainError):
        services.publish_plan(actor=chair_a, plan=empty)
    services.publish_plan(actor=chair_a, plan=plan)
    assert plan.status == "published" and plan.published_at
    with pytest.raises(Conflict):
        services.publish_plan(actor=chair_a, plan=plan)
    with pytest.raises(Conflict):
        services.delete_plan(actor=chair_a, plan=plan)


def test_copying_last_years_plan_moves_its_dates_a_year_on(school_a, chair_a, plan, make_activity, today):
    services.link_item(
        actor=chair_a,
        item=item_of(plan, "庆祝教师节"),
        kind="activity",
        record_id=make_activity(D(2026, 9, 10)).pk,
    )
    services.set_item_status(
        actor=chair_a, item=item_of(plan, "制定工会工作计划"), status="done", today=today
    )
    new = services.copy_plan(actor=chair_a, plan=plan)
    assert new.title == "2027—2028学年工会工作计划" and new.year == 2027 and new.status == "draft"
    # 2026-09-01 is a Tuesday; the copy's term starts on a Tuesday of the same week a year on.
    assert new.starts_on == D(2027, 8, 31) and new.starts_on.weekday() == plan.starts_on.weekday()
    assert [s.title for s in new.sections.all()] == [s.title for s in plan.sections.all()]
    old_views = {v.item.text: v for v in selectors.schedule(school_a, plan, today)}
    for view in selectors.schedule(school_a, new, today):
        old = old_views[view.item.text]
        assert not view.item.link_kind and view.item.manual_status == "planned"
        if old.start and view.item.period_kind != "week":
            assert view.start == old.start.replace(year=old.start.year + 1)
        if view.item.period_kind == "week":
            assert (view.start - old.start).days in (364, 371)
    with pytest.raises(Conflict):
        services.copy_plan(actor=chair_a, plan=plan)
    assert "plans.plan.copy" in actions()


def test_importing_a_seed_saves_everything_it_parsed(school_a, chair_a):
    plan = services.import_plan(actor=chair_a, org=school_a, text=seed("002"), kind="school_year", year=2024)
    assert plan.title == "XX年关于学校工会工作计划精选"
    assert plan.items.count() == 168 and plan.sections.count() == 64
    assert len(plan.remainder.split("\n")) == 73
    first = plan.items.order_by("position").first()
    assert (first.period_kind, first.period_start, first.text) == ("month", 9, "制定工会工作计划")
    event = AuditEvent.objects.get(action="plans.plan.import")
    assert event.changes["items"] == 168 and event.changes["remainder_lines"] == 73


def test_an_import_takes_title_and_year_from_the_text_when_not_given(school_a, chair_a):
    plan = services.import_plan(actor=chair_a, org=school_a, text=seed("000"))
    assert (
        plan.title == "梁平县龙胜乡中心小学2024年工会工作计划" and plan.year == 2024 and plan.kind == "annual"
    )
    assert plan.sections.count() == 5 and plan.items.count() == 0 and plan.guidance.startswith("2024年是")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"text": "   \n  "}, "text"),
        ({"text": "x" * 200_001}, "text"),
        ({"text": "九月份：\n1、庆祝教师节", "year": None}, "year"),  # no year given, none found
        ({"text": "2024年工会工作计划\n九月份：1、庆祝教师节", "kind": "semester"}, "season"),
    ],
)
def test_a_refused_import_writes_nothing(school_a, chair_a, kwargs, field):
    with pytest.raises(InvalidInput) as e:
        services.import_plan(actor=chair_a, org=school_a, **kwargs)
    assert field in e.value.fields
    assert (
        Plan.objects.count()
        == Item.objects.count()
        == Section.objects.count()
        == AuditEvent.objects.count()
        == 0
    )


def test_an_item_linked_to_an_activity_follows_it(school_a, chair_a, plan, make_activity):
    item = item_of(plan, "庆祝教师节")
    activity = make_activity(D(2026, 9, 10))
    services.link_item(actor=chair_a, item=item, kind="activity", record_id=activity.pk)
    assert status_of(school_a, item, D(2026, 9, 1)) == "planned"
    assert status_of(school_a, item, D(2026, 9, 12)) == "late"  # its date passed, not held
    activity.status = "held"
    activity.save()
    assert status_of(school_a, item, D(2026, 9, 12)) == "done"
    activity.status = "cancelled"
    activity.save()
    assert status_of(school_a, item, D(2026, 9, 12)) == "cancelled"
    with pytest.raises(DomainError):  # its status is not set by hand while linked
        services.set_item_status(actor=chair_a, item=item, status="done", today=D(2026, 9, 12))
    services.unlink_item(actor=chair_a, item=item)
    assert status_of(school_a, item, D(2026, 10, 2)) == "late"  # unlinked, September is over
    assert [a for a in actions() if "link" in a] == ["plans.item.link", "plans.item.unlink"]


def test_an_item_linked_to_a_congress_session_is_done_once_delegates_signed_in(school_a, chair_a, plan):
    from jiaogong.factories import congress_with_delegates

    congress, delegates = congress_with_delegates(school_a, 3, opens_on=D(2026, 12, 10))
    item = item_of(plan, "筹备第二届第二次教代会")
    services.link_item(actor=chair_a, item=item, kind="congress", record_id=congress.pk)
    assert status_of(school_a, item, D(2026, 12, 1)) == "planned"
    assert status_of(school_a, item, D(2026, 12, 11)) == "late"
    from jiaogong.congress.models import Attendance

    Attendance.objects.create(congress=congress, delegate=delegates[0], method="desk")
    assert status_of(school_a, item, D(2026, 12, 11)) == "done"


def test_an_item_linked_to_a_greeting_batch_is_done_once_it_is_given(school_a, chair_a, plan, make_batch):
    item = item_of(plan, "春节送温暖活动")
    batch = make_batch(D(2027, 2, 5))
    services.link_item(actor=chair_a, item=item, kind="greeting", record_id=batch.pk)
    assert status_of(school_a, item, D(2027, 2, 10)) == "late"
    batch.status = "posted"
    batch.save()
    view = selectors.item_view(school_a, item, D(2027, 2, 10))
    assert view.status == "done" and view.link.label.startswith("慰问：春节慰问")


def test_another_schools_record_or_an_unknown_kind_cannot_be_linked(
    school_a, school_b, chair_a, plan, make_activity
):
    item = item_of(plan, "庆祝教师节")
    theirs = make_activity(D(2026, 9, 10), org=school_b)
    with pytest.raises(InvalidInput) as e:
        services.link_item(actor=chair_a, item=item, kind="activity", record_id=theirs.pk)
    assert "record_id" in e.value.fields
    with pytest.raises(InvalidInput) as e:
        services.link_item(actor=chair_a, item=item, kind="banquet", record_id=theirs.pk)
    assert "kind" in e.value.fields
    item.refresh_from_db()
    assert item.link_kind == "" and item.link_id is None


def test_an_unlinked_item_is_set_by_hand_once_its_time_has_come(school_a, chair_a, plan):
    item = item_of(plan, "教职工乒乓球比赛")  # 2026年10月
    with pytest.raises(DomainError):
        services.set_item_status(actor=chair_a, item=item, status="done", today=D(2026, 9, 20))
    services.set_item_status(actor=chair_a, item=item, status="done", today=D(2026, 10, 20))
    assert status_of(school_a, item, D(2026, 11, 5)) == "done"
    services.set_item_status(actor=chair_a, item=item, status="cancelled", today=D(2026, 11, 5))
    assert status_of(school_a, item, D(2026, 11, 5)) == "cancelled"
    with pytest.raises(InvalidInput):
        services.set_item_status(actor=chair_a, item=item, status="late", today=D(2026, 11, 5))


def test_the_remainder_is_placed_line_by_line(school_a, chair_a):
    plan = services.import_plan(
        actor=chair_a,
        org=school_a,
        text="2025年工会工作计划\n活动安排\n三月：\n四月：\n1、春游\n备注：遇雨顺延\n五月组织一次拔河比赛\n",
    )
    assert plan.remainder.split("\n") == ["三月：", "备注：遇雨顺延"]
    services.place_remainder(actor=chair_a, plan=plan, line=1, target="guidance")
    item = services.place_remainder(
        actor=chair_a, plan=plan, line=0, target="item", period_kind="month", period_start="3"
    )
    assert item.text == "三月：" and item.period_start == 3
    assert plan.remainder == "" and plan.guidance == "备注：遇雨顺延"
    with pytest.raises(InvalidInput):
        services.place_remainder(actor=chair_a, plan=plan, line=0, target="guidance")
    assert actions().count("plans.remainder.place") == 2


def test_plan_progress_counts_the_years_items_by_status(school_a, chair_a, plan, make_activity, make_batch):
    services.link_item(
        actor=chair_a,
        item=item_of(plan, "庆祝教师节"),
        kind="activity",
        record_id=make_activity(D(2026, 9, 10), status="held").pk,
    )
    services.set_item_status(
        actor=chair_a, item=item_of(plan, "制定工会工作计划"), status="done", today=D(2026, 9, 30)
    )
    services.link_item(
        actor=chair_a,
        item=item_of(plan, "春节送温暖活动"),
        kind="greeting",
        record_id=make_batch(D(2027, 2, 5)).pk,
    )
    # 2026: 9月 ×2 (done), 10月 (late on 11-22), 第3周 = 9月14日—20日 (late), 时间待定 of a 2026 plan (planned).
    progress = selectors.plan_progress(school_a, 2026, today=D(2026, 11, 22))
    assert (
        progress["total"],
        progress["done"],
        progress["late"],
        progress["planned"],
        progress["cancelled"],
    ) == (5, 2, 2, 1, 0)
    assert [v.item.text for v in progress["items"]][:2] == ["庆祝教师节", "制定工会工作计划"]
    # 2027: 第一季度 (the greeting batch of 2027-02-05, still a draft: planned).
    progress = selectors.plan_progress(school_a, 2027, today=D(2026, 11, 22))
    assert (progress["total"], progress["planned"]) == (1, 1)
    assert progress["plans"] == [plan]
