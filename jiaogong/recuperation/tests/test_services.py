"""疗休养 writes: plans, applying, the quota, the queue, rejection, the record of who went."""

import datetime

import pytest

from jiaogong.core.audit import AuditEvent
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import RuleValue
from jiaogong.recuperation import selectors, services
from jiaogong.recuperation.models import Application, Batch, Plan, Trip

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_a_plan_is_created_and_audited(school_a, welfare_a, today):
    plan = services.create_plan(
        actor=welfare_a, org=school_a, year=today.year, quota=6, opens_on=today, closes_on=today + DAY
    )
    assert plan.title == f"{today.year}年度职工疗休养"
    assert AuditEvent.objects.filter(action="recuperation.plan.create", object_id=str(plan.pk)).exists()


def test_a_bad_plan_writes_nothing_and_says_why_in_chinese(school_a, welfare_a, today):
    with pytest.raises(InvalidInput) as e:
        services.create_plan(
            actor=welfare_a, org=school_a, year="abc", quota="0", opens_on=today, closes_on=today - DAY
        )
    assert set(e.value.fields) == {"year", "quota", "closes_on"}
    assert e.value.fields["quota"] == "名额应为正整数。"
    assert Plan.objects.count() == 0


def test_a_second_plan_for_the_same_year_is_refused(plan_a, school_a, welfare_a, today):
    with pytest.raises(InvalidInput) as e:
        services.create_plan(
            actor=welfare_a, org=school_a, year=today.year, quota=3, opens_on=today, closes_on=today
        )
    assert "已经建立" in e.value.fields["year"]
    assert Plan.objects.count() == 1


def test_batches_cannot_hold_more_places_than_the_quota(plan_a, welfare_a, today):
    services.add_batch(actor=welfare_a, plan=plan_a, name="第一批", starts_on=today, ends_on=today, places=2)
    with pytest.raises(InvalidInput) as e:
        services.add_batch(
            actor=welfare_a, plan=plan_a, name="第二批", starts_on=today, ends_on=today, places=1
        )
    assert e.value.fields["places"] == "各批次名额合计 3 人，超过计划名额 2 人。"
    assert Batch.objects.count() == 1


def test_an_eligible_member_applies_once(plan_a, member_a, today):
    application = services.apply(actor=member_a, plan=plan_a, member=member_a.member, today=today)
    assert application.status == "applied"
    assert AuditEvent.objects.filter(action="recuperation.application.create").count() == 1
    with pytest.raises(Conflict):
        services.apply(actor=member_a, plan=plan_a, member=member_a.member, today=today)
    assert Application.objects.count() == 1


def test_a_member_who_went_two_years_ago_is_refused_with_the_reason(
    plan_a, member_a, welfare_a, school_a, today
):
    services.record_trip(actor=welfare_a, org=school_a, member=member_a.member, went_on=today - 730 * DAY)
    with pytest.raises(DomainError) as e:
        services.apply(actor=member_a, plan=plan_a, member=member_a.member, today=today)
    assert e.value.code == "not_eligible"
    assert "不满 3 年" in e.value.message
    assert Application.objects.count() == 0


def test_a_member_without_a_hire_date_is_refused(plan_a, veteran, member_a, today):
    m = veteran("无档案", hired=None)
    with pytest.raises(DomainError) as e:
        services.apply(actor=member_a, plan=plan_a, member=m, today=today)
    assert "未登记入职日期" in e.value.message
    assert Application.objects.count() == 0


def test_applying_outside_the_window_is_refused(plan_a, member_a, today):
    with pytest.raises(DomainError) as e:
        services.apply(actor=member_a, plan=plan_a, member=member_a.member, today=plan_a.closes_on + DAY)
    assert e.value.code == "window_closed"
    assert Application.objects.count() == 0


def test_the_service_years_parameter_is_read_for_the_org(plan_a, veteran, member_a, school_a, today):
    m = veteran("新老师", hired=today.replace(year=today.year - 6))
    RuleValue.objects.create(key="recuperation.min_service_years", scope="org", org=school_a, value=8)
    with pytest.raises(DomainError) as e:
        services.apply(actor=member_a, plan=plan_a, member=m, today=today)
    assert "不足 8 年" in e.value.message


def test_a_withdrawn_application_leaves_the_queue_and_may_be_made_again(plan_a, member_a, today):
    a = services.apply(actor=member_a, plan=plan_a, member=member_a.member, today=today)
    services.withdraw(actor=member_a, application=a)
    assert selectors.queue(plan_a, today) == []
    with pytest.raises(Conflict):
        services.withdraw(actor=member_a, application=a)
    assert (
        services.apply(actor=member_a, plan=plan_a, member=member_a.member, today=today).status == "applied"
    )


def _queue(plan, veteran, actor, school, today):
    """Four applicants: never been (hired 2000), never been (hired 2010), went 5 years ago, went 4 years ago."""
    people = [veteran("甲", hired=datetime.date(2010, 9, 1)), veteran("乙", hired=datetime.date(2000, 9, 1))]
    went5, went4 = veteran("丙"), veteran("丁")
    services.record_trip(actor=actor, org=school, member=went5, went_on=today.replace(year=today.year - 5))
    services.record_trip(actor=actor, org=school, member=went4, went_on=today.replace(year=today.year - 4))
    for m in [went4, *people, went5]:
        services.apply(actor=actor, plan=plan, member=m, today=today)
    return [row["member"].name for row in selectors.queue(plan, today)]


