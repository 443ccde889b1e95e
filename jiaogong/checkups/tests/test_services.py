"""Opening a round builds its list by the rule; marking a person is checked, dated and audited."""

import datetime
from decimal import Decimal

import pytest

from jiaogong.checkups import selectors, services
from jiaogong.checkups.models import Entry, Round
from jiaogong.checkups.tests.conftest import open_round
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory
from jiaogong.funds.models import LedgerEntry


def names(round_):
    return sorted(e.member.name for e in selectors.entries(round_))


def test_a_checkup_lists_the_active_members_of_the_school(round_a, staff):
    assert names(round_a) == sorted(["陈静", "刘洋", "张三"])


def test_a_checkup_with_retirees_lists_them_too(school_a, welfare_a, staff, day):
    r = open_round(school_a, welfare_a, day, include_retirees=True)
    assert "黄丽" in names(r) and "周敏" not in names(r)


def test_a_two_cancers_screening_lists_active_women_only(school_a, welfare_a, staff, member_a, day):
    r = open_round(school_a, welfare_a, day, title="两癌筛查", kind="two_cancers")
    assert names(r) == ["陈静"]


def test_another_schools_members_are_never_listed(school_a, school_b, welfare_a, staff, day):
    MemberFactory(org=school_b, name="外校人", gender="F")
    r = open_round(school_a, welfare_a, day, title="妇检", kind="gynaecology", include_retirees=True)
    assert names(r) == sorted(["陈静", "黄丽"])


def test_opening_a_round_is_audited(round_a):
    event = AuditEvent.objects.get(action="checkups.round.create")
    assert event.object_id == str(round_a.pk) and event.changes["listed"] == 3


@pytest.mark.parametrize(
    ("field", "more"),
    [
        ("title", {"title": " "}),
        ("provider", {"provider": ""}),
        ("kind", {"kind": "dental"}),
        ("year", {"year": "明年"}),
        ("ends_on", {"ends_on": datetime.date(2000, 1, 1)}),
        ("cost_per_person", {"cost_per_person": "0"}),
        ("cost_per_person", {"cost_per_person": "12.345"}),
    ],
)
def test_a_bad_round_is_refused_with_a_chinese_message_and_nothing_written(
    school_a, welfare_a, staff, day, field, more
):
    with pytest.raises(InvalidInput) as e:
        open_round(school_a, welfare_a, day, **more)
    assert field in e.value.fields and any("\u4e00" <= ch <= "\u9fff" for ch in e.value.fields[field])
    assert Round.objects.count() == 0 and Entry.objects.count() == 0


def test_a_second_round_of_the_same_title_is_refused(round_a, school_a, welfare_a, day):
    with pytest.raises(InvalidInput) as e:
        open_round(school_a, welfare_a, day)
    assert "已有" in e.value.fields["title"]
    assert Round.objects.count() == 1


def test_marking_done_keeps_the_date_and_is_audited(round_a, welfare_a, day):
    entry = selectors.entries(round_a).first()
    services.set_status(actor=welfare_a, entry=entry, status="done", on=day)
    entry.refresh_from_db()
    assert (entry.status, entry.status_on) == ("done", day)
    event = AuditEvent.objects.get(action="checkups.entry.set_status")
    assert event.changes["status"] == ["pending", "done"]


def test_back_to_not_done_clears_the_date(round_a, welfare_a, day):
    entry = selectors.entries(round_a).first()
    services.set_status(actor=welfare_a, entry=entry, status="declined", on=day)
    services.set_status(actor=welfare_a, entry=entry, status="pending", on=day)
    entry.refresh_from_db()
    assert (entry.status, entry.status_on) == ("pending", None)


@pytest.mark.parametrize(
    "on",
    [None, "future", "before"],
)
def test_a_bad_date_is_refused_and_nothing_changes(round_a, welfare_a, day, on):
    entry = selectors.entries(round_a).first()
    date = {
        None: None,
        "future": day + datetime.timedelta(days=1),
        "before": round_a.starts_on - datetime.timedelta(days=1),
    }[on]
    with pytest.raises(InvalidInput) as e:
        services.set_status(actor=welfare_a, entry=entry, status="done", on=date)
    assert "日期" in e.value.fields["on"]
    entry.refresh_from_db()
    assert (
        entry.status == "pending"
        and not AuditEvent.objects.filter(action="checkups.entry.set_status").exists()
    )


def test_marking_the_same_status_twice_is_a_conflict(round_a, welfare_a, day):
    entry = selectors.entries(round_a).first()
    services.set_status(actor=welfare_a, entry=entry, status="done", on=day)
    with pytest.raises(Conflict):
        services.set_status(actor=welfare_a, entry=entry, status="done", on=day)


def test_progress_counts_and_the_total_due_exclude_those_declining(round_a, welfare_a, day):
    first, second, _ = list(selectors.entries(round_a))
    services.set_status(actor=welfare_a, entry=first, status="done", on=day)
    services.set_status(actor=welfare_a, entry=second, status="declined", on=day)
    counts = selectors.progress(round_a)
    assert (counts["total"], counts["done"], counts["pending"], counts["declined"]) == (3, 1, 1, 1)
    assert counts["total_due"] == Decimal("600.00") and counts["done_cost"] == Decimal("300.00")


def test_a_cost_per_person_is_never_posted_to_the_ledger(round_a):
    assert LedgerEntry.objects.count() == 0


def test_a_new_member_is_added_by_the_refresh_and_nobody_twice(round_a, school_a, welfare_a):
    MemberFactory(org=school_a, name="新老师", gender="M")
    assert services.add_newly_eligible(actor=welfare_a, round_=round_a) == 1
    assert services.add_newly_eligible(actor=welfare_a, round_=round_a) == 0
    assert "新老师" in names(round_a)
