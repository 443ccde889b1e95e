"""The organisation pages: 工会小组 and their leaders, the committees and their seats."""

import datetime

import pytest
from django.urls import reverse

from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, UnionGroupFactory
from jiaogong.members import services
from jiaogong.members.models import CommitteeSeat, CommitteeTerm, GroupLeader, UnionGroup


def url(name, org, *args):
    return reverse(f"members:{name}", args=[org.pk, *args])


# ---- groups -------------------------------------------------------------------------------------


def test_groups_page_shows_active_counts_and_current_leaders(login, member_a, school_a, group_a, chair_a):
    MemberFactory(org=school_a, name="李四", union_group=group_a)
    MemberFactory(org=school_a, name="王五", union_group=group_a, status="retired")
    services.set_group_leader(actor=chair_a, group=group_a, member=member_a.member, elected_on="2024-09-10")
    html = login(member_a).get(url("groups", school_a)).content.decode()
    assert "语文组" in html and "张三" in html
    assert f'?group={group_a.pk}&amp;status=active">2</a>' in html
    assert "新建工会小组" not in html  # a plain member only reads


def test_chair_adds_a_group(login, chair_a, school_a):
    response = login(chair_a).post(
        url("groups", school_a), {"name": "数学组", "kind": "subject", "note": "初中"}
    )
    group = UnionGroup.objects.get(org=school_a, name="数学组")
    assert response.status_code == 302 and response["Location"] == url("group", school_a, group.pk)
    assert AuditEvent.objects.filter(action="members.group.create").exists()


def test_a_duplicate_group_name_is_refused(login, chair_a, school_a, group_a):
    html = (
        login(chair_a).post(url("groups", school_a), {"name": "语文组", "kind": "subject"}).content.decode()
    )
    assert "已有同名的工会小组。" in html
    assert UnionGroup.objects.filter(org=school_a).count() == 1


def test_group_page_lists_its_members_and_leaders(login, member_a, school_a, group_a, chair_a):
    MemberFactory(org=school_a, name="李四", union_group=group_a)
    MemberFactory(org=school_a, name="王五")  # in no group
    services.set_group_leader(actor=chair_a, group=group_a, member=member_a.member, elected_on="2024-09-10")
    html = login(member_a).get(url("group", school_a, group_a.pk)).content.decode()
    assert "张三" in html and "李四" in html and ">王五</a>" not in html
    assert "2024-09-10 选举" in html
    assert "设置组长" not in html and "删除小组" not in html


def test_chair_sets_a_group_leader_with_the_election_date(login, chair_a, school_a, group_a, member_a):
    zhang = member_a.member
    response = login(chair_a).post(
        url("group", school_a, group_a.pk),
        {"action": "leader", "member": zhang.pk, "role": "leader", "elected_on": "2025-09-05"},
    )
    assert response.status_code == 302
    leader = GroupLeader.objects.get(group=group_a)
    assert (leader.member, leader.role, leader.elected_on) == (zhang, "leader", datetime.date(2025, 9, 5))
    html = login(chair_a).get(url("group", school_a, group_a.pk)).content.decode()
    assert "组长 <a" in html and "2025-09-05 选举" in html


def test_a_new_leader_moves_the_old_one_to_past_leaders(login, chair_a, school_a, group_a, member_a):
    li = MemberFactory(org=school_a, name="李四", union_group=group_a)
    services.set_group_leader(actor=chair_a, group=group_a, member=member_a.member, elected_on="2022-09-01")
    client = login(chair_a)
    client.post(
        url("group", school_a, group_a.pk),
        {"action": "leader", "member": li.pk, "role": "leader", "elected_on": "2025-09-05"},
    )
    html = client.get(url("group", school_a, group_a.pk)).content.decode()
    assert "历任" in html and "2022-09-01 — 2025-09-05" in html


def test_a_leader_may_come_from_outside_the_group(login, chair_a, school_a, group_a):
    outside = MemberFactory(org=school_a, name="王五")
    client = login(chair_a)
    html = client.get(url("group", school_a, group_a.pk)).content.decode()
    assert "其他会员" in html and "王五" in html
    client.post(
        url("group", school_a, group_a.pk),
        {"action": "leader", "member": outside.pk, "role": "deputy", "elected_on": "2025-09-05"},
    )
    assert GroupLeader.objects.get(group=group_a).member == outside


def test_a_leader_from_another_school_is_refused(login, chair_a, school_a, group_a, school_b):
    stranger = MemberFactory(org=school_b, name="赵六")
    html = (
        login(chair_a)
        .post(
            url("group", school_a, group_a.pk),
            {"action": "leader", "member": stranger.pk, "role": "leader", "elected_on": "2025-09-05"},
        )
        .content.decode()
    )
    assert "请选择本单位的在册会员。" in html
    assert not GroupLeader.objects.exists()


