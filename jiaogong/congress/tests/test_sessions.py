"""Terms, sessions and delegates through the services: composition, eligibility, seats, check-in."""

import datetime

import pytest

from jiaogong.congress import sessions
from jiaogong.congress.models import Attendance, Congress, CongressTerm, Delegate
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, UnionGroupFactory

OPENS = datetime.date(2026, 12, 10)


def staff(org, n, **kwargs):
    return [MemberFactory(org=org, **kwargs) for _ in range(n)]


def new_session(org, actor, members, **kwargs):
    data = {"term": 8, "session": 1, "title": "第八届第一次教职工代表大会", "opens_on": OPENS}
    return sessions.create_congress(
        actor=actor, org=org, delegates=[m.pk for m in members], **(data | kwargs)
    )


def test_a_session_creates_its_term_and_seats_the_delegates(school_a, chair_a):
    members = staff(school_a, 10, is_teacher=True) + staff(school_a, 95)
    congress = new_session(school_a, chair_a, members[:30])
    term = congress.term
    assert (term.number, term.started_on, term.years, term.mode) == (8, OPENS, 5, "delegates")
    assert sessions.voters(congress).count() == 30
    assert AuditEvent.objects.filter(action="congress.session.create", object_id=str(congress.pk)).exists()
    # The second session of the term keeps the roll.
    second = sessions.create_congress(
        actor=chair_a,
        org=school_a,
        term=8,
        session=2,
        title="第八届第二次",
        opens_on=OPENS.replace(year=2027),
    )
    assert sessions.voters(second).count() == 30
    with pytest.raises(Conflict):
        new_session(school_a, chair_a, [])


def test_bad_input_writes_nothing(school_a, chair_a, school_b):
    retired = MemberFactory(org=school_a, status="retired", name="老李")
    other = MemberFactory(org=school_b)
    for members, field, text in (
        ([retired], "delegates", "老李 不是在职教职工"),
        ([other], "delegates", "没有找到这些会员"),
    ):
        with pytest.raises(InvalidInput) as e:
            new_session(school_a, chair_a, members)
        assert text in e.value.fields[field]
    with pytest.raises(InvalidInput) as e:
        new_session(school_a, chair_a, [], title=" ")
    assert "title" in e.value.fields
    with pytest.raises(InvalidInput):
        new_session(school_a, chair_a, [], years=4)
    assert (
        not Congress.objects.exists() and not CongressTerm.objects.exists() and not Delegate.objects.exists()
    )


def test_composition_and_its_warnings(school_a, chair_a):
    # 10 delegates: 5 teachers (50 % < 60 %), 3 cadres (30 % > 25 %), no women while staff is half women.
    men_teachers = staff(school_a, 5, gender="M", is_teacher=True, birth_date=datetime.date(1970, 1, 1))
    men_cadres = staff(
        school_a, 3, gender="M", is_teacher=False, is_cadre=True, birth_date=datetime.date(1970, 1, 1)
    )
    men_others = staff(school_a, 2, gender="M", is_teacher=False, birth_date=datetime.date(1970, 1, 1))
    staff(school_a, 100, gender="F", birth_date=datetime.date(1995, 1, 1))
    congress = new_session(school_a, chair_a, men_teachers + men_cadres + men_others)
    comp = sessions.composition_of(congress)
    assert (comp.teachers_pct, comp.women_pct, comp.young_pct, comp.cadres_pct) == (
        "50.0",
        "0.0",
        "0.0",
        "30.0",
    )
    text = " ".join(sessions.warnings_for(congress, today=OPENS))
    assert "教师代表 5 人，占 50.0%，低于 60%" in text
    assert "中层以上干部代表 3 人，占 30.0%，超过 25%" in text
    assert "女代表占 0.0%" in text and "青年代表占 0.0%" in text


def test_a_small_school_is_told_it_may_hold_a_staff_assembly(school_a, chair_a):
    members = staff(school_a, 40)
    congress = new_session(school_a, chair_a, members[:20])
    assert any("可召开教职工大会" in w for w in sessions.warnings_for(congress, today=OPENS))