def test_the_queue_is_in_the_fair_order_with_positions(plan_a, veteran, welfare_a, school_a, today):
    assert _queue(plan_a, veteran, welfare_a, school_a, today) == ["乙", "甲", "丙", "丁"]
    rows = selectors.queue(plan_a, today)
    assert [r["position"] for r in rows] == [1, 2, 3, 4]
    assert selectors.position_of(rows[2]["application"], today) == (3, 4)


def test_approving_the_top_of_the_queue_records_who_went_as_their_last_time(
    plan_a, veteran, welfare_a, school_a, today
):
    _queue(plan_a, veteran, welfare_a, school_a, today)
    went_on = today + 30 * DAY
    trips = services.approve_top(actor=welfare_a, plan=plan_a, count=2, today=today, went_on=went_on)
    assert [t.member.name for t in trips] == ["乙", "甲"]
    assert {t.application.status for t in trips} == {"approved"}
    assert selectors.last_time(trips[0].member) == went_on
    assert AuditEvent.objects.filter(action="recuperation.application.approve").count() == 2
    ok, reasons = selectors.eligibility(trips[0].member, today + 365 * DAY)
    assert not ok and "不满 3 年" in reasons[0]


def test_approving_over_the_quota_is_refused_and_writes_nothing(plan_a, veteran, welfare_a, school_a, today):
    _queue(plan_a, veteran, welfare_a, school_a, today)
    with pytest.raises(DomainError) as e:
        services.approve_top(actor=welfare_a, plan=plan_a, count=3, today=today, went_on=today)
    assert e.value.code == "over_quota"
    assert e.value.message == "本年度名额 2 人，已批准 0 人，只剩 2 个名额，不能再批准 3 人。"
    assert Trip.objects.filter(plan=plan_a).count() == 0
    assert Application.objects.filter(status="approved").count() == 0
    services.approve_top(actor=welfare_a, plan=plan_a, count=2, today=today, went_on=today)
    last = selectors.queue(plan_a, today)[0]["application"]
    with pytest.raises(DomainError) as e:
        services.approve(actor=welfare_a, plan=plan_a, applications=[last], today=today, went_on=today)
    assert "只剩 0 个名额" in e.value.message
    assert Trip.objects.filter(plan=plan_a).count() == 2


def test_a_batch_gives_the_date_and_cannot_take_more_than_its_places(
    plan_a, veteran, welfare_a, school_a, today
):
    _queue(plan_a, veteran, welfare_a, school_a, today)
    batch = services.add_batch(
        actor=welfare_a,
        plan=plan_a,
        name="第一批",
        starts_on=today + 40 * DAY,
        ends_on=today + 44 * DAY,
        places=1,
    )
    with pytest.raises(DomainError) as e:
        services.approve_top(actor=welfare_a, plan=plan_a, count=2, today=today, batch=batch)
    assert e.value.code == "over_batch"
    (trip,) = services.approve_top(actor=welfare_a, plan=plan_a, count=1, today=today, batch=batch)
    assert trip.went_on == batch.starts_on and trip.batch == batch


def test_approval_needs_a_batch_or_a_date(plan_a, veteran, welfare_a, school_a, today):
    _queue(plan_a, veteran, welfare_a, school_a, today)
    with pytest.raises(InvalidInput) as e:
        services.approve_top(actor=welfare_a, plan=plan_a, count=1, today=today)
    assert e.value.fields["went_on"] == "请选择批次，或填写出发日期。"
    assert Trip.objects.filter(plan=plan_a).count() == 0


def test_a_rejection_needs_a_reason(plan_a, member_a, welfare_a, today):
    a = services.apply(actor=member_a, plan=plan_a, member=member_a.member, today=today)
    with pytest.raises(InvalidInput):
        services.reject(actor=welfare_a, application=a, reason="  ")
    a.refresh_from_db()
    assert a.status == "applied"
    services.reject(actor=welfare_a, application=a, reason="本年度已参加县总工会组织的疗休养")
    a.refresh_from_db()
    assert a.status == "rejected" and a.decided_by == welfare_a
    assert AuditEvent.objects.filter(action="recuperation.application.reject").count() == 1


def test_a_future_trip_cannot_be_recorded_by_hand(school_a, welfare_a, member_a, today):
    with pytest.raises(InvalidInput):
        services.record_trip(actor=welfare_a, org=school_a, member=member_a.member, went_on=today + DAY)
    assert Trip.objects.count() == 0


def test_another_orgs_member_cannot_apply_or_be_recorded(plan_a, school_b, welfare_a, school_a, today):
    from jiaogong.factories import MemberFactory

    stranger = MemberFactory(org=school_b, name="外校")
    with pytest.raises(DomainError):
        services.apply(actor=welfare_a, plan=plan_a, member=stranger, today=today)
    with pytest.raises(DomainError):
        services.record_trip(actor=welfare_a, org=school_a, member=stranger, went_on=today)
    assert Application.objects.count() == Trip.objects.count() == 0


def test_the_parameters_are_in_the_catalogue_with_their_sources_and_defaults(school_a):
    from jiaogong.core.rules import G_WELFARE, RULES

    keys = ["recuperation.years_since_last", "recuperation.min_service_years", "recuperation.min_age"]
    for key in [*keys, "recuperation.retirees_eligible"]:
        assert RULES[key].group == G_WELFARE and "疗休养" in RULES[key].source
    assert selectors.params_of(school_a) == selectors.rules.Params(3, 5, 0, False)


def test_a_rejection_reason_that_is_too_long_writes_nothing(plan_a, member_a, welfare_a, today):
    a = services.apply(actor=member_a, plan=plan_a, member=member_a.member, today=today)
    with pytest.raises(InvalidInput):
        services.reject(actor=welfare_a, application=a, reason="长" * 201)
    a.refresh_from_db()
    assert a.status == "applied" and a.reason == ""
