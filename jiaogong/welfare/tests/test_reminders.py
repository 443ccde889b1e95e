"""The "visits" reminder source: due within 2 days and overdue, each item once per key, to the
visitor, the chair and the welfare member, without health details."""

import datetime

import pytest

from jiaogong.notifications import sources
from jiaogong.welfare import reminders, services

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def events(school_a, member_a, welfare_a, leader_a, colleague):
    def report(days_ago, kind="hospitalized"):
        return services.report_event(
            actor=member_a, org=school_a, member=colleague, kind=kind,
            occurred_on=TODAY - datetime.timedelta(days=days_ago), today=TODAY - datetime.timedelta(days=days_ago),
        )  # fmt: skip

    overdue = services.assign_visitor(
        actor=welfare_a, org=school_a, event=report(10), visitor=leader_a.member
    )
    due = report(6)  # due in 1 day, not assigned yet
    later = report(1)  # due in 6 days: not yet
    return overdue, due, later


def test_the_source_is_registered():
    assert reminders.visits_due in sources.SOURCES


def test_due_and_overdue_visits_are_listed_once_each(school_a, events):
    overdue, due, later = events
    items = reminders.visits_due(school_a, TODAY)
    assert [i.key for i in items] == [f"welfare.visit.overdue:{overdue.pk}", f"welfare.visit.due:{due.pk}"]
    assert len({i.key for i in items}) == len(items)
    assert items[0].overdue and not items[1].overdue
    assert reminders.visits_due(school_a, TODAY) == items  # the same keys on a second run


def test_recipients_are_the_visitor_the_chair_and_the_welfare_member(
    school_a, events, chair_a, welfare_a, leader_a, member_a
):
    overdue_item, due_item = reminders.visits_due(school_a, TODAY)
    assert set(overdue_item.recipients) == {chair_a.pk, welfare_a.pk, leader_a.pk}
    assert set(due_item.recipients) == {chair_a.pk, welfare_a.pk}
    assert member_a.pk not in overdue_item.recipients


def test_titles_carry_no_health_details(school_a, events):
    for item in reminders.visits_due(school_a, TODAY):
        assert "住院" not in item.title and "县医院" not in item.title
        assert "李老师" in item.title


def test_a_visited_event_is_no_longer_due(school_a, events, leader_a):
    overdue = events[0]
    services.record_visit(
        actor=leader_a,
        org=school_a,
        event=overdue,
        visited_on=TODAY,
        visitors=[leader_a.member_id],
        today=TODAY,
    )
    assert all(str(overdue.pk) not in i.key for i in reminders.visits_due(school_a, TODAY))


def test_another_schools_visits_are_not_listed(school_b, events):
    assert reminders.visits_due(school_b, TODAY) == []