def test_a_staff_assembly_makes_every_active_member_a_voter(school_a, chair_a):
    staff(school_a, 40)
    MemberFactory(org=school_a, status="retired")
    congress = new_session(school_a, chair_a, [], mode="all_staff")
    assert congress.term.mode == "all_staff"
    assert sessions.voters(congress).count() == 40
    assert not any("可召开教职工大会" in w for w in sessions.warnings_for(congress, today=OPENS))


def test_replacing_and_recalling_a_delegate_mid_term(school_a, chair_a):
    members = staff(school_a, 6)
    congress = new_session(school_a, chair_a, members[:5])
    seat = Delegate.objects.get(term=congress.term, member=members[0])
    on = datetime.date(2027, 3, 1)
    new_seat = sessions.replace_delegate(actor=chair_a, delegate=seat, member=members[5], on=on)
    seat.refresh_from_db()
    assert (seat.until, seat.end_reason, new_seat.replaces_id, new_seat.elected_on) == (
        on,
        "replaced",
        seat.pk,
        on,
    )
    later = sessions.create_congress(
        actor=chair_a,
        org=school_a,
        term=8,
        session=2,
        title="第八届第二次",
        opens_on=datetime.date(2027, 12, 1),
    )
    assert set(sessions.voters(later).values_list("member_id", flat=True)) == {m.pk for m in members[1:6]}
    assert sessions.voters(congress).filter(member=members[0]).exists()  # the first session keeps its roll
    with pytest.raises(Conflict):
        sessions.end_seat(actor=chair_a, delegate=seat, on=on, reason="recalled")
    recalled = Delegate.objects.get(term=congress.term, member=members[1])
    with pytest.raises(InvalidInput):
        sessions.end_seat(actor=chair_a, delegate=recalled, on=datetime.date(2020, 1, 1), reason="recalled")
    sessions.end_seat(actor=chair_a, delegate=recalled, on=on, reason="recalled")
    assert sessions.voters(later).count() == 4


def test_attending_and_invited_delegates_never_vote(school_a, chair_a):
    members = staff(school_a, 3)
    retiree = MemberFactory(org=school_a, status="retired")
    congress = new_session(school_a, chair_a, members)
    with pytest.raises(InvalidInput):
        sessions.add_delegate(actor=chair_a, term=congress.term, member=retiree, elected_on=OPENS)
    guest = sessions.add_delegate(
        actor=chair_a, term=congress.term, member=retiree, kind="invited", elected_on=OPENS
    )
    assert not guest.votes
    assert sessions.voters(congress).count() == 3
    with pytest.raises(Conflict):
        sessions.add_delegate(actor=chair_a, term=congress.term, member=members[0], elected_on=OPENS)


def test_quotas_papers_and_missed_years_are_warned(school_a, chair_a):
    group = UnionGroupFactory(org=school_a, name="数学组")
    members = staff(school_a, 3, union_group=group)
    congress = new_session(school_a, chair_a, members)
    sessions.set_quota(actor=chair_a, term=congress.term, unit=group, quota=4)
    sessions.add_paper(
        actor=chair_a, congress=congress, title="学校工作报告", sent_on=OPENS - datetime.timedelta(days=7)
    )
    sessions.add_paper(
        actor=chair_a, congress=congress, title="财务报告", sent_on=OPENS - datetime.timedelta(days=6)
    )
    warnings = sessions.warnings_for(congress, today=datetime.date(2029, 10, 1))
    assert "数学组 名额 4 名，已产生代表 3 名，少于名额。" in warnings
    assert any("财务报告" in w and "晚于会前 7 天" in w for w in warnings)
    assert not any("学校工作报告" in w for w in warnings)
    assert any("2027—2028、2028—2029 学年未召开教代会" in w for w in warnings)


def test_presidium_size_is_advice(school_a, chair_a):
    members = staff(school_a, 40)
    congress = new_session(school_a, chair_a, members)
    assert sessions.set_presidium(actor=chair_a, congress=congress, members=members[:2]) == [
        "主席团 2 人，建议 3—5 人。"
    ]
    assert sessions.set_presidium(actor=chair_a, congress=congress, members=members[:5]) == []
    assert congress.presidium.count() == 5


