"""QR check-in: on the day only, within an hour before the start to an hour after the end, once a
day, for members of this union; the organiser's roster adds and removes; the activity counts as
held from its first attendance."""

import datetime

import pytest
from django.urls import reverse

from jiaogong.activities import services
from jiaogong.activities.models import Attendance
from jiaogong.activities.tests.conftest import at, member_user
from jiaogong.core.errors import Conflict, DomainError, InvalidInput


def test_a_member_checks_in_during_the_window(school_a, member_a, biweekly, clock):
    clock(at(2026, 9, 18, 16, 5))
    attendance = services.check_in(actor=member_a, org=school_a, activity=biweekly)
    assert (attendance.occurs_on, attendance.method, attendance.member) == (
        datetime.date(2026, 9, 18),
        "qr",
        member_a.member,
    )
    biweekly.refresh_from_db()
    assert biweekly.status == "held"


@pytest.mark.parametrize(
    "when, code",
    [
        (at(2026, 9, 18, 15, 19), "too_early"),
        (at(2026, 9, 18, 18, 1), "too_late"),
        (at(2026, 9, 11, 16, 30), "not_today"),  # the off week
        (at(2026, 10, 2, 16, 30), "not_today"),  # a skip date (国庆)
    ],
)
def test_check_in_outside_the_window_is_refused(school_a, member_a, biweekly, clock, when, code):
    clock(when)
    with pytest.raises(Conflict) as e:
        services.check_in(actor=member_a, org=school_a, activity=biweekly)
    assert e.value.code == code
    assert not Attendance.objects.exists()


def test_the_window_edges_are_open(school_a, member_a, organiser_a, biweekly, clock):
    clock(at(2026, 9, 18, 15, 20))
    services.check_in(actor=member_a, org=school_a, activity=biweekly)
    clock(at(2026, 9, 18, 18, 0))
    services.check_in(actor=organiser_a, org=school_a, activity=biweekly)
    assert Attendance.objects.count() == 2


def test_a_second_scan_the_same_day_is_refused_kindly(school_a, member_a, biweekly, clock):
    clock(at(2026, 9, 18, 16, 25))
    services.check_in(actor=member_a, org=school_a, activity=biweekly)
    with pytest.raises(Conflict) as e:
        services.check_in(actor=member_a, org=school_a, activity=biweekly)
    assert e.value.message == "张三，您今天已经签到过了。"
    clock(at(2026, 10, 16, 16, 25))
    services.check_in(actor=member_a, org=school_a, activity=biweekly)
    assert Attendance.objects.filter(member=member_a.member).count() == 2


def test_a_login_without_a_member_record_cannot_check_in(school_a, chair_a, biweekly, clock):
    clock(at(2026, 9, 18, 16, 25))
    with pytest.raises(DomainError) as e:
        services.check_in(actor=chair_a, org=school_a, activity=biweekly)
    assert e.value.code == "not_a_member"


def test_the_checkin_page_shows_the_button_then_the_success(login, school_a, member_a, biweekly, clock):
    clock(at(2026, 9, 18, 16, 25))
    client = login(member_a)
    url = reverse("activities:checkin", args=[school_a.pk, biweekly.checkin_token])
    assert ">签到</button>" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    html = client.get(url).content.decode()
    assert "张三，签到成功" in html and ">签到</button>" not in html
    again = client.post(url)
    assert again.status_code == 422 and "您今天已经签到过了" in again.content.decode()


def test_the_checkin_page_says_when_it_opens(login, school_a, member_a, biweekly, clock):
    clock(at(2026, 9, 18, 9, 0))
    html = (
        login(member_a)
        .get(reverse("activities:checkin", args=[school_a.pk, biweekly.checkin_token]))
        .content.decode()
    )
    assert "签到时间：15:20–18:00。" in html


def test_the_roster_adds_ticked_members_and_removes_unticked_ones(
    login, school_a, member_a, organiser_a, biweekly, clock, group_a
):
    clock(at(2026, 9, 18, 16, 25))
    services.check_in(actor=member_a, org=school_a, activity=biweekly)
    other = member_user(school_a, "李四", group_a)
    url = reverse("activities:roster", args=[school_a.pk, biweekly.pk])
    html = login(organiser_a).get(url).content.decode()
    assert "扫码签到" in html and 'value="2026-09-18" selected' in html
    response = login(organiser_a).post(url, {"day": "2026-09-18", "present": [str(other.member_id)]})
    assert response.status_code == 302
    rows = {a.member_id: a.method for a in Attendance.objects.filter(occurs_on=datetime.date(2026, 9, 18))}
    assert rows == {other.member_id: "manual"}


def test_the_roster_refuses_a_day_without_the_activity_and_strangers(
    school_a, school_b, organiser_a, biweekly, clock
):
    from jiaogong.factories import MemberFactory

    clock(at(2026, 9, 30, 9))
    with pytest.raises(InvalidInput) as e:
        services.set_attendance(
            actor=organiser_a, org=school_a, activity=biweekly, day=datetime.date(2026, 9, 11), member_ids=[]
        )
    assert e.value.fields == {"day": "这一天没有这项活动。"}
    stranger = MemberFactory(org=school_b)
    with pytest.raises(InvalidInput) as e:
        services.set_attendance(
            actor=organiser_a,
            org=school_a,
            activity=biweekly,
            day=datetime.date(2026, 9, 18),
            member_ids=[stranger.pk],
        )
    assert "不属于本会" in e.value.fields["members"]
    assert not Attendance.objects.exists()


def test_the_roster_refuses_a_future_occurrence(school_a, organiser_a, member_a, biweekly, clock):
    clock(at(2026, 9, 10, 9))
    with pytest.raises(InvalidInput) as e:
        services.set_attendance(
            actor=organiser_a,
            org=school_a,
            activity=biweekly,
            day=datetime.date(2026, 9, 18),
            member_ids=[member_a.member_id],
        )
    assert "还没有举行" in e.value.fields["day"]


def test_the_organiser_sees_the_qr_code_of_the_checkin_url(
    login, school_a, organiser_a, member_a, biweekly, clock
):
    clock(at(2026, 9, 18, 16, 0))
    html = (
        login(organiser_a).get(reverse("activities:detail", args=[school_a.pk, biweekly.pk])).content.decode()
    )
    assert "<svg" in html and f"/activities/checkin/{biweekly.checkin_token}/" in html
    member_html = (
        login(member_a).get(reverse("activities:detail", args=[school_a.pk, biweekly.pk])).content.decode()
    )
    assert "<svg" not in member_html and "今天的签到" in member_html