def test_setting_a_leader_without_a_date_is_refused(login, chair_a, school_a, group_a, member_a):
    html = (
        login(chair_a)
        .post(
            url("group", school_a, group_a.pk),
            {"action": "leader", "member": member_a.member.pk, "role": "leader", "elected_on": ""},
        )
        .content.decode()
    )
    assert "必填。" in html
    assert not GroupLeader.objects.exists()


def test_chair_renames_a_group(login, chair_a, school_a, group_a):
    login(chair_a).post(
        url("group", school_a, group_a.pk), {"action": "edit", "name": "高中语文组", "kind": "subject"}
    )
    group_a.refresh_from_db()
    assert group_a.name == "高中语文组"


def test_chair_deletes_an_empty_group(login, chair_a, school_a):
    empty = UnionGroupFactory(org=school_a, name="空组")
    response = login(chair_a).post(url("group", school_a, empty.pk), {"action": "delete"})
    assert response.status_code == 302 and response["Location"] == url("groups", school_a)
    assert not UnionGroup.objects.filter(pk=empty.pk).exists()


def test_a_group_with_members_is_not_deleted(login, chair_a, school_a, group_a, member_a):
    html = login(chair_a).post(url("group", school_a, group_a.pk), {"action": "delete"}).content.decode()
    assert "该小组还有会员，请先调整会员所在小组。" in html
    assert UnionGroup.objects.filter(pk=group_a.pk).exists()


def test_plain_member_may_not_set_a_leader(login, member_a, school_a, group_a):
    response = login(member_a).post(
        url("group", school_a, group_a.pk),
        {"action": "leader", "member": member_a.member.pk, "role": "leader", "elected_on": "2025-09-05"},
    )
    assert response.status_code == 403
    assert not GroupLeader.objects.exists()


def test_plain_member_may_not_delete_a_group(login, member_a, school_a):
    empty = UnionGroupFactory(org=school_a, name="空组")
    assert login(member_a).post(url("group", school_a, empty.pk), {"action": "delete"}).status_code == 403
    assert UnionGroup.objects.filter(pk=empty.pk).exists()


# ---- committees ---------------------------------------------------------------------------------


@pytest.fixture
def union_term(school_a, chair_a):
    return services.create_term(
        actor=chair_a, org=school_a, body="union", number=3, elected_on="2024-09-01", years=5
    )


def test_committee_page_shows_each_body_and_its_seats(login, member_a, school_a, chair_a, union_term):
    services.add_seat(
        actor=chair_a, term=union_term, member=member_a.member, position="chair", since="2024-09-01"
    )
    html = login(member_a).get(url("committee", school_a)).content.decode()
    for text in [
        "工会委员会",
        "女职工委员会",
        "经费审查委员会",
        "第3届",
        "2024-09-01 选举",
        "任期 5 年",
        "2029-09-01 届满",
    ]:
        assert text in html
    assert "张三" in html and "主席/主任" in html
    assert "尚未建立女职工委员会" in html
    assert "增补委员" not in html and "确认离任" not in html


def test_committee_page_shows_the_size_range_for_the_member_count(login, chair_a, school_a):
    MemberFactory.create_batch(30, org=school_a)
    html = login(chair_a).get(url("committee", school_a)).content.decode()
    assert "在册会员 30 人" in html and "应设委员 3–5 人" in html


def test_committee_warns_when_an_auditor_is_also_the_chair(login, chair_a, school_a, member_a, union_term):
    zhang = member_a.member
    services.add_seat(actor=chair_a, term=union_term, member=zhang, position="chair")
    audit_term = services.create_term(
        actor=chair_a, org=school_a, body="audit", number=1, elected_on="2024-09-01", years=5
    )
    services.add_seat(actor=chair_a, term=audit_term, member=zhang, position="member")
    html = login(chair_a).get(url("committee", school_a)).content.decode()
    assert 'class="warnings"' in html
    assert "张三 是主席、副主席或经管财务人员，不得担任经费审查委员会委员（工会法第四十五条）。" in html


def test_committee_warns_about_a_missing_committee_and_an_expired_term(login, chair_a, school_a):
    MemberFactory.create_batch(26, org=school_a)
    client = login(chair_a)
    html = client.get(url("committee", school_a)).content.decode()
    assert "应当建立工会委员会（工会法第十一条）" in html
    services.create_term(
        actor=chair_a, org=school_a, body="union", number=1, elected_on="2015-09-01", years=3
    )
    html = client.get(url("committee", school_a)).content.decode()
    assert "已于 2018-09-01 任期届满，应按期换届" in html and "已届满" in html


def test_chair_starts_a_new_term(login, chair_a, school_a, union_term):
    response = login(chair_a).post(
        url("committee", school_a),
        {"action": "term", "body": "union", "number": "4", "elected_on": "2029-09-01", "years": "5"},
    )
    assert response.status_code == 302
    union_term.refresh_from_db()
    assert union_term.closed_on == datetime.date(2029, 9, 1)
    assert CommitteeTerm.objects.get(org=school_a, body="union", number=4).years == 5


