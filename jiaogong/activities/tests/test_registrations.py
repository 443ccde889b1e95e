"""Sign-ups: places, the waitlist in order, promotion when a confirmed member cancels, and the
refusals (past the deadline, cancelled, not a member, twice), each writing nothing."""

import pytest

from jiaogong.activities import services
from jiaogong.activities.models import Registration
from jiaogong.activities.tests.conftest import at, member_user
from jiaogong.core.audit import AuditEvent
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.members.models import Member


@pytest.fixture
def match(make_activity, clock):
    clock(at(2026, 9, 1, 9))
    return make_activity(capacity=2, registration_deadline=at(2026, 9, 15, 18))


def _people(org, n):
    return [member_user(org, f"会员{i}") for i in range(n)]


def test_members_are_confirmed_until_the_places_are_gone_then_waitlisted(school_a, match):
    people = _people(school_a, 4)
    statuses = [services.register(actor=u, org=school_a, activity=match).status for u in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]


def test_a_confirmed_member_cancelling_confirms_the_first_waitlisted(school_a, match):
    a, b, c, d = _people(school_a, 4)
    for u in (a, b, c, d):
        services.register(actor=u, org=school_a, activity=match)
    promoted = services.cancel_registration(actor=b, org=school_a, activity=match)
    assert promoted.member == c.member and promoted.status == "confirmed" and promoted.promoted_at
    live = {r.member_id: r.status for r in match.registrations.exclude(status="cancelled")}
    assert live == {a.member_id: "confirmed", c.member_id: "confirmed", d.member_id: "waitlisted"}


def test_the_promoted_member_is_notified(school_a, match):
    from jiaogong.notifications.models import Notification

    a, b, c = _people(school_a, 3)
    for u in (a, b, c):
        services.register(actor=u, org=school_a, activity=match)
    services.cancel_registration(actor=a, org=school_a, activity=match)
    note = Notification.objects.get(user=c)
    assert note.title == "候补转正：您已报名成功“教职工羽毛球赛”" and note.body == "9月18日 16:20。"
    assert note.url == f"/o/{school_a.pk}/activities/{match.pk}/"


def test_a_waitlisted_member_cancelling_promotes_nobody(school_a, match):
    a, b, c, d = _people(school_a, 4)
    for u in (a, b, c, d):
        services.register(actor=u, org=school_a, activity=match)
    assert services.cancel_registration(actor=c, org=school_a, activity=match) is None
    assert Registration.objects.get(activity=match, member=d.member).status == "waitlisted"


def test_raising_the_capacity_confirms_the_waiting_in_order(school_a, organiser_a, match):
    a, b, c, d = _people(school_a, 4)
    for u in (a, b, c, d):
        services.register(actor=u, org=school_a, activity=match)
    services.update_activity(actor=organiser_a, org=school_a, activity=match, capacity=3)
    assert Registration.objects.get(activity=match, member=c.member).status == "confirmed"
    assert Registration.objects.get(activity=match, member=d.member).status == "waitlisted"


def test_lowering_the_capacity_below_the_confirmed_is_refused(school_a, organiser_a, match):
    for u in _people(school_a, 2):
        services.register(actor=u, org=school_a, activity=match)
    with pytest.raises(InvalidInput) as e:
        services.update_activity(actor=organiser_a, org=school_a, activity=match, capacity=1)
    assert "名额不能少于 2" in e.value.fields["capacity"]
    match.refresh_from_db()
    assert match.capacity == 2


def test_a_member_who_cancelled_may_sign_up_again_at_the_end_of_the_line(school_a, match):
    a, b, c = _people(school_a, 3)
    for u in (a, b, c):
        services.register(actor=u, org=school_a, activity=match)
    services.cancel_registration(actor=a, org=school_a, activity=match)
    again = services.register(actor=a, org=school_a, activity=match)
    assert again.status == "waitlisted"


def test_registering_twice_is_refused(school_a, member_a, match):
    services.register(actor=member_a, org=school_a, activity=match)
    with pytest.raises(Conflict) as e:
        services.register(actor=member_a, org=school_a, activity=match)
    assert e.value.code == "already_registered" and "已经报过名" in e.value.message
    assert match.registrations.count() == 1


def test_registering_after_the_deadline_is_refused_in_chinese(school_a, member_a, match, clock):
    clock(at(2026, 9, 15, 18, 1))
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict) as e:
        services.register(actor=member_a, org=school_a, activity=match)
    assert (
        e.value.code == "deadline_passed"
        and e.value.message == "报名已于 2026-09-15 18:00 截止，不能再报名。"
    )
    assert not match.registrations.exists() and AuditEvent.objects.count() == before


def test_registering_for_a_cancelled_activity_is_refused(school_a, member_a, organiser_a, match):
    services.cancel_activity(actor=organiser_a, org=school_a, activity=match)
    with pytest.raises(Conflict) as e:
        services.register(actor=member_a, org=school_a, activity=match)
    assert e.value.code == "activity_cancelled" and "已取消" in e.value.message
    assert not match.registrations.exists()


