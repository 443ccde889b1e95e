"""提案 through the services: the lifecycle, every refusal (writing nothing), the state machine
against rules.TRANSITIONS, the committee and departments, and the overdue reminders."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from jiaogong.congress import proposals as service
from jiaogong.congress import rules
from jiaogong.congress.models import (
    Delegate,
    Department,
    Proposal,
    ProposalCommitteeMember,
    ProposalEvent,
    ProposalSecond,
)
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.core.rules import set_org_value
from jiaogong.factories import UserFactory, congress_with_delegates, delegate_user, grant
from jiaogong.members.rules import add_months

TODAY = datetime.date(2026, 11, 2)
OPENS = datetime.date(2026, 12, 10)  # deadline (15 days before): 2026-11-25


def build_cast(org, chair, *, opens_on=OPENS, delegates=5):
    """A session with formal delegates (each with a login), a 总务处 with one clerk, and a 教务处."""
    congress, seats = congress_with_delegates(org, delegates, opens_on=opens_on)
    users = [delegate_user(d) for d in seats]
    office = Department.objects.create(org=org, name="总务处")
    clerk = grant(UserFactory(username="clerk", first_name="钱主任"), org, "department")
    office.users.add(clerk)
    teaching = Department.objects.create(org=org, name="教务处")
    return SimpleNamespace(
        congress=congress,
        seats=seats,
        users=users,
        office=office,
        teaching=teaching,
        clerk=clerk,
        chair=chair,
    )


def draft(cast, by: int = 0, today=TODAY, **kwargs) -> Proposal:
    data = {
        "title": "改善教师食堂午餐",
        "reasons": "菜品单一，排队时间长。",
        "measures": "增加窗口，每周公布菜单。",
    }
    return service.draft_proposal(
        actor=cast.users[by], congress=cast.congress, today=today, **(data | kwargs)
    )


def submitted(cast, by: int = 0) -> Proposal:
    proposal = draft(cast, by)
    others = [i for i in range(len(cast.users)) if i != by][:2]
    for i in others:
        proposal = service.second_proposal(actor=cast.users[i], proposal=proposal)
    assert proposal.state == "submitted"
    return proposal


def assigned(cast, by: int = 0) -> Proposal:
    return service.review_proposal(
        actor=cast.chair,
        proposal=submitted(cast, by),
        decision="accept",
        lead_department=cast.office,
        today=TODAY,
    )


def counts():
    return (
        Proposal.objects.count(),
        ProposalSecond.objects.count(),
        ProposalEvent.objects.count(),
        # Only the congress's audit rows: an API client's new token is audited too.
        AuditEvent.objects.filter(action__startswith="congress.").count(),
    )


@pytest.fixture
def cast(school_a, chair_a):
    return build_cast(school_a, chair_a)


# ---- the lifecycle ----------------------------------------------------------------------------------------


def test_the_whole_lifecycle_from_draft_to_closed(cast):
    p = draft(cast)
    assert (p.state, p.kind, p.proposer, p.number) == (
        "awaiting_seconds",
        "proposal",
        cast.seats[0].member,
        None,
    )

    p = service.second_proposal(actor=cast.users[1], proposal=p)
    assert (p.state, p.seconds.count(), p.submitted_at) == ("awaiting_seconds", 1, None)
    p = service.second_proposal(actor=cast.users[2], proposal=p)
    assert (p.state, p.seconds.count()) == ("submitted", 2)
    assert p.submitted_at is not None

    p = service.review_proposal(
        actor=cast.chair,
        proposal=p,
        decision="accept",
        lead_department=cast.office.pk,
        supporting_departments=[cast.teaching.pk, cast.office.pk],
        today=TODAY,
    )
    assert (p.state, p.number, p.lead_department, p.assigned_on) == ("assigned", 1, cast.office, TODAY)
    assert p.reply_due_on == datetime.date(2027, 2, 2)  # 3 months (congress.reply_due_months)
    assert list(p.supporting_departments.all()) == [cast.teaching]  # the lead is not also a supporter

    p = service.record_progress(actor=cast.clerk, proposal=p, percent=40, note="已增设一个窗口")
    assert (p.state, p.progress) == ("assigned", 40)
    p = service.reply_proposal(
        actor=cast.clerk, proposal=p, code="B", text="下学期增设两个窗口。", today=TODAY
    )
    assert (p.state, p.reply_code, p.replied_on) == ("replied", "B", TODAY)

    later = TODAY + datetime.timedelta(days=10)
    p = service.rate_proposal(actor=cast.users[0], proposal=p, rating="unsatisfied", today=later)
    assert (p.state, p.reopened_once, p.rating) == ("reopened", True, "unsatisfied")
    assert p.reply_due_on == add_months(later, 3)

    p = service.record_progress(actor=cast.clerk, proposal=p, percent=90)
    p = service.reply_proposal(
        actor=cast.clerk, proposal=p, code="A", text="已增设两个窗口并公布菜单。", today=later
    )
    assert (p.state, p.reply_code, p.progress) == ("replied", "A", 100)
    # After the second handling any rating closes it, even 不满意.
    p = service.rate_proposal(actor=cast.users[0], proposal=p, rating="unsatisfied", today=later)
    assert (p.state, p.closed_on) == ("closed", later)

    kinds = list(p.events.values_list("kind", flat=True))
    assert kinds == [
        "awaiting_seconds",
        "second",
        "second",
        "submitted",
        "accepted",
        "assigned",
        "progress",
        "replied",
        "rated",
        "reopened",
        "progress",
        "replied",
        "rated",
        "closed",
    ]
    # Each transition is audited under its own action code, on this proposal.
    actions = list(
        AuditEvent.objects.filter(object_type="congress.proposal", object_id=str(p.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "congress.proposal." + a
        for a in [
            "draft",
            "second",
            "second",
            "submit",
            "accept",
            "assign",
            "progress",
            "reply",
            "rate",
            "reopen",
            "progress",
            "reply",
            "rate",
            "close",
        ]
    ]
    first_reply = p.events.filter(kind="replied").first()
    assert first_reply.note.startswith("B 正在解决或列入计划：下学期增设两个窗口")


def test_a_satisfied_rating_closes_at_once(cast):
    p = service.reply_proposal(
        actor=cast.clerk, proposal=assigned(cast), code="A", text="已解决。", today=TODAY
    )
    p = service.rate_proposal(actor=cast.users[0], proposal=p, rating="basically_satisfied", today=TODAY)
    assert (p.state, p.closed_on, p.reopened_once) == ("closed", TODAY, False)


def test_accepting_without_a_department_leaves_it_to_assign_later(cast):
    p = service.review_proposal(actor=cast.chair, proposal=submitted(cast), decision="accept", reason="立案")
    assert (p.state, p.number, p.lead_department) == ("accepted", 1, None)
    p = service.assign_proposal(
        actor=cast.chair, proposal=p, lead_department="教务处", supporting_departments=["总务处"], today=TODAY
    )
    assert (p.state, p.lead_department, p.reply_due_on) == (
        "assigned",
        cast.teaching,
        datetime.date(2027, 2, 2),
    )
    second = service.review_proposal(actor=cast.chair, proposal=submitted(cast, by=3), decision="accept")
    assert second.number == 2


def test_reply_due_follows_the_parameter_and_clamps_the_day(cast, school_a):
    set_org_value(
        actor=cast.chair, org=school_a, key="congress.reply_due_months", text="1", source="校教代会决定"
    )
    p = service.review_proposal(actor=cast.chair, proposal=submitted(cast), decision="accept")
    p = service.assign_proposal(
        actor=cast.chair, proposal=p, lead_department=cast.office, today=datetime.date(2027, 1, 31)
    )
    assert p.reply_due_on == datetime.date(2027, 2, 28)


# ---- drafting -------------------------------------------------------------------------------------------------


def test_a_draft_after_the_deadline_becomes_a_suggestion(cast):
    deadline = rules.proposal_deadline(OPENS, 15)
    on_time = draft(cast, today=deadline)
    late = draft(cast, today=deadline + datetime.timedelta(days=1))
    assert (on_time.kind, late.kind) == ("proposal", "suggestion")
    assert "作为意见建议登记" in late.events.get().note


def test_the_deadline_is_a_parameter(cast, school_a):
    set_org_value(
        actor=cast.chair,
        org=school_a,
        key="congress.proposal_deadline_days",
        text="30",
        source="本校提案办法",
    )
    # Opens 12-10, so the last day is 11-10 (the default 15 days would still allow 11-11).
    assert draft(cast, today=datetime.date(2026, 11, 11)).kind == "suggestion"
    assert draft(cast, today=datetime.date(2026, 11, 10)).kind == "proposal"


def test_only_a_current_formal_delegate_may_draft(cast, member_a):
    attending = cast.seats[3]
    Delegate.objects.filter(pk=attending.pk).update(kind="attending")
    ended = cast.seats[4]
    Delegate.objects.filter(pk=ended.pk).update(until=TODAY, end_reason="left")
    before = counts()
    for user in (member_a, cast.users[3], cast.users[4], cast.chair):
        with pytest.raises(DomainError) as e:
            service.draft_proposal(actor=user, congress=cast.congress, title="x", reasons="y", measures="z")
        assert (e.value.code, e.value.status) == ("not_delegate", 422)
        assert "正式代表" in e.value.message
    assert counts() == before


def test_blank_fields_are_refused_with_chinese_messages(cast):
    before = counts()
    with pytest.raises(InvalidInput) as e:
        draft(cast, title=" ", reasons="", measures=None)
    assert e.value.fields == {
        "title": "请填写案由（一事一案，简要写明提案事项）。",
        "reasons": "请填写理由。",
        "measures": "请填写建议措施。",
    }
    with pytest.raises(InvalidInput) as e:
        draft(cast, title="长" * 201)
    assert e.value.fields == {"title": "最多 200 个字。"}
    assert counts() == before


# ---- seconding ----------------------------------------------------------------------------------------------------


def test_seconding_refusals_write_nothing(cast, member_a):
    p = draft(cast)
    service.second_proposal(actor=cast.users[1], proposal=p)
    before = counts()
    with pytest.raises(DomainError) as e:
        service.second_proposal(actor=cast.users[0], proposal=p)
    assert (e.value.code, e.value.status) == ("own_proposal", 422)
    with pytest.raises(Conflict) as e:
        service.second_proposal(actor=cast.users[1], proposal=p)
    assert (e.value.code, e.value.status, e.value.message) == ("already_seconded", 409, "您已附议过该提案。")
    with pytest.raises(DomainError) as e:
        service.second_proposal(actor=member_a, proposal=p)
    assert (e.value.code, e.value.status) == ("not_delegate", 422)
    assert counts() == before
    p = service.second_proposal(actor=cast.users[2], proposal=p)
    assert p.state == "submitted"
    before = counts()
    with pytest.raises(Conflict) as e:
        service.second_proposal(actor=cast.users[3], proposal=p)
    assert e.value.code == "bad_state"
    assert e.value.message == "该提案当前状态为“已提交”，不能附议。"
    assert counts() == before


def test_the_number_of_seconds_is_a_parameter(cast, school_a):
    set_org_value(
        actor=cast.chair, org=school_a, key="congress.proposal_min_seconds", text="3", source="本校提案办法"
    )
    p = draft(cast)
    for i in (1, 2):
        p = service.second_proposal(actor=cast.users[i], proposal=p)
    assert (p.state, p.seconds.count()) == ("awaiting_seconds", 2)
    p = service.second_proposal(actor=cast.users[3], proposal=p)
    assert p.state == "submitted"


# ---- review -------------------------------------------------------------------------------------------------------


def test_only_the_committee_and_managers_review(cast, member_a, school_a):
    p = submitted(cast)
    before = counts()
    for user in (member_a, cast.users[3], cast.clerk):
        with pytest.raises(PermissionDenied):
            service.review_proposal(actor=user, proposal=p, decision="accept")
    assert counts() == before
    ProposalCommitteeMember.objects.create(term=cast.congress.term, member=cast.seats[3].member)
    p = service.review_proposal(actor=cast.users[3], proposal=p, decision="accept")
    assert p.state == "accepted"


def test_a_rejection_needs_a_reason_and_may_forward_as_a_suggestion(cast):
    p = submitted(cast)
    before = counts()
    with pytest.raises(InvalidInput) as e:
        service.review_proposal(actor=cast.chair, proposal=p, decision="reject", reason="  ")
    assert e.value.fields == {"reason": "不予立案须写明理由，理由将告知提案人。"}
    with pytest.raises(InvalidInput) as e:
        service.review_proposal(actor=cast.chair, proposal=p, decision="approve")
    assert "decision" in e.value.fields
    assert counts() == before
    p = service.review_proposal(
        actor=cast.chair,
        proposal=p,
        decision="reject",
        reason="属学校行政日常工作。",
        forward_as_suggestion=True,
    )
    assert (p.state, p.kind, p.decision_reason, p.number) == (
        "rejected",
        "suggestion",
        "属学校行政日常工作。",
        None,
    )
    assert "转作意见建议" in p.events.last().note


def test_a_merge_makes_the_proposers_co_proposers_of_the_target(cast):
    target = submitted(cast, by=0)
    other = draft(cast, by=1, title="食堂增加窗口")
    other.co_proposers.add(cast.seats[4].member)
    for i in (2, 3):
        other = service.second_proposal(actor=cast.users[i], proposal=other)
    before = counts()
    with pytest.raises(InvalidInput) as e:
        service.review_proposal(actor=cast.chair, proposal=other, decision="merge")
    assert e.value.fields == {"merge_into": "并案时请选择要并入的提案。"}
    with pytest.raises(InvalidInput):
        service.review_proposal(actor=cast.chair, proposal=other, decision="merge", merge_into=other.pk)
    waiting = draft(cast, by=2)
    with pytest.raises(InvalidInput) as e:
        service.review_proposal(actor=cast.chair, proposal=other, decision="merge", merge_into=waiting.pk)
    assert "待附议" in e.value.fields["merge_into"]
    assert counts()[1:] == (before[1], before[2] + 1, before[3] + 1)  # only the waiting draft was written
    other = service.review_proposal(actor=cast.chair, proposal=other, decision="merge", merge_into=target.pk)
    assert (other.state, other.merged_into) == ("merged", target)
    assert set(target.co_proposers.all()) == {cast.seats[1].member, cast.seats[4].member}
    assert target.events.last().kind == "merge_in"
    assert target.state == "submitted"


def test_another_orgs_department_is_not_found(cast, school_b):
    elsewhere = Department.objects.create(org=school_b, name="外校总务处")
    p = submitted(cast)
    before = counts()
    for value in (elsewhere, elsewhere.pk, "外校总务处"):
        with pytest.raises(InvalidInput) as e:
            service.review_proposal(actor=cast.chair, proposal=p, decision="accept", lead_department=value)
        assert "lead_department" in e.value.fields
    assert counts() == before


# ---- handling, reply, rating, excellent ------------------------------------------------------------------------------


def test_only_the_lead_department_handles_and_replies(cast, member_a, school_a):
    p = service.review_proposal(
        actor=cast.chair,
        proposal=submitted(cast),
        decision="accept",
        lead_department=cast.teaching,
        supporting_departments=[cast.office],
    )
    before = counts()
    for user in (cast.clerk, member_a, cast.users[0], cast.chair):  # the clerk's office only supports
        with pytest.raises(PermissionDenied):
            service.reply_proposal(actor=user, proposal=p, code="A", text="好")
        with pytest.raises(PermissionDenied):
            service.record_progress(actor=user, proposal=p, percent=10)
    assert counts() == before
    cast.teaching.users.add(cast.clerk)
    with pytest.raises(InvalidInput) as e:
        service.record_progress(actor=cast.clerk, proposal=p, percent=101)
    assert e.value.fields == {"percent": "办理进度应为 0 到 100 之间的整数。"}
    with pytest.raises(InvalidInput) as e:
        service.reply_proposal(actor=cast.clerk, proposal=p, code="E", text="")
    assert set(e.value.fields) == {"code", "text"}
    assert counts() == before
    p = service.reply_proposal(actor=cast.clerk, proposal=p, code="C", text="经费不足，暂缓。")
    with pytest.raises(Conflict) as e:
        service.reply_proposal(actor=cast.clerk, proposal=p, code="A", text="又答复")
    assert e.value.message == "该提案当前状态为“已答复”，不能答复。"


def test_only_the_proposer_rates(cast, member_a):
    p = service.reply_proposal(actor=cast.clerk, proposal=assigned(cast), code="A", text="已解决。")
    before = counts()
    for user in (cast.users[1], cast.chair, cast.clerk, member_a):
        with pytest.raises(PermissionDenied):
            service.rate_proposal(actor=user, proposal=p, rating="satisfied")
    with pytest.raises(InvalidInput) as e:
        service.rate_proposal(actor=cast.users[0], proposal=p, rating="很好")
    assert e.value.fields == {"rating": "评价应为满意、基本满意或不满意。"}
    assert counts() == before


def test_managers_mark_excellent_proposals(cast, member_a):
    waiting = draft(cast)
    with pytest.raises(Conflict):
        service.mark_excellent(actor=cast.chair, proposal=waiting)
    p = assigned(cast, by=1)
    with pytest.raises(PermissionDenied):
        service.mark_excellent(actor=member_a, proposal=p)
    p = service.mark_excellent(actor=cast.chair, proposal=p, note="年度优秀提案")
    assert p.excellent is True
    assert p.events.last().kind == "excellent"
    assert AuditEvent.objects.filter(action="congress.proposal.excellent", object_id=str(p.pk)).count() == 1
    events = p.events.count()
    service.mark_excellent(actor=cast.chair, proposal=p)  # unchanged: nothing written
    assert p.events.count() == events
    p = service.mark_excellent(actor=cast.chair, proposal=p, excellent=False)
    assert (p.excellent, p.events.last().kind) == (False, "not_excellent")


# ---- the state machine, exhaustively -------------------------------------------------------------------------------------

SERVICE_ACTIONS = ["second", "accept", "reject", "merge", "assign", "progress", "reply", "rate"]


def act(cast, p: Proposal, action: str, target: Proposal):
    if action == "second":
        return service.second_proposal(actor=cast.users[4], proposal=p)
    if action in ("accept", "reject", "merge"):
        return service.review_proposal(
            actor=cast.chair, proposal=p, decision=action, reason="理由", merge_into=target.pk
        )
    if action == "assign":
        return service.assign_proposal(actor=cast.chair, proposal=p, lead_department=cast.office)
    if action == "progress":
        return service.record_progress(actor=cast.clerk, proposal=p, percent=50)
    if action == "reply":
        return service.reply_proposal(actor=cast.clerk, proposal=p, code="B", text="列入计划")
    return service.rate_proposal(actor=cast.users[0], proposal=p, rating="satisfied")


@pytest.mark.parametrize("state", rules.STATES)
def test_every_service_follows_the_transition_table(cast, state):
    target = submitted(cast, by=1)
    p = draft(cast)
    Proposal.objects.filter(pk=p.pk).update(state=state, lead_department=cast.office)
    for action in SERVICE_ACTIONS:
        p.refresh_from_db()
        Proposal.objects.filter(pk=p.pk).update(state=state)
        p.refresh_from_db()
        expected = rules.TRANSITIONS.get((state, action))
        before = counts()
        if expected is None:
            with pytest.raises(Conflict) as e:
                act(cast, p, action, target)
            assert e.value.code == "bad_state"
            assert service.STATE_LABELS[state] in e.value.message
            assert counts() == before, (state, action)
        else:
            p = act(cast, p, action, target)
            # rate goes on to reopen (不满意 only) or close; second may go on to submit.
            follow = {"rate": "closed"}.get(action, expected)
            assert p.state == follow, (state, action)
            if action == "second":
                ProposalSecond.objects.filter(proposal=p).delete()


def test_reopening_happens_only_once(cast):
    assert rules.next_state("rated", "reopen", reopened_once=True) is None
    p = assigned(cast)
    Proposal.objects.filter(pk=p.pk).update(state="rated", reopened_once=True)
    p.refresh_from_db()
    with pytest.raises(Conflict) as e:
        service._apply(p, "reopen", actor=cast.chair)
    assert "再办理过一次" in e.value.message


# ---- 提案工作委员会 and departments ----------------------------------------------------------------------------------------


def test_managers_name_the_committee(cast, member_a, school_a):
    term = cast.congress.term
    member = cast.seats[0].member
    with pytest.raises(PermissionDenied):
        service.add_committee_member(actor=member_a, term=term, member=member)
    seat = service.add_committee_member(actor=cast.chair, term=term, member=member)
    with pytest.raises(Conflict):
        service.add_committee_member(actor=cast.chair, term=term, member=member)
    assert service.committee_warnings(term) == ["提案工作委员会现有 1 人，通常为 5–7 人。"]
    service.remove_committee_member(actor=cast.chair, seat=seat)
    assert not ProposalCommitteeMember.objects.exists()
    warnings = service.set_committee(actor=cast.chair, term=term, members=[s.member for s in cast.seats])
    assert warnings == [] and term.proposal_committee.count() == 5
    assert AuditEvent.objects.filter(action__startswith="congress.proposal_committee.").count() == 3


def test_departments_are_managed_by_managers(cast, member_a, outsider_b, school_a):
    with pytest.raises(PermissionDenied):
        service.create_department(actor=member_a, org=school_a, name="办公室")
    with pytest.raises(InvalidInput) as e:
        service.create_department(actor=cast.chair, org=school_a, name="总务处")
    assert e.value.fields == {"name": "已有名为“总务处”的部门。"}
    office = service.create_department(actor=cast.chair, org=school_a, name=" 办公室 ", users=[member_a])
    assert (office.name, list(office.users.all())) == ("办公室", [member_a])
    with pytest.raises(InvalidInput):
        service.add_department_user(actor=cast.chair, department=office, user=outsider_b)
    with pytest.raises(Conflict):
        service.add_department_user(actor=cast.chair, department=office, user=member_a)
    service.remove_department_user(actor=cast.chair, department=office, user=member_a)
    assert not office.users.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="congress.department.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["congress.department.create", "congress.department.add_user", "congress.department.remove_user"]


# ---- tenancy ----------------------------------------------------------------------------------------------------------------


def test_another_orgs_proposal_is_not_found(cast, outsider_b, member_a):
    p = draft(cast)
    with pytest.raises(Http404):
        service.proposal_for(outsider_b, p.pk)
    with pytest.raises(Http404):
        service.proposal_for(member_a, 999999)
    assert service.proposal_for(member_a, p.pk) == p


# ---- overdue and reminders ---------------------------------------------------------------------------------------------------


def test_overdue_proposals_are_reminded_once_a_day(cast, school_a, school_b):
    today = timezone.localdate()
    late = assigned(cast)
    Proposal.objects.filter(pk=late.pk).update(reply_due_on=today - datetime.timedelta(days=3))
    due_today = assigned(cast, by=1)
    Proposal.objects.filter(pk=due_today.pk).update(reply_due_on=today)
    replied = service.reply_proposal(actor=cast.clerk, proposal=assigned(cast, by=2), code="A", text="好")
    Proposal.objects.filter(pk=replied.pk).update(reply_due_on=today - datetime.timedelta(days=30))

    assert [p.pk for p in service.overdue(school_a, today)] == [late.pk]
    assert service.overdue(school_b, today) == []

    call_command("remind_overdue_proposals")
    call_command("remind_overdue_proposals")  # the same day: no second reminder
    reminders = ProposalEvent.objects.filter(kind="remind")
    assert [e.proposal_id for e in reminders] == [late.pk]
    assert "逾期 3 天" in reminders.get().note
    assert AuditEvent.objects.filter(action="congress.proposal.remind", object_id=str(late.pk)).count() == 1
    # A day later it is reminded again, and the inbox counts the reminders.
    service.remind_overdue(org=school_a, today=today + datetime.timedelta(days=1))
    ProposalEvent.objects.filter(kind="remind").update(at=timezone.now() - datetime.timedelta(days=1))
    service.remind_overdue(org=school_a, today=today)
    inbox = service.inbox(cast.clerk, school_a, today)
    assert [p.pk for p in inbox][:1] == [late.pk]
    assert inbox[0].is_overdue and inbox[0].n_reminders == 3


def test_the_command_refuses_an_unknown_org(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("remind_overdue_proposals", "--org", "999999")


def test_the_inbox_shows_only_the_users_departments(cast, school_a):
    mine = assigned(cast)
    theirs = service.review_proposal(
        actor=cast.chair, proposal=submitted(cast, by=1), decision="accept", lead_department=cast.teaching
    )
    today = timezone.localdate()
    assert [p.pk for p in service.inbox(cast.clerk, school_a, today)] == [mine.pk]
    assert {p.pk for p in service.inbox(cast.chair, school_a, today)} == {mine.pk, theirs.pk}
    assert service.inbox(UserFactory(), school_a, today) == []
