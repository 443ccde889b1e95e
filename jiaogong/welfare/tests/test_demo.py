"""The demo data: load_welfare runs after the members and funds demo and leaves the story the
seeds describe (a visited event with 慰问金 on the ledger, one with the demo group leader, one
overdue, the 国庆 and 重阳 batches, the 重阳 座谈会 with its cost on the ledger, this month's
birthdays)."""

import pytest
from django.utils import timezone

from jiaogong.core.management.commands.load_demo import Command
from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant
from jiaogong.funds.demo import load_funds
from jiaogong.members.models import GroupLeader
from jiaogong.welfare.demo import load_welfare
from jiaogong.welfare.models import CareEvent, GreetingBatch, RetireeMeeting


@pytest.fixture
def demo_school(school_a):
    today = timezone.localdate()
    admin = grant(UserFactory(username="admin_demo"), school_a, "chair")
    members = generate_school(school_a, 60, seed=3, today=today, actor=admin)
    active = [m for m in members if m.status == "active"]
    command = Command()
    command._committee(admin, school_a, active, [m for m in active if m.gender == "F"], today)
    command._leaders(admin, school_a, today)
    welfare = grant(
        UserFactory(username="shenghuo", first_name="生活委员", member=active[4]), school_a, "welfare"
    )
    leader = GroupLeader.objects.filter(org=school_a, ended_on__isnull=True).exclude(member=active[4]).first()
    zuzhang = grant(UserFactory(username="zuzhang", member=leader.member), school_a, "group_leader")
    finance = grant(UserFactory(username="caiwu", member=active[21]), school_a, "finance")
    load_funds(actor=finance, school=school_a, members=members, today=today, seed=3)
    return {"today": today, "members": members, "welfare": welfare, "zuzhang": zuzhang}


def test_the_demo_tells_the_welfare_story(school_a, demo_school):
    today = demo_school["today"]
    load_welfare(
        actor=demo_school["welfare"], school=school_a, members=demo_school["members"], today=today, seed=3
    )
    events = CareEvent.objects.filter(org=school_a)
    visited = events.filter(status="visited", visit__benefit__isnull=False)
    assert visited.filter(kind="hospitalized", visit__benefit__entry__subcategory="送温暖").exists()
    assert events.filter(visitor=demo_school["zuzhang"].member, status="assigned").exists()
    assert any(e.is_overdue(today) for e in events)
    assert events.filter(status="new").exists()
    festivals = GreetingBatch.objects.filter(org=school_a, kind="festival", status="posted")
    assert set(festivals.values_list("festival", flat=True)) >= {"国庆"}
    for batch in GreetingBatch.objects.filter(org=school_a, status="posted"):
        assert batch.entry.amount == sum(r.amount for r in batch.recipients.all())
    meeting = RetireeMeeting.objects.get(org=school_a)
    assert meeting.held_on <= today and (meeting.held_on.month, meeting.held_on.day) == (10, 16)
    assert meeting.attendees.count() >= 1
    assert all(m.status == "retired" for m in meeting.attendees.all())
    assert meeting.entry.amount == meeting.cost == 600