def test_new_term_form_suggests_the_next_number(login, chair_a, school_a, union_term):
    html = login(chair_a).get(url("committee", school_a), {"new": "union"}).content.decode()
    assert "换届（第4届）" in html and 'name="number" value="4"' in html


def test_a_term_of_four_years_is_refused(login, chair_a, school_a):
    html = (
        login(chair_a)
        .post(
            url("committee", school_a),
            {"action": "term", "body": "women", "number": "1", "elected_on": "2025-09-01", "years": "4"},
        )
        .content.decode()
    )
    assert "选择一个有效的选项" in html or "任期应为" in html
    assert not CommitteeTerm.objects.exists()


def test_chair_adds_a_seat(login, chair_a, school_a, member_a, union_term):
    response = login(chair_a).post(
        url("committee", school_a),
        {
            "action": "seat",
            "term": union_term.pk,
            "member": member_a.member.pk,
            "position": "member",
            "portfolio": "publicity",
            "since": "2024-10-01",
        },
    )
    assert response.status_code == 302
    seat = CommitteeSeat.objects.get(term=union_term)
    assert (seat.member, seat.portfolio, seat.since) == (
        member_a.member,
        "publicity",
        datetime.date(2024, 10, 1),
    )


def test_a_seat_on_another_schools_term_is_refused(
    login, chair_a, school_a, school_b, member_a, outsider_b, union_term
):
    foreign = services.create_term(
        actor=outsider_b, org=school_b, body="union", number=1, elected_on="2024-09-01", years=5
    )
    html = (
        login(chair_a)
        .post(
            url("committee", school_a),
            {"action": "seat", "term": foreign.pk, "member": member_a.member.pk, "position": "member"},
        )
        .content.decode()
    )
    assert "选择一个有效的选项" in html
    assert not CommitteeSeat.objects.exists()


def test_a_second_seat_for_the_same_member_is_refused(login, chair_a, school_a, member_a, union_term):
    services.add_seat(actor=chair_a, term=union_term, member=member_a.member, position="member")
    html = (
        login(chair_a)
        .post(
            url("committee", school_a),
            {"action": "seat", "term": union_term.pk, "member": member_a.member.pk, "position": "vice_chair"},
        )
        .content.decode()
    )
    assert "该会员已在本届委员会中。" in html
    assert CommitteeSeat.objects.count() == 1


def test_chair_ends_a_seat(login, chair_a, school_a, member_a, union_term):
    seat = services.add_seat(actor=chair_a, term=union_term, member=member_a.member, position="member")
    response = login(chair_a).post(url("seat_end", school_a, seat.pk), {"until": "2025-06-30"})
    assert response.status_code == 302 and response["Location"].endswith("#body-union")
    seat.refresh_from_db()
    assert seat.until == datetime.date(2025, 6, 30)
    html = login(chair_a).get(url("committee", school_a)).content.decode()
    assert "已于 2025-06-30 离任" in html


def test_ending_a_seat_before_it_began_is_refused(login, chair_a, school_a, member_a, union_term):
    seat = services.add_seat(actor=chair_a, term=union_term, member=member_a.member, position="member")
    client = login(chair_a)
    client.post(url("seat_end", school_a, seat.pk), {"until": "2020-01-01"})
    seat.refresh_from_db()
    assert seat.until is None
    assert "离任日期早于任职日期。" in client.get(url("committee", school_a)).content.decode()


def test_ending_a_seat_is_post_only(login, chair_a, school_a, member_a, union_term):
    seat = services.add_seat(actor=chair_a, term=union_term, member=member_a.member, position="member")
    assert login(chair_a).get(url("seat_end", school_a, seat.pk)).status_code == 405


def test_plain_member_may_not_end_a_seat(login, member_a, chair_a, school_a, union_term):
    seat = services.add_seat(actor=chair_a, term=union_term, member=member_a.member, position="member")
    assert (
        login(member_a).post(url("seat_end", school_a, seat.pk), {"until": "2025-06-30"}).status_code == 403
    )
    seat.refresh_from_db()
    assert seat.until is None


def test_plain_member_may_not_add_a_seat(login, member_a, school_a, union_term):
    response = login(member_a).post(
        url("committee", school_a),
        {"action": "seat", "term": union_term.pk, "member": member_a.member.pk, "position": "member"},
    )
    assert response.status_code == 403
    assert not CommitteeSeat.objects.exists()


def test_outsider_may_not_end_a_seat(login, outsider_b, chair_a, school_a, member_a, union_term):
    seat = services.add_seat(actor=chair_a, term=union_term, member=member_a.member, position="member")
    assert (
        login(outsider_b).post(url("seat_end", school_a, seat.pk), {"until": "2025-06-30"}).status_code == 404
    )