def test_a_login_without_a_member_record_cannot_register(school_a, chair_a, match):
    with pytest.raises(DomainError) as e:
        services.register(actor=chair_a, org=school_a, activity=match)
    assert e.value.code == "not_a_member" and "没有关联本校会员档案" in e.value.message


def test_a_member_of_another_school_cannot_register(school_a, school_b, match):
    other = grant(UserFactory(member=MemberFactory(org=school_b)), school_a, "member")
    with pytest.raises(DomainError) as e:
        services.register(actor=other, org=school_a, activity=match)
    assert e.value.code == "not_a_member"


def test_a_transferred_member_cannot_register(school_a, match):
    gone = member_user(school_a, "调走了", status=Member.Status.TRANSFERRED)
    with pytest.raises(DomainError) as e:
        services.register(actor=gone, org=school_a, activity=match)
    assert "不是本会在册会员" in e.value.message


def test_an_activity_without_sign_ups_refuses_registration(school_a, member_a, make_activity):
    open_day = make_activity(title="健步走")
    with pytest.raises(Conflict) as e:
        services.register(actor=member_a, org=school_a, activity=open_day)
    assert e.value.code == "no_registration" and "不需要报名" in e.value.message


def test_a_single_activity_that_has_started_refuses_registration(
    school_a, member_a, match, organiser_a, clock
):
    services.update_activity(actor=organiser_a, org=school_a, activity=match, registration_deadline=None)
    clock(at(2026, 9, 18, 16, 30))
    with pytest.raises(Conflict) as e:
        services.register(actor=member_a, org=school_a, activity=match)
    assert e.value.code == "activity_started"


def test_cancelling_without_a_registration_is_refused(school_a, member_a, match):
    with pytest.raises(Conflict) as e:
        services.cancel_registration(actor=member_a, org=school_a, activity=match)
    assert e.value.code == "not_registered"


def test_a_series_takes_sign_ups_after_its_first_date(school_a, member_a, biweekly, organiser_a, clock):
    services.update_activity(actor=organiser_a, org=school_a, activity=biweekly, capacity=30)
    clock(at(2026, 10, 20, 9))
    assert services.register(actor=member_a, org=school_a, activity=biweekly).status == "confirmed"


# ---- the organiser withdraws a member's sign-up ------------------------------------------------------


def _withdraw_url(org, activity, reg):
    return f"/o/{org.pk}/activities/{activity.pk}/registrations/{reg.pk}/withdraw/"


def test_the_organiser_withdraws_a_sign_up_and_the_first_waitlisted_moves_up(
    login, school_a, organiser_a, match
):
    a, b, c = _people(school_a, 3)
    regs = [services.register(actor=u, org=school_a, activity=match) for u in (a, b, c)]
    page = login(organiser_a).get(f"/o/{school_a.pk}/activities/{match.pk}/")
    assert _withdraw_url(school_a, match, regs[0]) in page.content.decode()
    response = login(organiser_a).post(_withdraw_url(school_a, match, regs[0]))
    assert response.status_code == 302
    live = {r.member_id: r.status for r in match.registrations.exclude(status="cancelled")}
    assert live == {b.member_id: "confirmed", c.member_id: "confirmed"}
    event = AuditEvent.objects.get(action="activities.registration.cancel")
    assert event.actor == organiser_a and event.changes["promoted"] == [c.member_id]


def test_a_member_cannot_withdraw_someone_elses_sign_up(login, school_a, match):
    a, b = _people(school_a, 2)
    reg = services.register(actor=a, org=school_a, activity=match)
    assert login(b).post(_withdraw_url(school_a, match, reg)).status_code == 403
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"
    assert not login(b).get(f"/o/{school_a.pk}/activities/{match.pk}/").content.decode().count("/withdraw/")


def test_an_outsider_or_another_activitys_sign_up_is_a_404(
    login, school_a, outsider_b, organiser_a, match, make_activity
):
    (a,) = _people(school_a, 1)
    reg = services.register(actor=a, org=school_a, activity=match)
    assert login(outsider_b).post(_withdraw_url(school_a, match, reg)).status_code == 404
    other = make_activity(title="拔河比赛", capacity=5, registration_deadline=at(2026, 9, 15, 18))
    assert login(organiser_a).post(_withdraw_url(school_a, other, reg)).status_code == 404
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"


def test_withdrawing_a_withdrawn_sign_up_says_so_and_writes_nothing(login, school_a, organiser_a, match):
    (a,) = _people(school_a, 1)
    reg = services.register(actor=a, org=school_a, activity=match)
    client = login(organiser_a)
    client.post(_withdraw_url(school_a, match, reg))
    before = AuditEvent.objects.count()
    response = client.post(_withdraw_url(school_a, match, reg))
    assert response.status_code == 422 and "没有报名" in response.content.decode()
    assert AuditEvent.objects.count() == before