def test_check_in_by_code_by_desk_and_by_list(school_a, chair_a):
    members = staff(school_a, 6)
    congress = new_session(school_a, chair_a, members)
    seats = list(sessions.voters(congress).order_by("id"))
    delegate, new = sessions.check_in_by_token(actor=chair_a, congress=congress, token=seats[0].checkin_token)
    assert new and delegate == seats[0]
    assert (
        sessions.check_in_by_token(actor=chair_a, congress=congress, token=seats[0].checkin_token)[1] is False
    )
    with pytest.raises(DomainError) as e:
        sessions.check_in_by_token(actor=chair_a, congress=congress, token="forged")
    assert e.value.code == "unknown_code"
    assert sessions.check_in(actor=chair_a, congress=congress, delegate=seats[1]) is True
    status = sessions.record_attendance(actor=chair_a, congress=congress, present=[m.pk for m in members[:4]])
    assert (status.total, status.present, status.met) == (6, 4, True)
    with pytest.raises(InvalidInput):
        sessions.record_attendance(actor=chair_a, congress=congress, present=[members[5].pk, 999999])
    assert Attendance.objects.filter(congress=congress).count() == 4
    old = seats[5].checkin_token
    sessions.new_checkin_code(actor=chair_a, delegate=seats[5])
    with pytest.raises(DomainError):
        sessions.check_in_by_token(actor=chair_a, congress=congress, token=old)


def test_presidium_comes_from_the_formal_delegates(school_a, chair_a):
    members = staff(school_a, 12)
    congress = new_session(school_a, chair_a, members[:10])
    with pytest.raises(InvalidInput) as e:
        sessions.set_presidium(actor=chair_a, congress=congress, members=[members[0], members[11]])
    assert f"{members[11].name} 不是本次会议的正式代表" in e.value.fields["members"]
    assert congress.presidium.count() == 0


def test_quotas_are_all_or_nothing_and_can_be_cleared(school_a, chair_a):
    members = staff(school_a, 12)
    congress = new_session(school_a, chair_a, members)
    one = UnionGroupFactory(org=school_a, name="语文组")
    two = UnionGroupFactory(org=school_a, name="数学组")
    with pytest.raises(InvalidInput) as e:
        sessions.set_quotas(actor=chair_a, term=congress.term, quotas={one: 3, two: 0})
    assert e.value.fields == {f"quota_{two.pk}": "数学组 的名额应为正整数。"}
    assert not congress.term.quotas.exists()
    sessions.set_quotas(actor=chair_a, term=congress.term, quotas={one: 3, two: 2})
    assert dict(congress.term.quotas.values_list("unit__name", "quota")) == {"语文组": 3, "数学组": 2}
    sessions.set_quotas(actor=chair_a, term=congress.term, quotas={one: None, two: 2})
    assert dict(congress.term.quotas.values_list("unit__name", "quota")) == {"数学组": 2}
    assert AuditEvent.objects.filter(action="congress.quota.clear").count() == 1


def test_a_delegation_holds_exactly_its_listed_delegates_and_its_leader_among_them(school_a, chair_a):
    members = staff(school_a, 12)
    congress = new_session(school_a, chair_a, members)
    seats = list(sessions.voters(congress).order_by("pk"))
    with pytest.raises(InvalidInput) as e:
        sessions.set_delegation(
            actor=chair_a, term=congress.term, name="第一代表团", leader=seats[5].member, members=seats[:3]
        )
    assert "团长" in e.value.fields["leader"]
    team = sessions.set_delegation(
        actor=chair_a, term=congress.term, name="第一代表团", leader=seats[0].member, members=seats[:3]
    )
    assert set(Delegate.objects.filter(delegation=team).values_list("pk", flat=True)) == {
        s.pk for s in seats[:3]
    }
    sessions.set_delegation(
        actor=chair_a, term=congress.term, name="第一代表团", leader=seats[1].member, members=seats[1:2]
    )
    assert list(Delegate.objects.filter(delegation=team).values_list("pk", flat=True)) == [seats[1].pk]
    sessions.remove_delegation(actor=chair_a, delegation=team)
    assert not Delegate.objects.filter(delegation__isnull=False).exists()
    assert AuditEvent.objects.filter(action__startswith="congress.delegation").count() == 3
