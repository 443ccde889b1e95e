"""Reads: the database lists agree with the pure rules; search; the committee checks; privacy."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from jiaogong.core.models import AuditEvent
from jiaogong.demo import generate_school
from jiaogong.factories import MemberFactory, grant
from jiaogong.members import rules, selectors, services


@pytest.fixture
def generated(school_a):
    today = timezone.localdate()
    return generate_school(school_a, 150, seed=7, today=today), today


def test_search_finds_by_initials_pinyin_and_name(school_a, chair_a):
    zhang = MemberFactory(org=school_a, name="张三")
    MemberFactory(org=school_a, name="李四")
    for q in ("zs", "zhang", "张", "ZS"):
        assert list(selectors.members_for(chair_a, school_a, q=q)) == [zhang]


def test_database_search_agrees_with_the_pure_rule(generated, chair_a, school_a):
    members, _ = generated
    for q in ("w", "wa", "zh", "l", "xi", "王", "丽", "ch"):
        expected = {m.pk for m in members if rules.name_matches(m.name, q)}
        assert set(selectors.members_for(chair_a, school_a, q=q).values_list("pk", flat=True)) == expected, q


def test_dashboard_cards_count_what_their_lists_show(generated, chair_a, school_a):
    _, today = generated
    data = selectors.dashboard(school_a, today)
    for key in ("women", "youth", "retirees", "long_service", "applicants"):
        assert getattr(data, key) == selectors.members_for(chair_a, school_a, lst=key, today=today).count(), (
            key
        )
    assert data.women > 0 and data.youth > 0


def test_lists_are_sorted_by_pinyin(generated, chair_a, school_a):
    names = list(selectors.members_for(chair_a, school_a).values_list("name_pinyin", flat=True))
    assert names == sorted(names)


def test_derived_lists_agree_with_the_pure_rules(generated, chair_a, school_a):
    members, today = generated
    by = {
        key: set(selectors.members_for(chair_a, school_a, lst=key).values_list("pk", flat=True))
        for key in selectors.LISTS
    }
    assert by["women"] == {m.pk for m in members if m.gender == "F" and m.status == "active"}
    assert by["youth"] == {
        m.pk for m in members if rules.is_youth(m.birth_date, today, 35) and m.status == "active"
    }
    assert by["retirees"] == {m.pk for m in members if m.status == "retired"}
    assert by["long_service"] == {
        m.pk for m in members if m.status == "active" and rules.service_years(m.hire_date, today) >= 30
    }
    assert by["birthdays"] == {
        m.pk for m in members if m.birth_date.month == today.month and m.status in ("active", "retired")
    }
    assert by["retiring"] == {
        m.pk
        for m in members
        if m.status == "active" and rules.retires_within(m.birth_date, m.gender, today, 12, 60, 55)
    }
    assert by["applicants"] == {m.pk for m in members if m.status == "applicant"}
    assert all(by[k] for k in ("women", "youth", "retirees", "applicants"))


def test_the_youth_age_is_a_parameter(school_a, chair_a):
    from jiaogong.core.rules import set_org_value

    today = timezone.localdate()
    m = MemberFactory(org=school_a, birth_date=rules.add_years(today, -36))
    assert m.pk not in selectors.members_for(chair_a, school_a, lst="youth").values_list("pk", flat=True)
    set_org_value(actor=chair_a, org=school_a, key="members.youth_max_age", text="40", source="本校工会决定")
    assert m.pk in selectors.members_for(chair_a, school_a, lst="youth").values_list("pk", flat=True)


def test_a_member_of_another_org_is_not_found(school_a, school_b, chair_a):
    other = MemberFactory(org=school_b)
    with pytest.raises(Http404):
        selectors.member_for(chair_a, school_a, other.pk)


def test_managers_see_id_numbers_in_clear_and_the_read_is_logged(school_a, chair_a, member_a):
    target = MemberFactory(org=school_a)
    shown = selectors.reveal(chair_a, school_a, target)
    assert shown == {"id_number": target.id_number, "phone": target.phone}
    assert AuditEvent.objects.filter(action="members.member.reveal", actor=chair_a).count() == 1


def test_plain_members_see_masked_values_and_nothing_is_logged(school_a, member_a):
    target = MemberFactory(org=school_a)
    shown = selectors.reveal(member_a, school_a, target)
    assert shown == {
        "id_number": rules.mask_id_number(target.id_number),
        "phone": rules.mask_phone(target.phone),
    }
    assert not AuditEvent.objects.filter(action="members.member.reveal").exists()


def test_dashboard_counts(generated, school_a):
    members, today = generated
    board = selectors.dashboard(school_a, today)
    assert board.members == sum(m.status == "active" for m in members)
    assert board.women == sum(m.status == "active" and m.gender == "F" for m in members)
    assert board.retirees == sum(m.status == "retired" for m in members)
    assert board.groups == 7


def test_an_auditor_who_is_also_chair_is_flagged(school_a, chair_a):
    today = datetime.date(2026, 11, 22)
    chair = MemberFactory(org=school_a, name="王芳")
    cashier = MemberFactory(org=school_a, name="刘会", post="出纳")
    union = services.create_term(
        actor=chair_a, org=school_a, body="union", number=1, elected_on="2025-09-01", years=5
    )
    services.add_seat(actor=chair_a, term=union, member=chair, position="chair")
    audit = services.create_term(
        actor=chair_a, org=school_a, body="audit", number=1, elected_on="2025-09-01", years=5
    )
    services.add_seat(actor=chair_a, term=audit, member=chair, position="member")
    services.add_seat(actor=chair_a, term=audit, member=cashier, position="member")
    warnings = selectors.committee_overview(school_a, today).warnings
    assert any("王芳" in w for w in warnings) and any("刘会" in w for w in warnings)


def test_committee_lists_the_chair_then_vice_chairs_then_members(school_a, chair_a):
    term = services.create_term(
        actor=chair_a, org=school_a, body="union", number=1, elected_on="2025-09-01", years=5
    )
    for name, position in (("甲委员", "member"), ("乙副主席", "vice_chair"), ("丙主席", "chair")):
        services.add_seat(
            actor=chair_a, term=term, member=MemberFactory(org=school_a, name=name), position=position
        )
    _, seats = selectors.committee_overview(school_a).terms["union"]
    assert [s.member.name for s in seats] == ["丙主席", "乙副主席", "甲委员"]


def test_an_expired_term_is_flagged(school_a, chair_a):
    services.create_term(
        actor=chair_a, org=school_a, body="union", number=1, elected_on="2020-09-01", years=3
    )
    assert any(
        "届满" in w for w in selectors.committee_overview(school_a, datetime.date(2026, 11, 22)).warnings
    )


def test_women_committee_threshold_follows_the_province(school_a, chair_a):
    for _ in range(12):
        MemberFactory(org=school_a, gender="F", id_number="")
    assert any("女职工委员会" in w for w in selectors.committee_overview(school_a).warnings)
    school_a.province = "北京"
    school_a.save()
    assert not any("女职工委员会" in w for w in selectors.committee_overview(school_a).warnings)


def test_federation_officer_reads_every_school_below(federation, school_a, school_b, officer):
    from jiaogong.core.permissions import can, orgs_visible_to, roles_in

    assert set(orgs_visible_to(officer)) == {federation, school_a, school_b}
    assert roles_in(officer, school_a) == {"federation_officer"}
    assert can(officer, school_a, "members.view") and not can(officer, school_a, "members.edit")


def test_a_school_chair_does_not_see_the_sister_school(school_a, school_b, chair_a):
    from jiaogong.core.permissions import orgs_visible_to

    grant(chair_a, school_a, "organization")
    assert set(orgs_visible_to(chair_a)) == {school_a}
