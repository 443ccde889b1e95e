"""Care events and visits (五必访): reporting, assigning, recording the visit with its money through
the caps engine and onto the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.core.rules import set_org_value
from jiaogong.factories import MemberFactory
from jiaogong.funds.models import Benefit, LedgerEntry
from jiaogong.welfare import selectors, services
from jiaogong.welfare.models import CareEvent, Visit, VisitPhoto

D = Decimal


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def event(school_a, member_a, colleague, today):
    return services.report_event(
        actor=member_a, org=school_a, member=colleague, kind="hospitalized", occurred_on=today, note="县医院"
    )


@pytest.fixture
def assigned(event, school_a, welfare_a, leader_a):
    return services.assign_visitor(actor=welfare_a, org=school_a, event=event, visitor=leader_a.member)


def visit(actor, org, event, today, **kwargs):
    data = {"visited_on": today, "visitors": [event.visitor_id or actor.member_id]} | kwargs
    return services.record_visit(actor=actor, org=org, event=event, **data)


def counts():
    return (
        Visit.objects.count(),
        Benefit.objects.count(),
        LedgerEntry.objects.count(),
        VisitPhoto.objects.count(),
    )


# ---- reporting ----------------------------------------------------------------------------------------


def test_a_member_reports_a_colleague_and_the_visit_is_due_in_seven_days(event, today):
    assert event.status == CareEvent.Status.NEW
    assert event.visit_due_on == today + datetime.timedelta(days=7)
    assert AuditEvent.objects.filter(action="welfare.event.report", object_id=str(event.pk)).exists()


def test_the_due_days_follow_the_schools_rule(school_a, chair_a, member_a, colleague, today):
    set_org_value(
        actor=chair_a, org=school_a, key="welfare.visit_due_days", text="3", source="工会委员会决定"
    )
    event = services.report_event(
        actor=member_a, org=school_a, member=colleague, kind="marriage", occurred_on=today
    )
    assert event.visit_due_on == today + datetime.timedelta(days=3)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"occurred_on": None}, "occurred_on"),
        ({"note": "长" * 201}, "note"),
    ],
)
def test_a_bad_report_writes_nothing(school_a, member_a, colleague, today, change, field):
    data = {"member": colleague, "kind": "hospitalized", "occurred_on": today} | change
    with pytest.raises(InvalidInput) as e:
        services.report_event(actor=member_a, org=school_a, **data)
    assert field in e.value.fields
    assert CareEvent.objects.count() == 0


def test_a_member_of_another_school_cannot_be_reported(school_a, school_b, member_a, today):
    stranger = MemberFactory(org=school_b)
    with pytest.raises(InvalidInput) as e:
        services.report_event(
            actor=member_a, org=school_a, member=stranger, kind="marriage", occurred_on=today
        )
    assert "member" in e.value.fields
    assert CareEvent.objects.count() == 0


# ---- assigning ----------------------------------------------------------------------------------------


def test_the_default_visitor_is_the_members_group_leader(event, leader_a):
    assert selectors.group_leader_of(event.member) == leader_a.member


def test_the_welfare_member_assigns_the_group_leader(assigned, leader_a):
    assert assigned.status == CareEvent.Status.ASSIGNED
    assert assigned.visitor == leader_a.member
    assert AuditEvent.objects.filter(action="welfare.event.assign").exists()


def test_a_committee_member_may_be_assigned(event, school_a, welfare_a, committee_member, today):
    due = today + datetime.timedelta(days=3)
    got = services.assign_visitor(
        actor=welfare_a, org=school_a, event=event, visitor=committee_member, due_on=due
    )
    assert (got.visitor, got.visit_due_on) == (committee_member, due)


def test_a_plain_member_cannot_be_assigned_and_nothing_changes(event, school_a, welfare_a, colleague):
    other = MemberFactory(org=school_a, name="赵老师")
    with pytest.raises(InvalidInput) as e:
        services.assign_visitor(actor=welfare_a, org=school_a, event=event, visitor=other)
    assert "不是工会小组长或工会委员" in e.value.fields["visitor"]
    event.refresh_from_db()
    assert (event.status, event.visitor_id) == (CareEvent.Status.NEW, None)


# ---- visits and the caps engine ------------------------------------------------------------------------


def test_the_visitor_records_the_visit_with_money_posted_to_the_ledger(
    assigned, school_a, leader_a, today, png
):
    v = visit(leader_a, school_a, assigned, today, form="cash", amount="800", photo=png(), note="到医院看望")
    assigned.refresh_from_db()
    assert assigned.status == CareEvent.Status.VISITED
    assert v.amount == D("800.00")
    assert v.benefit.kind == "hospital"
    entry = v.benefit.entry
    assert (entry.kind, entry.category, entry.subcategory, entry.amount) == (
        "expense",
        "维权支出",
        "送温暖",
        D("800.00"),
    )
    assert entry.payee == assigned.member.name
    assert v.photos.get().content_type == "image/png"
    assert AuditEvent.objects.filter(action="welfare.visit.record", object_id=str(v.pk)).exists()


def test_exactly_at_the_cap_is_accepted(assigned, school_a, leader_a, today):
    v = visit(leader_a, school_a, assigned, today, form="cash", amount="1000.00")
    assert v.benefit.amount == D("1000.00")


def test_one_fen_above_the_cap_is_refused_with_the_rule_and_nothing_is_written(
    assigned, school_a, leader_a, today, png
):
    before = counts()
    with pytest.raises(DomainError) as e:
        visit(leader_a, school_a, assigned, today, form="cash", amount="1000.01", photo=png())
    assert e.value.code == "cap_exceeded"
    assert "生病住院慰问每次不超过 1000.00 元" in e.value.message
    assert e.value.extra["remaining"] == "1000.00"
    assert counts() == before
    assigned.refresh_from_db()
    assert assigned.status == CareEvent.Status.ASSIGNED


def test_surgery_uses_its_own_cap_where_the_province_sets_one(school_a, chair_a, assigned, leader_a, today):
    set_org_value(actor=chair_a, org=school_a, key="caps.hospital", text="500", source="福建省2018年规定")
    with pytest.raises(DomainError):
        visit(leader_a, school_a, assigned, today, form="cash", amount="800")
    v = visit(leader_a, school_a, assigned, today, form="cash", amount="800", caps_kind="hospital_surgery")
    assert v.benefit.kind == "hospital_surgery"


def test_a_souvenir_is_not_a_form_for_a_hospital_visit(assigned, school_a, leader_a, today):
    with pytest.raises(DomainError) as e:
        visit(leader_a, school_a, assigned, today, form="souvenir", amount="100")
    assert e.value.code == "form_not_allowed"
    assert Visit.objects.count() == 0


def test_the_chair_overrides_the_cap_with_a_reason(assigned, school_a, chair_a, today):
    v = visit(
        chair_a,
        school_a,
        assigned,
        today,
        form="cash",
        amount="1500",
        override_reason="重大手术，委员会研究同意",
    )
    assert v.benefit.override_reason == "重大手术，委员会研究同意"
    assert v.benefit.overridden_by == chair_a


def test_the_welfare_member_cannot_override(assigned, school_a, welfare_a, today):
    with pytest.raises(InvalidInput) as e:
        visit(welfare_a, school_a, assigned, today, form="cash", amount="1500", override_reason="我同意")
    assert "override_reason" in e.value.fields
    assert Visit.objects.count() == 0


def test_a_visit_without_money_books_nothing(assigned, school_a, welfare_a, leader_a, today):
    v = visit(leader_a, school_a, assigned, today, amount="", form="")
    assert v.benefit is None and v.amount is None
    wedding = services.report_event(
        actor=leader_a, org=school_a, member=assigned.member, kind="marriage", occurred_on=today
    )
    wedding = services.assign_visitor(actor=welfare_a, org=school_a, event=wedding, visitor=leader_a.member)
    assert visit(leader_a, school_a, wedding, today, amount="0").benefit is None
    assert LedgerEntry.objects.count() == 0 and Benefit.objects.count() == 0


def test_money_without_a_form_is_refused(assigned, school_a, leader_a, today):
    with pytest.raises(InvalidInput) as e:
        visit(leader_a, school_a, assigned, today, amount="300", form="")
    assert "form" in e.value.fields
    assert counts() == (0, 0, 0, 0)


def test_a_photo_that_is_not_a_jpg_or_png_is_refused(assigned, school_a, leader_a, today, not_an_image):
    with pytest.raises(InvalidInput) as e:
        visit(leader_a, school_a, assigned, today, form="cash", amount="300", photo=not_an_image)
    assert "JPG 或 PNG" in e.value.fields["photo"]
    assert counts() == (0, 0, 0, 0)


def test_a_future_visit_date_is_refused(assigned, school_a, leader_a, today):
    with pytest.raises(InvalidInput) as e:
        visit(leader_a, school_a, assigned, today + datetime.timedelta(days=1))
    assert "visited_on" in e.value.fields


def test_someone_not_assigned_cannot_record_the_visit(assigned, school_a, member_a, today):
    with pytest.raises(PermissionDenied):
        visit(member_a, school_a, assigned, today, visitors=[member_a.member_id])
    assert Visit.objects.count() == 0


def test_a_second_visit_is_a_conflict(assigned, school_a, leader_a, today):
    visit(leader_a, school_a, assigned, today)
    with pytest.raises(Conflict):
        visit(leader_a, school_a, assigned, today)
    assert Visit.objects.count() == 1


def test_hardship_has_no_cap_until_the_school_sets_one_and_books_to_kunnan_bangfu(
    school_a, chair_a, welfare_a, colleague, today
):
    def hardship_visit(amount):
        e = services.report_event(
            actor=welfare_a, org=school_a, member=colleague, kind="hardship", occurred_on=today
        )
        return visit(welfare_a, school_a, e, today, form="cash", amount=amount)

    v = hardship_visit("5000")
    assert (v.benefit.kind, v.benefit.entry.category, v.benefit.entry.subcategory) == (
        "hardship",
        "维权支出",
        "困难帮扶",
    )
    set_org_value(actor=chair_a, org=school_a, key="caps.hardship", text="2000", source="本校送温暖办法")
    assert hardship_visit("2000").benefit.amount == D("2000.00")
    with pytest.raises(DomainError) as e:
        hardship_visit("2000.01")
    assert e.value.code == "cap_exceeded"


def test_ledger_postings_equal_the_visits(school_a, welfare_a, colleague, leader_a, today):
    amounts = ["500", "", "1000", "0.01", "600"]
    kinds = ["hospitalized", "marriage", "death_relative", "childbirth", "marriage"]
    forms = ["cash", "", "cash", "goods", "goods"]
    for kind, form, amount in zip(kinds, forms, amounts, strict=True):
        e = services.report_event(
            actor=welfare_a, org=school_a, member=colleague, kind=kind, occurred_on=today
        )
        visit(welfare_a, school_a, e, today, form=form, amount=amount)
    visits = Visit.objects.filter(org=school_a)
    booked = LedgerEntry.objects.filter(org=school_a, kind="expense")
    assert sum((v.amount or 0 for v in visits), D(0)) == sum((x.amount for x in booked), D(0)) == D("2100.01")
    assert sorted(booked.values_list("pk", flat=True)) == sorted(
        visits.exclude(benefit=None).values_list("benefit__entry_id", flat=True)
    )


def test_the_visit_is_append_only_at_the_database(assigned, school_a, leader_a, today):
    from django.db import IntegrityError, transaction

    v = visit(leader_a, school_a, assigned, today)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=v.pk).update(note="改过")
