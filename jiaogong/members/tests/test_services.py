"""The registry's writes: validation in Chinese, nothing written on error, an audit row for each write."""

import datetime

import pytest

from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, make_id_number
from jiaogong.members import services
from jiaogong.members.models import CommitteeSeat, CommitteeTerm, Member, MemberStatusChange


def valid_data(**overrides):
    birth = datetime.date(1988, 4, 12)
    data = {
        "name": "李丽",
        "gender": "女",
        "birth_date": "1988-04-12",
        "id_number": make_id_number(birth, "F", 7),
        "phone": "139 0000 1111",
        "hire_date": "2010/9/1",
        "is_teacher": "是",
        "union_group": "语文组",
        "joined_on": "2010年10月1日",
        "status": "在册",
    }
    data.update(overrides)
    return data


def test_create_member_cleans_text_values_and_audits(school_a, group_a, chair_a):
    member = services.create_member(actor=chair_a, org=school_a, data=valid_data())
    assert (member.gender, member.phone, member.union_group, member.status) == (
        "F",
        "13900001111",
        group_a,
        "active",
    )
    assert member.hire_date == datetime.date(2010, 9, 1) and member.joined_on == datetime.date(2010, 10, 1)
    assert (member.name_pinyin, member.name_initials) == ("lili", "ll")
    event = AuditEvent.objects.get(action="members.member.create")
    assert event.actor == chair_a and event.org == school_a and event.changes["name"] == [None, "李丽"]
    assert member.status_changes.get().to_status == "active"


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(school_a, group_a, chair_a):
    with pytest.raises(InvalidInput) as e:
        services.create_member(
            actor=chair_a,
            org=school_a,
            data=valid_data(
                name="",
                gender="X",
                birth_date="1988-13-40",
                id_number="110101198804120000",
                phone="123",
                union_group="不存在组",
                status="离职",
            ),
        )
    assert set(e.value.fields) == {
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "union_group",
        "status",
    }
    assert e.value.fields["union_group"].startswith("没有名为")
    assert not Member.objects.exists() and not AuditEvent.objects.exists()


def test_id_number_must_agree_with_birth_date_and_gender(school_a, group_a, chair_a):
    with pytest.raises(InvalidInput) as e:
        services.create_member(actor=chair_a, org=school_a, data=valid_data(birth_date="1988-04-13"))
    assert "出生日期" in e.value.fields["id_number"]
    with pytest.raises(InvalidInput) as e:
        services.create_member(actor=chair_a, org=school_a, data=valid_data(gender="男"))
    assert "性别" in e.value.fields["gender"]


def test_the_same_id_number_twice_in_one_org_is_refused(school_a, group_a, chair_a):
    services.create_member(actor=chair_a, org=school_a, data=valid_data())
    with pytest.raises(InvalidInput) as e:
        services.create_member(actor=chair_a, org=school_a, data=valid_data(name="李莉"))
    assert "相同身份证号" in e.value.fields["id_number"]
    assert Member.objects.count() == 1


def test_the_same_id_number_in_another_org_is_allowed(school_a, school_b, group_a, chair_a):
    services.create_member(actor=chair_a, org=school_a, data=valid_data())
    services.create_member(actor=chair_a, org=school_b, data=valid_data(union_group=""))
    assert Member.objects.count() == 2


def test_a_group_of_another_org_is_unknown(school_a, school_b, chair_a):
    from jiaogong.factories import UnionGroupFactory

    other = UnionGroupFactory(org=school_b, name="数学组")
    with pytest.raises(InvalidInput) as e:
        services.create_member(actor=chair_a, org=school_a, data=valid_data(union_group=other.pk))
    assert "union_group" in e.value.fields


def test_members_are_registered_only_in_schools(federation, chair_a):
    with pytest.raises(DomainError):
        services.create_member(actor=chair_a, org=federation, data=valid_data(union_group=""))


def test_update_member_audits_before_and_after(school_a, chair_a):
    member = MemberFactory(org=school_a, name="王五", post="语文教师")
    services.update_member(actor=chair_a, member=member, data={"post": "教务主任", "is_cadre": True})
    event = AuditEvent.objects.get(action="members.member.update")
    assert event.changes == {"post": ["语文教师", "教务主任"], "is_cadre": [False, True]}


def test_renaming_a_member_updates_the_pinyin(school_a, chair_a):
    member = MemberFactory(org=school_a, name="王五")
    services.update_member(actor=chair_a, member=member, data={"name": "曾明"})
    member.refresh_from_db()
    assert (member.name_pinyin, member.name_initials) == ("zengming", "zm")


def test_transfer_records_destination_and_dated_history(school_a, chair_a):
    member = MemberFactory(org=school_a)
    services.change_status(
        actor=chair_a,
        member=member,
        to_status="transferred",
        effective_on="2026-08-31",
        destination="梁平区实验小学",
    )
    member.refresh_from_db()
    assert (member.status, member.transferred_to, member.status_since) == (
        "transferred",
        "梁平区实验小学",
        datetime.date(2026, 8, 31),
    )
    change = MemberStatusChange.objects.get(member=member)
    assert (change.from_status, change.to_status, change.destination) == (
        "active",
        "transferred",
        "梁平区实验小学",
    )
    assert AuditEvent.objects.filter(action="members.member.status", object_id=str(member.pk)).exists()


