"""The calendar feeds read back with vobject (an independent parser, not the icalendar library that
wrote them): the RRULE survives, EXDATE drops the skip date, times stay 16:20 Asia/Shanghai, and
vobject's expansion of the series equals ours. The private feed needs no login and dies on reset."""

import datetime

import vobject
from django.urls import reverse

from jiaogong.activities import selectors, services
from jiaogong.activities.models import CalendarFeed
from jiaogong.activities.tests.conftest import at


def _parse(body: bytes):
    return vobject.readOne(body.decode("utf-8"))


def test_the_org_feed_carries_the_series_as_one_event_with_its_rrule(
    login, school_a, member_a, biweekly, make_activity, clock
):
    single = make_activity(
        title="教师节庆祝大会", kind="festival", starts_at=at(2026, 9, 10, 15), ends_at=at(2026, 9, 10, 17)
    )
    response = login(member_a).get(reverse("activities:org_feed", args=[school_a.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = _parse(response.content)
    events = {e.uid.value: e for e in cal.vevent_list}
    assert set(events) == {f"activity-{biweekly.pk}@jiaogong", f"activity-{single.pk}@jiaogong"}
    series = events[f"activity-{biweekly.pk}@jiaogong"]
    assert series.summary.value == "工会活动（每两周周五）"
    assert series.rrule.value == "FREQ=WEEKLY;UNTIL=20270115T155959Z;INTERVAL=2;BYDAY=FR"
    start = series.dtstart.value
    assert (start.hour, start.minute, start.utcoffset()) == (16, 20, datetime.timedelta(hours=8))
    assert b"DTSTART;TZID=Asia/Shanghai:20260904T162000" in response.content
    assert hasattr(cal, "vtimezone")
    assert [d.date() for d in series.exdate.value] == [datetime.date(2026, 10, 2)]


def test_vobjects_expansion_of_the_feed_equals_ours(login, school_a, member_a, biweekly, clock):
    cal = _parse(login(member_a).get(reverse("activities:org_feed", args=[school_a.pk])).content)
    theirs = [d for d in cal.vevent.getrruleset(addRDate=True)]
    ours = [
        o.starts_at
        for o in selectors.occurrences_between(
            school_a, datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
        )
    ]
    assert theirs == ours
    assert len(ours) == 9 and datetime.date(2026, 10, 2) not in {d.date() for d in theirs}
    assert all((d.hour, d.minute) == (16, 20) for d in theirs)


def test_the_api_feed_is_the_same_calendar(api, school_a, member_a, biweekly):
    response = api(member_a).get(f"/orgs/{school_a.pk}/calendar.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = _parse(response.content)
    assert cal.vevent.rrule.value.startswith("FREQ=WEEKLY")


def test_cancelled_activities_are_not_in_the_feed(login, school_a, member_a, organiser_a, make_activity):
    gone = make_activity(title="取消的比赛")
    services.cancel_activity(actor=organiser_a, org=school_a, activity=gone)
    cal = _parse(login(member_a).get(reverse("activities:org_feed", args=[school_a.pk])).content)
    assert not hasattr(cal, "vevent")


def test_the_private_feed_opens_without_login_and_marks_my_sign_ups(
    client, login, school_a, member_a, make_activity, clock
):
    match = make_activity(capacity=5)
    services.register(actor=member_a, org=school_a, activity=match)
    assert (
        login(member_a)
        .post(reverse("activities:subscribe", args=[school_a.pk]), {"action": "create"})
        .status_code
        == 302
    )
    feed = CalendarFeed.objects.get(member=member_a.member)
    client.logout()
    response = client.get(reverse("activities:member_feed", args=[feed.token]))
    assert response.status_code == 200
    assert _parse(response.content).vevent.summary.value == "【已报名】教职工羽毛球赛"


def test_the_subscribe_page_gives_a_webcal_link_and_reset_kills_the_old_address(
    client, login, school_a, member_a
):
    page = reverse("activities:subscribe", args=[school_a.pk])
    user_client = login(member_a)
    user_client.post(page, {"action": "create"})
    old = CalendarFeed.objects.get(member=member_a.member).token
    html = user_client.get(page).content.decode()
    assert f'href="webcal://testserver/calendar/feed/{old}.ics"' in html
    user_client.post(page, {"action": "reset"})
    new = CalendarFeed.objects.get(member=member_a.member).token
    assert new != old
    client.logout()
    assert client.get(reverse("activities:member_feed", args=[old])).status_code == 404
    assert client.get(reverse("activities:member_feed", args=[new])).status_code == 200


def test_a_wrong_or_departed_members_feed_is_404(client, login, school_a, member_a):
    login(member_a).post(reverse("activities:subscribe", args=[school_a.pk]), {"action": "create"})
    feed = CalendarFeed.objects.get(member=member_a.member)
    member = member_a.member
    member.status = "transferred"
    member.save()
    client.logout()
    assert client.get(reverse("activities:member_feed", args=[feed.token])).status_code == 404
    assert client.get(reverse("activities:member_feed", args=["nope"])).status_code == 404


def test_subscribing_needs_a_member_record(login, school_a, chair_a):
    assert login(chair_a).get(reverse("activities:subscribe", args=[school_a.pk])).status_code == 403


def test_an_outsider_cannot_read_the_org_feed(login, api, school_a, outsider_b):
    assert login(outsider_b).get(reverse("activities:org_feed", args=[school_a.pk])).status_code == 404
    assert api(outsider_b).get(f"/orgs/{school_a.pk}/calendar.ics").status_code == 404
