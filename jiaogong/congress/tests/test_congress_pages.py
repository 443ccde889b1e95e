"""The congress pages: sessions, delegates, check-in, polls, the phone ballot and the projector."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from jiaogong.congress import sessions, voting
from jiaogong.congress.models import (
    Attendance,
    Ballot,
    Congress,
    Delegate,
    Delegation,
    Poll,
    PresidiumMember,
    SealedBallot,
    UnitQuota,
)
from jiaogong.factories import (
    MemberFactory,
    UnionGroupFactory,
    UserFactory,
    congress_with_delegates,
    decrypt,
    delegate_user,
    grant,
)


@pytest.fixture
def hall(school_a):
    congress, delegates = congress_with_delegates(school_a, 12, present=8)
    return congress, delegates


def url(name, *args):
    return reverse(f"congress:{name}", args=args)


def test_the_list_creates_a_session(login, chair_a, school_a):
    members = [MemberFactory(org=school_a) for _ in range(3)]
    client = login(chair_a)
    page = client.get(url("list", school_a.pk))
    assert page.status_code == 200 and "建立一次会议" in page.text and "可召开教职工大会" in page.text
    response = client.post(
        url("list", school_a.pk),
        {
            "term": "3",
            "session": "1",
            "title": "第三届第一次教职工大会",
            "opens_on": "2026-12-10",
            "mode": "all_staff",
            "years": "3",
        },
    )
    congress = Congress.objects.get()
    assert response.status_code == 302 and response.url == url("detail", school_a.pk, congress.pk)
    assert sessions.voters(congress).count() == len(members)
    detail = client.get(response.url)
    assert "第三届第一次教职工大会" in detail.text and "应到代表" in detail.text


def test_the_list_form_shows_errors_and_writes_nothing(login, chair_a, school_a):
    response = login(chair_a).post(
        url("list", school_a.pk),
        {"term": "1", "session": "1", "title": "", "opens_on": "明天", "mode": "delegates", "years": "5"},
    )
    assert response.status_code == 200
    assert "请填写会议名称" in response.text or "不是有效日期" in response.text
    assert not Congress.objects.exists()


def test_pages_refuse_outsiders_and_wrong_roles(login, outsider_b, member_a, school_a, hall):
    congress, delegates = hall
    poll = voting.create_poll(actor=None, congress=congress, title="表决", kind="secret")
    views_for_members = [
        url("list", school_a.pk),
        url("detail", school_a.pk, congress.pk),
        url("delegates", school_a.pk, congress.pk),
        url("polls", school_a.pk, congress.pk),
        url("poll", school_a.pk, poll.pk),
        url("vote", school_a.pk, congress.pk),
        url("projector", school_a.pk, congress.pk),
        url("structure", school_a.pk, congress.pk),
    ]
    managers_only = [
        url("checkin", school_a.pk, congress.pk),
        url("badges", school_a.pk, congress.pk),
        url("delegates_export", school_a.pk, congress.pk),
        url("checkin_code", school_a.pk, congress.pk, delegates[0].checkin_token),
        url("delegate_end", school_a.pk, congress.pk, delegates[0].pk),
    ]
    outsider = login(outsider_b)
    for page in views_for_members + managers_only:
        assert outsider.get(page).status_code == 404, page
    for form in ("quota", "delegation", "presidium"):
        assert outsider.post(url("structure", school_a.pk, congress.pk), {"form": form}).status_code == 404
    member = login(member_a)
    for page in views_for_members:
        assert member.get(page).status_code == 200, page
    for page in managers_only:
        assert member.get(page).status_code == 403, page
    assert member.post(url("poll_action", school_a.pk, poll.pk, "open")).status_code == 403
    assert member.post(url("checkin_one", school_a.pk, congress.pk, delegates[9].pk)).status_code == 403
    assert (
        member.post(url("polls", school_a.pk, congress.pk), {"title": "x", "kind": "secret"}).status_code
        == 403
    )
    assert member.get(url("my_code", school_a.pk, congress.pk)).status_code == 403  # not a delegate
    for form in ("quota", "delegation", "presidium"):
        assert member.post(url("structure", school_a.pk, congress.pk), {"form": form}).status_code == 403
    # Another org's congress id under one's own org is a 404 too.
    other, _ = congress_with_delegates(outsider_b.role_grants.first().org, 1, number=2)
    assert login(outsider_b).get(url("detail", school_a.pk, other.pk)).status_code == 404


def test_desk_check_in_and_qr_check_in(login, chair_a, school_a, hall):
    congress, delegates = hall
    client = login(chair_a)
    page = client.get(url("checkin", school_a.pk, congress.pk))
    assert page.status_code == 200 and delegates[9].member.name in page.text
    response = client.post(
        url("checkin_one", school_a.pk, congress.pk, delegates[9].pk), headers={"HX-Request": "true"}
    )
    assert (
        response.status_code == 200 and "已签到" in response.text and response["HX-Trigger"] == "checked-in"
    )
    code_page = client.get(url("checkin_code", school_a.pk, congress.pk, delegates[10].checkin_token))
    assert code_page.status_code == 200 and "确认签到" in code_page.text
    done = client.post(url("checkin_code", school_a.pk, congress.pk, delegates[10].checkin_token))
    assert "签到成功" in done.text
    forged = client.get(url("checkin_code", school_a.pk, congress.pk, "forged-code"))
    assert forged.status_code == 404 and "签到码无效" in forged.text
    assert Attendance.objects.filter(congress=congress).count() == 10
    search = client.get(
        url("checkin", school_a.pk, congress.pk),
        {"q": delegates[11].member.name},
        headers={"HX-Request": "true", "HX-Target": "checkin-rows"},
    )
    assert delegates[11].member.name in search.text and delegates[0].member.name not in search.text


def test_a_delegate_sees_their_code_and_votes_on_the_phone(login, chair_a, school_a, hall):
    congress, delegates = hall
    poll = voting.create_poll(actor=chair_a, congress=congress, title="审议《绩效方案》", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    voter = login(delegate_user(delegates[0]))
    code = voter.get(url("my_code", school_a.pk, congress.pk))
    assert code.status_code == 200 and "<svg" in code.text and "已签到" in code.text
    page = voter.get(url("vote", school_a.pk, congress.pk))
    assert "审议《绩效方案》" in page.text and "赞成" in page.text
    # Without the phone's script the plaintext choice reaches the server, which encrypts it at once.
    response = voter.post(url("vote", school_a.pk, congress.pk), {"poll": poll.pk, "choice": "赞成"})
    assert response.status_code == 200 and "投票成功" in response.text
    tracker = SealedBallot.objects.get(poll=poll).tracker
    assert tracker in response.text and f"{tracker[:4]}-{tracker[4:8]}-{tracker[8:12]}" in response.text
    again = voter.post(url("vote", school_a.pk, congress.pk), {"poll": poll.pk, "choice": "反对"})
    assert again.status_code == 409 and "已经投过票" in again.text
    absent = login(delegate_user(delegates[11]))
    refused = absent.post(url("vote", school_a.pk, congress.pk), {"poll": poll.pk, "choice": "赞成"})
    assert refused.status_code == 403 and "尚未签到" in refused.text
    assert SealedBallot.objects.filter(poll=poll).count() == 1 and not Ballot.objects.exists()


def test_poll_admin_open_close_and_receipt_check(login, chair_a, school_a, hall):
    congress, delegates = hall
    client = login(chair_a)
    response = client.post(
        url("polls", school_a.pk, congress.pk),
        {"title": "审议《奖励办法》", "kind": "secret", "contested": "on"},
    )
    poll = Poll.objects.get()
    assert response.status_code == 302 and response.url == url("poll", school_a.pk, poll.pk)
    client.post(url("poll_action", school_a.pk, poll.pk, "open"))
    poll.refresh_from_db()
    assert poll.state == "open"
    receipts = [
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="赞成") for d in delegates[:7]
    ]
    live = client.get(
        url("poll", school_a.pk, poll.pk), headers={"HX-Request": "true", "HX-Target": "poll-live"}
    )
    assert "投票进行中" in live.text and "<html" not in live.text and "还有 1 人未投票" in live.text
    # One present delegate has not voted: the chair is asked to confirm before closing.
    ask = client.post(url("poll_action", school_a.pk, poll.pk, "close"))
    assert ask.status_code == 200 and "还有 1 人未投票" in ask.text
    poll.refresh_from_db()
    assert poll.state == "open"
    client.post(url("poll_action", school_a.pk, poll.pk, "close"), {"confirm": "1"})
    waiting = client.get(url("poll", school_a.pk, poll.pk))
    assert "待监票人解密" in waiting.text and delegates[10].member.name in waiting.text
    decrypt(poll)
    page = client.get(url("poll", school_a.pk, poll.pk))
    assert "通过" in page.text and "公告板" in page.text
    board = client.get(url("poll_bulletin", school_a.pk, poll.pk), {"t": receipts[0][:12]})
    assert "已计入" in board.text and "赞成" in board.text  # the counts, never a choice per ballot
    missing = client.get(url("poll_bulletin", school_a.pk, poll.pk), {"t": "ZZZZZZZZZZ"})
    assert "没有找到追踪码" in missing.text
    projector = client.get(url("projector", school_a.pk, congress.pk), headers={"HX-Request": "true"})
    assert "通过" in projector.text and "<html" not in projector.text
    for d in delegates:  # a secret poll never shows names on the projector
        assert d.member.name not in projector.text


def test_an_election_form_refuses_too_few_candidates(login, chair_a, school_a, hall):
    congress, _ = hall
    response = login(chair_a).post(
        url("polls", school_a.pk, congress.pk),
        {"title": "补选委员", "kind": "secret", "candidates": "甲\n乙", "seats": "2", "contested": "on"},
    )
    assert response.status_code == 200 and "差额选举" in response.text
    assert not Poll.objects.exists()


def test_the_opening_button_says_why_it_is_disabled(login, chair_a, school_a):
    congress, delegates = congress_with_delegates(school_a, 12)
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    page = login(chair_a).get(url("poll", school_a.pk, poll.pk))
    assert "未达到法定人数 8 人" in page.text
    response = login(chair_a).post(url("poll_action", school_a.pk, poll.pk, "open"), follow=True)
    assert "不能开始表决" in response.text
    poll.refresh_from_db()
    assert poll.state == "draft"


def test_delegates_page_adds_ends_and_exports(login, chair_a, school_a, hall):
    congress, delegates = hall
    client = login(chair_a)
    newcomer = MemberFactory(org=school_a, name="新代表")
    unit = UnionGroupFactory(org=school_a, name="退休教师组")
    response = client.post(
        url("delegates", school_a.pk, congress.pk),
        {"member": newcomer.pk, "kind": "attending", "elected_on": "2026-12-01", "unit": unit.pk},
    )
    assert response.status_code == 302
    seat = Delegate.objects.get(member=newcomer)
    assert seat.kind == "attending" and seat.unit == unit
    successor = MemberFactory(org=school_a, name="补选代表")
    response = client.post(
        url("delegate_end", school_a.pk, congress.pk, delegates[0].pk),
        {"reason": "recalled", "on": "2026-12-20", "successor": successor.pk},
    )
    assert response.status_code == 302
    old = Delegate.objects.get(pk=delegates[0].pk)
    assert old.until == datetime.date(2026, 12, 20) and old.end_reason == "replaced"
    assert Delegate.objects.get(member=successor).replaces == old
    export = client.get(url("delegates_export", school_a.pk, congress.pk))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "新代表" in names and "补选代表" in names and len(names) == 14
    page = client.get(url("delegates", school_a.pk, congress.pk))
    assert "补选，接替" in page.text


def test_badges_print_every_code(login, chair_a, school_a, hall):
    congress, delegates = hall
    page = login(chair_a).get(url("badges", school_a.pk, congress.pk))
    assert page.text.count("<svg") == len(delegates)


def test_a_department_user_cannot_manage(login, school_a, hall):
    congress, _ = hall
    office = grant(UserFactory(), school_a, "department")
    assert login(office).get(url("checkin", school_a.pk, congress.pk)).status_code == 403


def test_quotas_delegations_and_presidium(login, chair_a, school_a, hall):
    congress, delegates = hall
    grade = UnionGroupFactory(org=school_a, name="高一年级组")
    other = UnionGroupFactory(org=school_a, name="后勤组")
    Delegate.objects.filter(pk__in=[d.pk for d in delegates[:3]]).update(unit=grade)
    client = login(chair_a)
    page = url("structure", school_a.pk, congress.pk)
    # Bad input: a quota of 0 and a word; nothing is written, both are named.
    response = client.post(page, {"form": "quota", f"quota_{grade.pk}": "0", f"quota_{other.pk}": "两"})
    assert response.status_code == 200
    assert "高一年级组 的名额应为正整数" in response.text and "后勤组 的名额应为正整数" in response.text
    assert not UnitQuota.objects.exists()
    response = client.post(page, {"form": "quota", f"quota_{grade.pk}": "4", f"quota_{other.pk}": ""})
    assert response.status_code == 302
    assert dict(UnitQuota.objects.values_list("unit__name", "quota")) == {"高一年级组": 4}
    shown = client.get(page).text
    assert "高一年级组 名额 4 名，已产生代表 3 名，少于名额" in shown and "差 1 名" in shown
    # A delegation whose leader is not among its members is refused with the reason.
    response = client.post(
        page,
        {
            "form": "delegation",
            "name": "高一代表团",
            "leader": delegates[5].member_id,
            "members": [d.pk for d in delegates[:3]],
        },
    )
    assert response.status_code == 200 and "团长" in response.text and not Delegation.objects.exists()
    response = client.post(
        page,
        {
            "form": "delegation",
            "name": "高一代表团",
            "leader": delegates[0].member_id,
            "members": [d.pk for d in delegates[:3]],
        },
    )
    assert response.status_code == 302
    team = Delegation.objects.get()
    assert team.leader == delegates[0].member
    assert set(Delegate.objects.filter(delegation=team).values_list("pk", flat=True)) == {
        d.pk for d in delegates[:3]
    }
    assert f"团长 {delegates[0].member.name}" in client.get(page).text
    # 主席团: two is below the advice and says so; it is kept all the same.
    response = client.post(
        page, {"form": "presidium", "members": [delegates[0].member_id, delegates[1].member_id]}, follow=True
    )
    assert "主席团 2 人，建议 3—5 人。" in response.text
    assert PresidiumMember.objects.filter(congress=congress).count() == 2
    response = client.post(url("delegation_remove", school_a.pk, congress.pk, team.pk))
    assert response.status_code == 302 and not Delegation.objects.exists()


def test_another_orgs_delegation_is_not_found(login, chair_a, school_a, outsider_b, hall):
    congress, _ = hall
    theirs, their_delegates = congress_with_delegates(outsider_b.role_grants.first().org, 2, number=2)
    team = sessions.set_delegation(
        actor=None, term=theirs.term, name="外校", leader=None, members=their_delegates
    )
    response = login(chair_a).post(url("delegation_remove", school_a.pk, congress.pk, team.pk))
    assert response.status_code == 404
    assert Delegation.objects.filter(pk=team.pk).exists()


def test_a_delegate_is_offered_the_ballot_and_the_proposal_form_only_before_the_session(login, school_a):
    today = timezone.localdate()
    coming, seats = congress_with_delegates(school_a, 3, opens_on=today + datetime.timedelta(days=10))
    held, old_seats = congress_with_delegates(
        school_a, 3, opens_on=today - datetime.timedelta(days=100), number=7
    )
    Delegate.objects.filter(pk=old_seats[0].pk).update(member=seats[0].member)  # sat in both
    client = login(delegate_user(seats[0]))
    ahead = client.get(url("detail", school_a.pk, coming.pk)).text
    assert "我要投票" in ahead and "提交提案" in ahead and "我的代表证" in ahead
    past = client.get(url("detail", school_a.pk, held.pk)).text
    assert "我要投票" not in past and "提交提案" not in past
    # While a poll of a past-dated session is still open, the ballot is offered.
    Poll.objects.create(
        org=school_a, congress=held, title="补充表决", kind="secret", state="open", options=["赞成"]
    )
    assert "我要投票" in client.get(url("detail", school_a.pk, held.pk)).text


def test_the_phone_says_plainly_when_a_ballot_was_not_recorded(login, chair_a, school_a, hall, monkeypatch):
    """A receipt collision (or a lock that outlasted the wait) writes nothing; the voter is told
    to vote again, and can."""
    congress, delegates = hall
    poll = voting.create_poll(actor=chair_a, congress=congress, title="审议《绩效方案》", kind="named")
    voting.open_poll(actor=chair_a, poll=poll)
    voting.cast_ballot(user=delegate_user(delegates[1]), poll_id=poll.pk, choice="赞成")
    taken = Ballot.objects.get(poll=poll).receipt
    monkeypatch.setattr(voting, "new_receipt", lambda: taken)
    voter = login(delegate_user(delegates[0]))
    response = voter.post(url("vote", school_a.pk, congress.pk), {"poll": poll.pk, "choice": "反对"})
    assert response.status_code == 503 and "没有记录成功" in response.text and "请重新提交" in response.text
    assert Ballot.objects.filter(poll=poll).count() == 1
    monkeypatch.undo()
    again = voter.post(url("vote", school_a.pk, congress.pk), {"poll": poll.pk, "choice": "反对"})
    assert again.status_code == 200 and "投票成功" in again.text
