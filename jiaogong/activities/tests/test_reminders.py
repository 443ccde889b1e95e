"""The "activities" reminder source: sign-up deadlines in the next three days remind the members who
have not signed up (and the organiser), once per deadline."""

import datetime

from jiaogong.activities import reminders, services
from jiaogong.activities.tests.conftest import at, member_user
from jiaogong.notifications import sources


def test_a_deadline_within_three_days_reminds_those_not_signed_up(
    school_a, member_a, organiser_a, make_activity, clock
):
    clock(at(2026, 9, 13, 9))
    match = make_activity(capacity=10, registration_deadline=at(2026, 9, 15, 18))
    other = member_user(school_a, "李四")
    services.register(actor=other, org=school_a, activity=match)
    items = reminders.deadlines_due(school_a, datetime.date(2026, 9, 13))
    assert len(items) == 1
    item = items[0]
    assert item.kind == "activities" and item.title == "报名截止：教职工羽毛球赛（9月15日 18:00）"
    assert item.body == "已报名 1 人，名额 10 人。" and item.due_on == datetime.date(2026, 9, 15)
    assert set(item.recipients) == {member_a.pk, organiser_a.pk}
    assert item.key == f"activities.deadline:{match.pk}:202609151800"


def test_deadlines_further_off_past_or_cancelled_do_not_remind(school_a, organiser_a, make_activity, clock):
    clock(at(2026, 9, 13, 9))
    make_activity(title="远", capacity=5, registration_deadline=at(2026, 9, 16, 0, 0))
    make_activity(title="已过", capacity=5, registration_deadline=at(2026, 9, 13, 8, 0))
    gone = make_activity(title="取消", capacity=5, registration_deadline=at(2026, 9, 14, 8, 0))
    services.cancel_activity(actor=organiser_a, org=school_a, activity=gone)
    assert reminders.deadlines_due(school_a, datetime.date(2026, 9, 13)) == []


def test_the_source_is_registered_with_its_kind():
    assert reminders.deadlines_due in sources.SOURCES and "activities" in sources.KINDS
