"""Plans, enrolment, claims: checked, written whole or not at all, audited, never on the ledger."""

import datetime
from decimal import Decimal

import pytest

from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory
from jiaogong.funds.models import LedgerEntry
from jiaogong.mutual_aid import selectors, services
from jiaogong.mutual_aid.models import Claim, Enrolment, Plan


def test_enrolling_all_takes_the_active_members_only(enrolled, plan_a):
    assert sorted(e.member.name for e in selectors.enrolments(plan_a)) == ["张三", "陈静"]
    assert selectors.premium_total(plan_a) == {"count": 2, "total": Decimal("100.00")}


def test_enrolment_is_audited(enrolled, plan_a):
    event = AuditEvent.objects.get(action="mutual_aid.enrolment.add")
    assert len(event.changes["members"]) == 2 and event.changes["all_active"] is True


def test_enrolling_all_twice_says_nobody_is_left(enrolled, plan_a, welfare_a):
    with pytest.raises(Conflict):
        services.enrol(actor=welfare_a, plan=plan_a)


def test_enrolling_chosen_members(plan_a, welfare_a, staff):
    services.enrol(actor=welfare_a, plan=plan_a, members=[staff["she"].pk])
    assert [e.member.name for e in selectors.enrolments(plan_a)] == ["陈静"]


@pytest.mark.parametrize("who", ["retired", "twice", "other_school", "nobody"])
def test_a_bad_choice_enrols_nobody(plan_a, welfare_a, staff, school_b, who):
    services.enrol(actor=welfare_a, plan=plan_a, members=[staff["she"]])
    chosen = {
        "retired": [staff["retired"].pk],
        "twice": [staff["she"].pk],
        "other_school": [MemberFactory(org=school_b).pk],
        "nobody": [],
    }[who]
    new = MemberFactory(org=plan_a.org, name="新老师")
    with pytest.raises(InvalidInput) as e:
        services.enrol(actor=welfare_a, plan=plan_a, members=[new.pk, *chosen] if chosen else [])
    assert e.value.fields["members"]
    assert Enrolment.objects.count() == 1


def test_a_bad_plan_is_refused_in_chinese_and_nothing_written(school_a, welfare_a, day):
    with pytest.raises(InvalidInput) as e:
        services.create_plan(
            actor=welfare_a,
            org=school_a,
            name="",
            year="x",
            premium="-1",
            covers_from=day,
            covers_to=day - datetime.timedelta(days=1),
        )
    assert set(e.value.fields) == {"name", "year", "premium", "covers_to"}
    assert Plan.objects.count() == 0


def test_the_same_plan_twice_in_a_year_is_refused(plan_a, school_a, welfare_a, day):
    with pytest.raises(InvalidInput) as e:
        services.create_plan(
            actor=welfare_a,
            org=school_a,
            name=plan_a.name,
            year=day.year,
            premium="50",
            covers_from=day,
            covers_to=day,
        )
    assert "已有" in e.value.fields["name"]


def test_withdrawing_is_audited(enrolled, plan_a, welfare_a):
    services.withdraw(actor=welfare_a, enrolment=enrolled[0])
    assert Enrolment.objects.count() == 1
    assert AuditEvent.objects.filter(action="mutual_aid.enrolment.withdraw").count() == 1


def test_withdrawing_someone_with_a_claim_is_refused(claim_a, plan_a, welfare_a, member_a):
    enrolment = Enrolment.objects.get(plan=plan_a, member=member_a.member)
    with pytest.raises(Conflict):
        services.withdraw(actor=welfare_a, enrolment=enrolment)
    assert Enrolment.objects.count() == 2


def test_a_claim_is_submitted_and_audited(claim_a):
    assert claim_a.status == "submitted" and claim_a.amount_claimed == Decimal("2000.00")
    assert AuditEvent.objects.filter(action="mutual_aid.claim.submit", object_id=str(claim_a.pk)).exists()


def test_a_claim_for_a_member_not_enrolled_is_refused(plan_a, welfare_a, staff, day):
    with pytest.raises(InvalidInput) as e:
        services.submit_claim(
            actor=welfare_a,
            plan=plan_a,
            member=staff["she"],
            event_on=day,
            kind="hospital",
            amount_claimed="100",
        )
    assert "未参加" in e.value.fields["member"]
    assert Claim.objects.count() == 0


def test_a_claim_the_day_before_the_period_is_refused_and_on_its_first_day_accepted(
    enrolled, plan_a, welfare_a, member_a
):
    with pytest.raises(InvalidInput) as e:
        services.submit_claim(
            actor=welfare_a,
            plan=plan_a,
            member=member_a.member,
            event_on=plan_a.covers_from - datetime.timedelta(days=1),
            kind="accident",
            amount_claimed="100",
        )
    assert "不在保障期内" in e.value.fields["event_on"]
    assert Claim.objects.count() == 0
    services.submit_claim(
        actor=welfare_a,
        plan=plan_a,
        member=member_a.member,
        event_on=plan_a.covers_from,
        kind="accident",
        amount_claimed="100",
    )
    assert Claim.objects.count() == 1


def test_a_future_event_is_refused(enrolled, plan_a, welfare_a, member_a, day):
    with pytest.raises(InvalidInput) as e:
        services.submit_claim(
            actor=welfare_a,
            plan=plan_a,
            member=member_a.member,
            event_on=day + datetime.timedelta(days=1),
            kind="hospital",
            amount_claimed="100",
        )
    assert "不能晚于今天" in e.value.fields["event_on"]


def test_paying_a_claim_records_amount_and_date_and_is_audited(claim_a, welfare_a, day):
    services.pay_claim(actor=welfare_a, claim=claim_a, amount_paid="1600", paid_on=day)
    claim_a.refresh_from_db()
    assert (claim_a.status, claim_a.amount_paid, claim_a.paid_on) == ("paid", Decimal("1600.00"), day)
    assert AuditEvent.objects.filter(action="mutual_aid.claim.pay").exists()


def test_paying_more_than_claimed_is_refused_and_nothing_changes(claim_a, welfare_a, day):
    with pytest.raises(InvalidInput) as e:
        services.pay_claim(actor=welfare_a, claim=claim_a, amount_paid="2000.01", paid_on=day)
    assert "不能超过申请金额" in e.value.fields["amount_paid"]
    claim_a.refresh_from_db()
    assert claim_a.status == "submitted" and claim_a.amount_paid is None


def test_refusing_needs_a_reason(claim_a, welfare_a):
    with pytest.raises(InvalidInput):
        services.refuse_claim(actor=welfare_a, claim=claim_a, reason=" ")
    services.refuse_claim(actor=welfare_a, claim=claim_a, reason="不属于保障范围")
    claim_a.refresh_from_db()
    assert (claim_a.status, claim_a.reason) == ("refused", "不属于保障范围")


def test_a_decided_claim_cannot_be_decided_again(claim_a, welfare_a, day):
    services.refuse_claim(actor=welfare_a, claim=claim_a, reason="材料不全")
    with pytest.raises(Conflict):
        services.pay_claim(actor=welfare_a, claim=claim_a, amount_paid="100", paid_on=day)


def test_nothing_of_mutual_aid_is_posted_to_the_ledger(claim_a, welfare_a, day):
    services.pay_claim(actor=welfare_a, claim=claim_a, amount_paid="1600", paid_on=day)
    assert LedgerEntry.objects.count() == 0
