"""退休教职工座谈会 of the 退教分会: recording one (its cost on the ledger as 职工活动支出 · 集体福利,
all-or-nothing), refusals in Chinese with nothing written, and who may open the pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory
from jiaogong.funds.models import LedgerEntry, YearSignOff
from jiaogong.members.models import Member
from jiaogong.welfare import services
from jiaogong.welfare.models import RetireeMeeting, RetireeMeetingAttendee


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def retiree2(school_a, group_a):
    return MemberFactory(
        org=school_a,
        name="老李",
        union_group=group_a,
        status=Member.Status.RETIRED,
        status_since=datetime.date(2018, 8, 1),
    )


@pytest.fixture
def retiree_b(school_b):
    return MemberFactory(org=school_b, name="外校老师", status=Member.Status.RETIRED)


def record(actor, org, attendees, **overrides):
    data = {
        "title": "重阳节退休教职工座谈会",
        "held_on": timezone.localdate(),
        "place": "学校会议室",
        "topic": "通报学校一年来的工作\n听取意见和建议",
        "attendees": attendees,
        "guests": "李校长、王主席",
        "summary": "老教师们对学校的发展提出了三条建议。",
        "cost": "600.00",
    }
    return services.record_meeting(actor=actor, org=org, **(data | overrides))


def counts():
    return (
        RetireeMeeting.objects.count(),
        RetireeMeetingAttendee.objects.count(),
        LedgerEntry.objects.count(),
    )


@pytest.fixture
def meeting(school_a, welfare_a, retiree, retiree2):
    return record(welfare_a, school_a, [retiree.pk, retiree2.pk])


# ---- the service -------------------------------------------------------------------------------------


def test_recording_a_meeting_posts_its_cost_to_the_ledger(school_a, welfare_a, retiree, retiree2, today):
    meeting = record(welfare_a, school_a, [retiree.pk, retiree2.pk, retiree.pk])
    assert set(meeting.attendees.all()) == {retiree, retiree2}
    assert meeting.cost == Decimal("600.00")
    entry = meeting.entry
    assert (entry.kind, entry.category, entry.subcategory) == ("expense", "职工活动支出", "集体福利")
    assert entry.amount == Decimal("600.00")
    assert entry.date == today
    assert "重阳节退休教职工座谈会" in entry.memo
    audit = AuditEvent.objects.get(action="welfare.retiree_meeting.record")
    assert audit.changes["entry"] == entry.pk and audit.changes["cost"] == "600.00"


def test_a_meeting_without_a_cost_posts_nothing(school_a, welfare_a, retiree):
    meeting = record(welfare_a, school_a, [retiree], cost="")
    assert meeting.cost is None and meeting.entry is None
    assert LedgerEntry.objects.count() == 0
    assert RetireeMeetingAttendee.objects.filter(meeting=meeting, member=retiree).exists()


@pytest.mark.parametrize(
    "case, field, message",
    [
        ("active_attendee", "attendees", "不能作为参会的退休教职工"),
        ("other_org_attendee", "attendees", "请选择本工会的参会的退休教职工"),
        ("no_attendees", "attendees", "请至少选择一位参会的退休教职工"),
        ("future", "held_on", "召开日期不能晚于今天"),
        ("negative_cost", "cost", "费用不能为负数"),
        ("bad_cost", "cost", "应为数字"),
        ("no_title", "title", "请填写座谈会名称"),
    ],
)
def test_bad_input_writes_nothing_and_says_why_in_chinese(
    school_a, welfare_a, retiree, colleague, retiree_b, today, case, field, message
):
    overrides = {
        "active_attendee": {"attendees": [retiree.pk, colleague.pk]},
        "other_org_attendee": {"attendees": [retiree_b.pk]},
        "no_attendees": {"attendees": []},
        "future": {"held_on": today + datetime.timedelta(days=1)},
        "negative_cost": {"cost": "-600"},
        "bad_cost": {"cost": "六百"},
        "no_title": {"title": "  "},
    }[case]
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        record(welfare_a, school_a, overrides.pop("attendees", [retiree.pk]), **overrides)
    assert message in caught.value.fields[field]
    assert counts() == before
    assert not AuditEvent.objects.filter(action="welfare.retiree_meeting.record").exists()


def test_a_cost_in_a_signed_off_year_refuses_the_whole_meeting(school_a, welfare_a, chair_a, retiree, today):
    last_year = today.replace(year=today.year - 1, day=1)
    YearSignOff.objects.create(org=school_a, year=last_year.year, opinion="同意", signed_by=chair_a)
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        record(welfare_a, school_a, [retiree.pk], held_on=last_year)
    assert "已经经审签字" in caught.value.fields["held_on"]
    assert counts() == before


# ---- the pages ---------------------------------------------------------------------------------------


def page_urls(org, meeting):
    return {
        "retirees": reverse("welfare:retirees", args=[org.pk]),
        "meeting_new": reverse("welfare:meeting_new", args=[org.pk]),
        "meeting": reverse("welfare:meeting", args=[org.pk, meeting.pk]),
    }


@pytest.mark.parametrize("name", ["retirees", "meeting_new", "meeting"])
def test_an_outsider_gets_404_on_the_meeting_pages(login, outsider_b, school_a, meeting, name):
    assert login(outsider_b).get(page_urls(school_a, meeting)[name]).status_code == 404


def test_an_outsider_cannot_post_a_meeting(login, outsider_b, school_a, retiree):
    before = counts()
    response = login(outsider_b).post(reverse("welfare:meeting_new", args=[school_a.pk]), {"title": "x"})
    assert response.status_code == 404
    assert counts() == before


def test_another_schools_meeting_is_404_even_for_its_chair(login, outsider_b, school_b, meeting):
    assert (
        login(outsider_b).get(reverse("welfare:meeting", args=[school_b.pk, meeting.pk])).status_code == 404
    )


@pytest.mark.parametrize("user", ["member_a", "leader_a"])
@pytest.mark.parametrize("name", ["meeting_new", "meeting"])
def test_a_plain_member_or_group_leader_gets_403(request, login, school_a, meeting, user, name):
    client = login(request.getfixturevalue(user))
    assert client.get(page_urls(school_a, meeting)[name]).status_code == 403


def test_a_group_leader_cannot_post_a_meeting(login, leader_a, school_a, retiree):
    before = counts()
    response = login(leader_a).post(
        reverse("welfare:meeting_new", args=[school_a.pk]),
        {"title": "座谈会", "held_on": timezone.localdate().isoformat(), "attendees": [retiree.pk]},
    )
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize("user", ["welfare_a", "chair_a"])
def test_the_welfare_member_and_the_chair_open_every_meeting_page(request, login, school_a, meeting, user):
    client = login(request.getfixturevalue(user))
    for url in page_urls(school_a, meeting).values():
        assert client.get(url).status_code == 200


def test_record_a_meeting_through_the_form_and_see_it(login, school_a, welfare_a, retiree, retiree2, today):
    client = login(welfare_a)
    form = client.get(reverse("welfare:meeting_new", args=[school_a.pk])).content.decode()
    assert retiree.name in form and retiree2.name in form
    response = client.post(
        reverse("welfare:meeting_new", args=[school_a.pk]),
        {
            "title": "重阳节退休教职工座谈会",
            "held_on": today.isoformat(),
            "place": "学校会议室",
            "topic": "听取意见",
            "attendees": [retiree.pk, retiree2.pk],
            "guests": "李校长",
            "summary": "建议学校多组织退休教师参观新校区。",
            "cost": "600",
        },
    )
    meeting = RetireeMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("welfare:meeting", args=[school_a.pk, meeting.pk])
    assert meeting.entry.amount == Decimal("600.00")
    detail = client.get(response["Location"]).content.decode()
    assert "建议学校多组织退休教师参观新校区。" in detail
    assert retiree.name in detail and retiree2.name in detail
    assert f"第 {meeting.entry_id} 号凭证" in detail
    listing = client.get(reverse("welfare:retirees", args=[school_a.pk])).content.decode()
    assert "重阳节退休教职工座谈会" in listing and "600.00" in listing
    assert reverse("welfare:meeting", args=[school_a.pk, meeting.pk]) in listing
    assert "参加 1 次" in listing


def test_a_refused_form_re_renders_with_422_and_writes_nothing(login, school_a, welfare_a, colleague, today):
    before = counts()
    response = login(welfare_a).post(
        reverse("welfare:meeting_new", args=[school_a.pk]),
        {"title": "座谈会", "held_on": today.isoformat(), "attendees": [colleague.pk], "cost": "-5"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "所选的人不是本工会的退休会员" in body  # an active member is not a choice
    assert counts() == before


def test_the_service_message_shows_on_the_form(login, school_a, welfare_a, retiree, today):
    response = login(welfare_a).post(
        reverse("welfare:meeting_new", args=[school_a.pk]),
        {"title": "座谈会", "held_on": today.isoformat(), "attendees": [retiree.pk], "cost": "-5"},
    )
    assert response.status_code == 422
    assert "费用不能为负数" in response.content.decode()
    assert counts() == (0, 0, 0)


def test_the_retiree_row_counts_only_this_years_meetings(
    login, school_a, welfare_a, retiree, retiree2, today
):
    record(welfare_a, school_a, [retiree.pk], cost="")
    record(welfare_a, school_a, [retiree.pk, retiree2.pk], cost="")
    record(welfare_a, school_a, [retiree2.pk], cost="", held_on=today.replace(year=today.year - 1, day=1))
    body = login(welfare_a).get(reverse("welfare:retirees", args=[school_a.pk])).content.decode()
    assert "参加 2 次" in body and "参加 1 次" in body


def test_a_banned_use_in_the_meeting_waits_for_confirmation(school_a, welfare_a, retiree, login):
    """八不准: the meeting's voucher is not confirmed on the welfare member's behalf."""
    from jiaogong.core.errors import NeedsConfirmation

    with pytest.raises(NeedsConfirmation) as e:
        record(welfare_a, school_a, [retiree.pk], title="重阳节座谈会暨聚餐")
    assert "宴请" in e.value.fields["warnings"]
    assert counts() == (0, 0, 0)
    meeting = record(welfare_a, school_a, [retiree.pk], title="重阳节座谈会暨聚餐", confirm_warnings=True)
    assert meeting.entry.amount == Decimal("600.00")