def test_transfer_without_destination_is_refused(school_a, chair_a):
    member = MemberFactory(org=school_a)
    with pytest.raises(InvalidInput) as e:
        services.change_status(
            actor=chair_a, member=member, to_status="transferred", effective_on="2026-08-31"
        )
    assert "destination" in e.value.fields
    member.refresh_from_db()
    assert member.status == "active" and not MemberStatusChange.objects.exists()


def test_the_dead_do_not_come_back(school_a, chair_a):
    member = MemberFactory(org=school_a, status="deceased")
    with pytest.raises(InvalidInput):
        services.change_status(actor=chair_a, member=member, to_status="active", effective_on="2026-01-01")


def test_an_application_is_approved_by_the_committee(school_a, chair_a):
    member = MemberFactory(org=school_a, status="applicant", joined_on=None)
    with pytest.raises(InvalidInput):
        services.change_status(actor=chair_a, member=member, to_status="active", effective_on="2026-09-01")
    services.approve_application(
        actor=chair_a, member=member, approved_on="2026-09-10", meeting="第5次委员会会议"
    )
    member.refresh_from_db()
    assert member.status == "active" and member.joined_on == datetime.date(2026, 9, 10)
    assert "委员会批准" in member.status_changes.get().note


def test_rejecting_an_application_needs_a_reason(school_a, chair_a):
    member = MemberFactory(org=school_a, status="applicant")
    with pytest.raises(InvalidInput):
        services.reject_application(actor=chair_a, member=member, decided_on="2026-09-10", reason=" ")
    services.reject_application(
        actor=chair_a, member=member, decided_on="2026-09-10", reason="非本校在编人员"
    )
    member.refresh_from_db()
    assert member.status == "non_member"


def test_group_names_are_unique_per_org(school_a, group_a, chair_a):
    with pytest.raises(InvalidInput):
        services.save_group(actor=chair_a, org=school_a, name="语文组")
    services.save_group(actor=chair_a, org=school_a, name="数学组")
    assert AuditEvent.objects.filter(action="members.group.create").count() == 1


def test_a_group_with_members_cannot_be_deleted(school_a, group_a, chair_a):
    MemberFactory(org=school_a, union_group=group_a)
    with pytest.raises(DomainError):
        services.delete_group(actor=chair_a, group=group_a)


def test_a_new_group_leader_ends_the_previous_one(school_a, group_a, chair_a):
    first, second = (
        MemberFactory(org=school_a, union_group=group_a),
        MemberFactory(org=school_a, union_group=group_a),
    )
    services.set_group_leader(actor=chair_a, group=group_a, member=first, elected_on="2024-09-01")
    services.set_group_leader(actor=chair_a, group=group_a, member=second, elected_on="2026-09-01")
    leaders = {leader.member_id: leader.ended_on for leader in group_a.leaders.all()}
    assert leaders == {first.pk: datetime.date(2026, 9, 1), second.pk: None}


def test_a_committee_term_lasts_three_or_five_years(school_a, chair_a):
    with pytest.raises(InvalidInput) as e:
        services.create_term(
            actor=chair_a, org=school_a, body="union", number=1, elected_on="2026-09-01", years=4
        )
    assert "第十六条" in e.value.fields["years"]
    term = services.create_term(
        actor=chair_a, org=school_a, body="union", number=1, elected_on="2026-09-01", years=5
    )
    assert term.ends_on == datetime.date(2031, 9, 1)


def test_a_new_term_closes_the_previous_one_and_its_seats(school_a, chair_a):
    old = services.create_term(
        actor=chair_a, org=school_a, body="union", number=2, elected_on="2021-09-01", years=5
    )
    seat = services.add_seat(actor=chair_a, term=old, member=MemberFactory(org=school_a), position="chair")
    services.create_term(
        actor=chair_a, org=school_a, body="union", number=3, elected_on="2026-09-01", years=5
    )
    old.refresh_from_db()
    seat.refresh_from_db()
    assert old.closed_on == datetime.date(2026, 9, 1) and seat.until == datetime.date(2026, 9, 1)


def test_a_member_sits_once_per_term(school_a, chair_a):
    term = services.create_term(
        actor=chair_a, org=school_a, body="union", number=1, elected_on="2026-09-01", years=5
    )
    member = MemberFactory(org=school_a)
    services.add_seat(actor=chair_a, term=term, member=member, position="member", portfolio="finance")
    with pytest.raises(InvalidInput):
        services.add_seat(actor=chair_a, term=term, member=member, position="member")
    assert CommitteeSeat.objects.count() == 1


def test_a_member_of_another_org_cannot_take_a_seat(school_a, school_b, chair_a):
    term = services.create_term(
        actor=chair_a, org=school_a, body="union", number=1, elected_on="2026-09-01", years=5
    )
    with pytest.raises(InvalidInput):
        services.add_seat(actor=chair_a, term=term, member=MemberFactory(org=school_b), position="member")
    assert CommitteeTerm.objects.count() == 1 and not CommitteeSeat.objects.exists()
