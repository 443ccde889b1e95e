"""Sessions and votes through the services: quorum, one ballot per delegate, the secret ballot,
the result by the national rule, elections, recount."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import Http404

from jiaogong.congress import sessions, voting
from jiaogong.congress.models import Ballot, Delegate, Poll, SealedBallot, Turnout
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.core.rules import set_org_value
from jiaogong.factories import (
    MemberFactory,
    UserFactory,
    close_and_count,
    congress_with_delegates,
    decrypt,
    delegate_user,
    grant,
)


def check_in(congress, delegates, chair):
    for d in delegates:
        sessions.check_in(actor=chair, congress=congress, delegate=d)


@pytest.fixture
def hall(school_a, chair_a):
    """12 delegates, 8 present: exactly the quorum (8 × 3 = 12 × 2)."""
    congress, delegates = congress_with_delegates(school_a, 12)
    check_in(congress, delegates[:8], chair_a)
    return congress, delegates


def open_motion(congress, chair, kind="secret"):
    poll = voting.create_poll(actor=chair, congress=congress, title="审议《绩效工资分配方案》", kind=kind)
    return voting.open_poll(actor=chair, poll=poll)


def test_quorum_counts_formal_delegates_only(school_a, chair_a):
    congress, delegates = congress_with_delegates(school_a, 12)
    guest = delegates[11]
    guest.kind = "invited"
    guest.save()
    check_in(congress, delegates, chair_a)
    status = sessions.quorum_status(congress)
    assert (status.total, status.present, status.needed, status.met) == (11, 11, 8, True)


def test_a_poll_opens_only_on_quorum(school_a, chair_a):
    congress, delegates = congress_with_delegates(school_a, 12)
    check_in(congress, delegates[:7], chair_a)
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    with pytest.raises(DomainError) as e:
        voting.open_poll(actor=chair_a, poll=poll)
    assert e.value.code == "quorum_not_met"
    assert "法定人数 8 人" in e.value.message
    poll.refresh_from_db()
    assert poll.state == "draft"
    check_in(congress, delegates[7:8], chair_a)
    assert voting.open_poll(actor=chair_a, poll=poll).state == "open"


def test_the_worked_example_of_the_rules(school_a, chair_a):
    """120 delegates, 85 present: quorum met; 61 yes needed; 60 yes fails, 61 passes."""
    congress, delegates = congress_with_delegates(school_a, 120, present=85)
    outcomes = {}
    for yes in (60, 61):
        poll = open_motion(congress, chair_a)
        for i, d in enumerate(delegates[:85]):
            voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="赞成" if i < yes else "反对")
        outcomes[yes] = close_and_count(chair_a, poll)
    assert outcomes[60]["quorum_met"] and outcomes[60]["yes_needed"] == 61
    assert outcomes[60]["passed"] is False
    assert outcomes[61]["passed"] is True
    assert outcomes[61]["counts"] == {"赞成": 61, "反对": 24, "弃权": 0}
    assert (outcomes[61]["total_delegates"], outcomes[61]["present"], outcomes[61]["cast"]) == (120, 85, 85)


def test_a_majority_of_those_present_is_not_enough_by_the_national_rule(hall, chair_a):
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    for i, d in enumerate(delegates[:8]):  # 6 of 8 present say yes: 6 × 2 = 12, not > 12
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="赞成" if i < 6 else "弃权")
    result = close_and_count(chair_a, poll)
    assert result["passed"] is False and result["majority_base"] == "total" and result["conforms"] is True


def test_a_school_rule_counting_those_present_says_it_does_not_conform(hall, chair_a, school_a):
    congress, delegates = hall
    set_org_value(
        actor=chair_a, org=school_a, key="congress.majority_base", text="present", source="校教代会决议"
    )
    poll = open_motion(congress, chair_a)
    for i, d in enumerate(delegates[:8]):
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="赞成" if i < 6 else "弃权")
    result = close_and_count(chair_a, poll)
    assert result["passed"] is True
    assert result["majority_base"] == "present" and result["conforms"] is False and result["yes_needed"] == 5


def test_one_ballot_per_delegate_and_only_present_formal_delegates_vote(hall, chair_a, school_a):
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    voter = delegate_user(delegates[0])
    tracker = voting.cast_ballot(user=voter, poll_id=poll.pk, choice="赞成")
    assert len(tracker) == 52 and SealedBallot.objects.get().tracker == tracker
    with pytest.raises(Conflict) as e:
        voting.cast_ballot(user=voter, poll_id=poll.pk, choice="反对")
    assert e.value.code == "already_voted"
    with pytest.raises(PermissionDenied, match="尚未签到"):
        voting.cast_ballot(user=delegate_user(delegates[9]), poll_id=poll.pk, choice="赞成")
    with pytest.raises(PermissionDenied, match="正式代表"):
        voting.cast_ballot(user=chair_a, poll_id=poll.pk, choice="赞成")
    with pytest.raises(InvalidInput):
        voting.cast_ballot(user=delegate_user(delegates[1]), poll_id=poll.pk, choice="同意")
    assert SealedBallot.objects.filter(poll=poll).count() == 1 and not Ballot.objects.exists()
    assert Turnout.objects.filter(poll=poll).count() == 1


def test_a_ballot_outside_the_voting_window_is_refused(hall, chair_a):
    congress, delegates = hall
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    with pytest.raises(Conflict) as e:
        voting.cast_ballot(user=delegate_user(delegates[0]), poll_id=poll.pk, choice="赞成")
    assert e.value.code == "poll_not_open"
    voting.open_poll(actor=chair_a, poll=poll)
    voting.close_poll(actor=chair_a, poll=poll)
    with pytest.raises(Conflict):
        voting.cast_ballot(user=delegate_user(delegates[1]), poll_id=poll.pk, choice="赞成")
    assert (
        not SealedBallot.objects.filter(poll=poll).exists() and not Turnout.objects.filter(poll=poll).exists()
    )


def test_the_database_refuses_a_second_turnout_row(hall, chair_a):
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    Turnout.objects.create(poll=poll, delegate=delegates[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Turnout.objects.create(poll=poll, delegate=delegates[0])


def test_a_secret_ballot_is_stored_only_as_ciphertexts(hall, chair_a):
    """The sealed table holds the tracker, the poll and the encrypted body: no voter, no time, no
    sequence, and no column or value that says what was chosen (the joins a database reader can
    make are played out in test_secrecy.py)."""
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    for d, choice in zip(delegates[:3], ["赞成", "反对", "弃权"], strict=True):
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice=choice)
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(cursor, SealedBallot._meta.db_table)
        }
    assert columns == {"tracker", "poll_id", "body"}
    assert not any(
        f.get_internal_type() in {"DateTimeField", "DateField", "AutoField"}
        for f in SealedBallot._meta.fields
    )
    for sealed in SealedBallot.objects.filter(poll=poll):
        assert set(sealed.body) == {"credential", "answers"}
        assert len(sealed.body["answers"][0]["ciphertexts"]) == 3
        assert not any(option in str(sealed.body) for option in poll.options)
    assert not Ballot.objects.exists()
    if connection.vendor == "sqlite":
        # Nor a rowid, which would number the ballots in the order they came: WITHOUT ROWID.
        with connection.cursor() as cursor, pytest.raises(OperationalError, match="rowid"):
            cursor.execute("SELECT rowid FROM congress_sealedballot")
    # The audit trail says who voted, never what a secret voter chose.
    votes = AuditEvent.objects.filter(action="congress.poll.vote")
    assert votes.count() == 3 and all(set(e.changes) == {"delegate"} for e in votes)


def test_a_secret_poll_opens_only_under_the_scrutineers_joint_key(school_a, chair_a):
    congress, delegates = congress_with_delegates(school_a, 6, present=6, scrutineers=0)
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    with pytest.raises(DomainError) as e:
        voting.open_poll(actor=chair_a, poll=poll)
    assert e.value.code == "no_joint_key" and "监票人" in e.value.message
    named = voting.create_poll(actor=chair_a, congress=congress, title="记名", kind="named")
    assert voting.open_poll(actor=chair_a, poll=named).state == "open"  # a named vote needs no key
    from jiaogong.factories import appoint_scrutineers

    appoint_scrutineers(congress, delegates[:3])
    opened = voting.open_poll(actor=chair_a, poll=poll)
    congress.refresh_from_db()
    assert opened.descriptor["public_key"] == congress.joint_key
    assert opened.descriptor["questions"] == [{"options": ["赞成", "反对", "弃权"], "min": 1, "max": 1}]


def test_a_secret_poll_counts_only_when_every_scrutineer_has_decrypted(hall, chair_a):
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    for i, d in enumerate(delegates[:8]):
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="赞成" if i < 7 else "反对")
    closing = voting.close_poll(actor=chair_a, poll=poll)
    assert closing["state"] == "counting" and closing["counts"] == {} and closing["cast"] == 8
    poll.refresh_from_db()
    assert poll.result is None and len(poll.encrypted_tally[0]) == 3
    decrypt(poll, skip=1)  # one of the two 监票人 has not decrypted yet: nothing is known
    assert poll.state == "counting" and poll.result is None and voting.result(poll)["counts"] == {}
    from jiaogong.congress.models import Scrutineer
    from jiaogong.factories import SCRUTINEER_CODES

    last = Scrutineer.objects.filter(congress=congress).order_by("position").last()
    with pytest.raises(DomainError) as e:  # the other 监票人's code is not theirs
        voting.submit_partial_decryption(
            user=delegate_user(delegates[11]),
            poll=poll,
            backup_code=SCRUTINEER_CODES[congress.pk][delegates[10].member_id],
        )
    assert e.value.code == "wrong_backup_code"
    voting.submit_partial_decryption(
        user=delegate_user(delegates[11]),
        poll=poll,
        backup_code=SCRUTINEER_CODES[congress.pk][last.member_id],
    )
    poll.refresh_from_db()
    assert poll.state == "closed" and poll.result["counts"] == {"赞成": 7, "反对": 1, "弃权": 0}
    assert poll.result["passed"] is True  # 7 × 2 = 14 > 12 delegates
    assert sorted(poll.result["receipts"]) == sorted(SealedBallot.objects.values_list("tracker", flat=True))
    with pytest.raises(Conflict):
        voting.submit_partial_decryption(
            user=delegate_user(delegates[11]),
            poll=poll,
            backup_code=SCRUTINEER_CODES[congress.pk][last.member_id],
        )


def test_a_named_ballot_keeps_its_voter_and_is_published(hall, chair_a):
    congress, delegates = hall
    poll = open_motion(congress, chair_a, kind="named")
    receipts = [
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="赞成") for d in delegates[:8]
    ]
    result = voting.close_poll(actor=chair_a, poll=poll)
    assert result["state"] == "closed"
    assert {v["delegate"] for v in result["votes"]} == {d.member.name for d in delegates[:8]}
    assert result["passed"] is True  # 8 × 2 = 16 > 12
    assert sorted(result["receipts"]) == sorted(receipts)
    poll.refresh_from_db()
    assert voting.receipt_lookup(poll, receipts[0].lower()) == {"receipt": receipts[0], "choices": ["赞成"]}


def test_the_result_is_hidden_while_voting_and_kept_at_close(hall, chair_a):
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    trackers = [
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="赞成") for d in delegates[:7]
    ]
    live = voting.result(poll)
    assert live["cast"] == 7 and live["counts"] == {} and live["receipts"] == [] and live["passed"] is None
    # A voter finds their tracker while voting goes on, and the tracker says nothing of the choice.
    assert voting.receipt_lookup(poll, trackers[0][:12].lower()) == {"tracker": trackers[0]}
    result = close_and_count(chair_a, poll)
    assert result["passed"] is True
    assert result["receipts"] == sorted(trackers)  # trackers only, never next to a choice
    assert all(isinstance(r, str) for r in result["receipts"])
    # A delegate leaving after the close does not change the kept snapshot.
    sessions.end_seat(actor=chair_a, delegate=delegates[9], on=congress.opens_on, reason="left")
    poll.refresh_from_db()
    assert voting.result(poll)["total_delegates"] == 12 and poll.total_delegates == 12
    assert voting.receipt_lookup(poll, "NOSUCHCODE") is None
    with pytest.raises(Conflict):
        voting.close_poll(actor=chair_a, poll=poll)


def test_recount_agrees_and_finds_a_tampered_result(hall, chair_a):
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    for d in delegates[:8]:
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="反对")
    close_and_count(chair_a, poll)
    out = StringIO()
    call_command("recount_poll", poll.pk, stdout=out)
    assert "复核一致" in out.getvalue() and "反对: 8" in out.getvalue()
    poll.refresh_from_db()
    poll.result["counts"]["反对"] = 3
    Poll.objects.filter(pk=poll.pk).update(result=poll.result)
    with pytest.raises(CommandError, match="不一致"):
        call_command("recount_poll", poll.pk, stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="没有 id"):
        call_command("recount_poll", 999999, stdout=StringIO())


# ---- elections -------------------------------------------------------------------------------------------


def test_a_contested_election_needs_more_candidates_than_seats(hall, chair_a):
    congress, _ = hall
    with pytest.raises(DomainError) as e:
        voting.create_poll(
            actor=chair_a,
            congress=congress,
            title="选举委员",
            kind="secret",
            options=["甲", "乙", "丙"],
            seats=3,
        )
    assert e.value.code == "not_competitive"
    assert not Poll.objects.exists()
    poll = voting.create_poll(
        actor=chair_a,
        congress=congress,
        title="选举主席",
        kind="secret",
        options=["甲"],
        seats=1,
        contested=False,
    )
    assert poll.is_election and poll.options == ["甲"]
    with pytest.raises(InvalidInput):
        voting.create_poll(
            actor=chair_a, congress=congress, title="选举", kind="secret", options=["甲", "甲"], seats=1
        )


def test_an_election_elects_within_the_seats_by_votes(hall, chair_a):
    congress, delegates = hall
    poll = voting.create_poll(
        actor=chair_a,
        congress=congress,
        title="选举经审委员",
        kind="secret",
        options=["甲", "乙", "丙", "丁"],
        seats=2,
    )
    voting.open_poll(actor=chair_a, poll=poll)
    with pytest.raises(InvalidInput):  # more marks than seats
        voting.cast_ballot(user=delegate_user(delegates[0]), poll_id=poll.pk, choice=["甲", "乙", "丙"])
    # due 12 → 7 votes needed: 甲 8 and 乙 7 pass; 丙 1 does not.
    marks = [["甲", "乙"]] * 7 + [["甲", "丙"]]
    for d, m in zip(delegates[:8], marks, strict=True):
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice=m)
    result = close_and_count(chair_a, poll)
    assert result["counts"] == {"甲": 8, "乙": 7, "丙": 1, "丁": 0}
    assert result["elected"] == ["甲", "乙"] and result["vacant"] == 0 and result["yes_needed"] == 7
    assert result["attendance_ok"] is True and result["passed"] is True


def test_too_few_votes_leave_a_seat_vacant(hall, chair_a):
    congress, delegates = hall
    poll = voting.create_poll(
        actor=chair_a, congress=congress, title="选举委员", kind="secret", options=["甲", "乙", "丙"], seats=2
    )
    voting.open_poll(actor=chair_a, poll=poll)
    for i, d in enumerate(delegates[:8]):  # 甲 8, 乙 4, 丙 4: only 甲 reaches 7
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice=["甲", "乙" if i % 2 else "丙"])
    result = close_and_count(chair_a, poll)
    assert result["elected"] == ["甲"] and result["vacant"] == 1 and result["runoff"] == []


def test_a_tie_across_the_last_seat_asks_for_a_runoff(school_a, chair_a):
    congress, delegates = congress_with_delegates(school_a, 12)
    check_in(congress, delegates, chair_a)
    poll = voting.create_poll(
        actor=chair_a,
        congress=congress,
        title="选举委员",
        kind="secret",
        options=["甲", "乙", "丙", "丁"],
        seats=3,
    )
    voting.open_poll(actor=chair_a, poll=poll)
    # 甲 12; 乙, 丙, 丁 8 each (all pass the bar of 7) for the two seats left.
    others = [["乙", "丙"], ["乙", "丁"], ["丙", "丁"]] * 4
    for d, pair in zip(delegates, others, strict=True):
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice=["甲", *pair])
    result = close_and_count(chair_a, poll)
    assert result["counts"] == {"甲": 12, "乙": 8, "丙": 8, "丁": 8}
    assert result["elected"] == ["甲"]
    assert sorted(result["runoff"]) == sorted(["乙", "丙", "丁"])
    assert result["vacant"] == 2


def test_the_kept_result_reads_in_the_order_of_the_options(hall, chair_a):
    # PostgreSQL's jsonb stores keys in its own order; papers and the screen must read 赞成 · 反对 · 弃权.
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    voting.cast_ballot(user=delegate_user(delegates[0]), poll_id=poll.pk, choice="弃权")
    close_and_count(chair_a, poll)
    poll.refresh_from_db()
    assert list(voting.result(poll)["counts"]) == ["赞成", "反对", "弃权"]
    poll.result = {**poll.result, "counts": {"弃权": 1, "反对": 0, "赞成": 0}}
    assert list(voting.kept_result(poll)["counts"]) == ["赞成", "反对", "弃权"]
    assert voting.kept_result(poll)["counts"]["弃权"] == 1


def test_a_receipt_collision_writes_nothing_and_says_not_recorded(hall, chair_a, monkeypatch):
    congress, delegates = hall
    poll = open_motion(congress, chair_a, kind="named")
    monkeypatch.setattr(voting, "new_receipt", lambda: "ABCDEFGHJK")
    voting.cast_ballot(user=delegate_user(delegates[0]), poll_id=poll.pk, choice="赞成")
    with pytest.raises(voting.NotRecorded) as e:
        voting.cast_ballot(user=delegate_user(delegates[1]), poll_id=poll.pk, choice="反对")
    assert e.value.status == 503 and "没有记录成功" in e.value.message
    # Nothing of the second ballot was kept: no turnout, no audit row; the delegate may vote again.
    assert Turnout.objects.filter(poll=poll).count() == 1
    assert AuditEvent.objects.filter(action="congress.poll.vote").count() == 1
    monkeypatch.setattr(voting, "new_receipt", lambda: "ZZZZEFGHJK")
    assert (
        voting.cast_ballot(user=delegate_user(delegates[1]), poll_id=poll.pk, choice="反对") == "ZZZZEFGHJK"
    )


def test_the_vote_audit_row_is_complete(hall, chair_a):
    congress, delegates = hall
    poll = open_motion(congress, chair_a, kind="named")
    user = delegate_user(delegates[2])
    voting.cast_ballot(user=user, poll_id=poll.pk, choice="弃权")
    event = AuditEvent.objects.get(action="congress.poll.vote")
    assert (event.org_id, event.actor_id, event.object_type, event.object_id) == (
        congress.org_id,
        user.pk,
        "congress.poll",
        str(poll.pk),
    )
    assert event.object_repr == poll.title and event.at is not None
    assert event.changes == {"delegate": delegates[2].pk, "choices": ["弃权"]}


def _refusal(poll, user, choice):
    with pytest.raises((DomainError, PermissionDenied, Http404)) as e:
        voting.cast_ballot(user=user, poll_id=poll.pk, choice=choice)
    return e.value


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("not_seated", "您不是本次会议有表决权的正式代表"),
        ("attending", "您不是本次会议有表决权的正式代表"),
        ("seat_ended", "您不是本次会议有表决权的正式代表"),
        ("not_checked_in", "您尚未签到"),
        ("unknown_option", "请选择：赞成、反对、弃权。"),
        ("list_for_a_motion", "请选择：赞成、反对、弃权。"),
        ("draft", "该表决未在进行中"),
        ("closed", "该表决已结束"),
        ("no_such_poll", "没有找到该表决"),
    ],
)
def test_every_refused_ballot_says_why_and_writes_nothing(hall, chair_a, school_a, case, expected):
    congress, delegates = hall
    poll = open_motion(congress, chair_a)
    user, choice = delegate_user(delegates[0]), "赞成"
    if case == "not_seated":
        user = grant(UserFactory(member=MemberFactory(org=school_a)), school_a, "member")
    elif case == "attending":
        Delegate.objects.filter(pk=delegates[0].pk).update(kind="attending")
    elif case == "seat_ended":
        Delegate.objects.filter(pk=delegates[0].pk).update(until=congress.opens_on)
    elif case == "not_checked_in":
        user = delegate_user(delegates[10])
    elif case == "unknown_option":
        choice = "同意"
    elif case == "list_for_a_motion":
        choice = ["赞成"]
    elif case == "draft":
        poll = voting.create_poll(actor=chair_a, congress=congress, title="未开始", kind="secret")
    elif case == "closed":
        voting.close_poll(actor=chair_a, poll=poll)
    elif case == "no_such_poll":
        poll = Poll(pk=poll.pk + 1000)
    error = _refusal(poll, user, choice)
    text = getattr(error, "message", "") + str(getattr(error, "fields", "")) + str(error)
    assert expected in text, text
    assert not Turnout.objects.exists() and not SealedBallot.objects.exists()
    assert not AuditEvent.objects.filter(action="congress.poll.vote").exists()


@pytest.mark.parametrize(
    "marks",
    [["甲", "乙", "丙"], ["甲", "甲"], ["戊"], "戊", 3],
)
def test_a_bad_election_ballot_is_refused_and_writes_nothing(hall, chair_a, marks):
    congress, delegates = hall
    poll = voting.create_poll(
        actor=chair_a,
        congress=congress,
        title="补选委员",
        kind="secret",
        options=["甲", "乙", "丙", "丁"],
        seats=2,
    )
    voting.open_poll(actor=chair_a, poll=poll)
    error = _refusal(poll, delegate_user(delegates[0]), marks)
    assert "请在候选人中选择，最多 2 名，不能重复" in str(error.fields)
    assert not Turnout.objects.exists() and not SealedBallot.objects.exists()
    # A good ballot after the bad one counts: up to two marks, or none (a blank ballot).
    voting.cast_ballot(user=delegate_user(delegates[0]), poll_id=poll.pk, choice=["甲", "丁"])
    voting.cast_ballot(user=delegate_user(delegates[1]), poll_id=poll.pk, choice=[])
    voting.cast_ballot(user=delegate_user(delegates[2]), poll_id=poll.pk, choice="乙")
    result = close_and_count(chair_a, poll)
    assert result["cast"] == 3 and result["counts"] == {"甲": 1, "乙": 1, "丙": 0, "丁": 1}
