"""维权 writes: refused input writes nothing and says why in Chinese; the state machine; the
deadline parameter; confidentiality of the audit rows; the contract and its checks; the demo."""

import datetime
import json

import pytest
from django.utils import timezone

from jiaogong.core import rules
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.demo import generate_school
from jiaogong.rights import selectors, services
from jiaogong.rights.demo import load_rights
from jiaogong.rights.models import (
    ClauseCheck,
    CollectiveContract,
    ContractClause,
    ContractReview,
    Hearing,
    MediationCase,
    MediationCommittee,
    MediatorSeat,
)
from jiaogong.rights.tests.conftest import SECRET

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (
            MediationCommittee,
            MediatorSeat,
            MediationCase,
            Hearing,
            CollectiveContract,
            ContractClause,
            ClauseCheck,
            ContractReview,
            AuditEvent,
        )
    ]


def refused(exc_type, fn, **kwargs):
    before = counts()
    with pytest.raises(exc_type) as e:
        fn(**kwargs)
    assert counts() == before
    return e.value


# ---- the committee ---------------------------------------------------------------------------------


def test_a_committee_ending_before_it_is_formed_is_refused(school_a, chair, day):
    e = refused(InvalidInput, services.form_committee, actor=chair, org=school_a, formed_on=day, ends_on=day)
    assert e.fields == {"ends_on": "任期届满日期应晚于成立日期。"}


def test_a_new_term_ends_the_sitting_seats_of_the_last(school_a, chair, committee, day):
    old, seats = committee
    services.form_committee(actor=chair, org=school_a, formed_on=day, ends_on=day.replace(year=day.year + 3))
    assert all(s.until == day for s in old.seats.all())
    assert AuditEvent.objects.filter(action="rights.seat.end").count() == len(seats)
    assert selectors.current_committee(school_a) != old


def test_a_member_sits_once_on_a_committee(school_a, chair, committee, on_case, day):
    e = refused(
        InvalidInput,
        services.add_seat,
        actor=chair,
        committee=committee[0],
        member=on_case.member,
        side="staff",
        is_chair=False,
        since=day,
    )
    assert e.fields == {"member": "孙调解 已是本届调解委员会委员。"}


def test_a_seat_for_another_schools_member_is_refused(school_b, chair, committee, day):
    from jiaogong.factories import MemberFactory

    other = MemberFactory(org=school_b)
    e = refused(
        InvalidInput,
        services.add_seat,
        actor=chair,
        committee=committee[0],
        member=other,
        side="staff",
        is_chair=False,
        since=day,
    )
    assert e.fields == {"member": "请选择本单位的会员或职工。"}


def test_the_committee_overview_shows_the_missing_side_and_the_even_number(school_a, committee, day):
    overview = selectors.committee_overview(school_a, day)
    assert overview["warnings"] == []  # union chair, staff, school: three, odd
    services.end_seat(actor=None, seat=committee[1]["off"], until=day)
    overview = selectors.committee_overview(school_a, day)
    assert overview["warnings"] == [
        "调解委员会应由工会、学校和职工三方组成，缺少学校（行政）代表。",
        "委员现有 2 人；委员人数通常为单数，便于议决。",
    ]


def test_a_seat_ends_once(seats, chair, day):
    services.end_seat(actor=chair, seat=seats["off"], until=day)
    with pytest.raises(Conflict):
        services.end_seat(actor=chair, seat=seats["off"], until=day)


# ---- cases ---------------------------------------------------------------------------------------------


def test_a_case_without_applicant_claim_or_respondent_is_refused(school_a, chair, day):
    e = refused(InvalidInput, services.open_case, actor=chair, org=school_a, subject="pay", applied_on=day)
    assert e.fields == {
        "claim": "请填写申请事项。",
        "applicants": "请选择申请人，或填写名册外申请人的姓名。",
        "respondent_text": "请填写被申请人（如：学校、某部门），或选择一位人员。",
    }


def test_a_case_with_a_bad_subject_and_a_future_date_is_refused(school_a, chair, applicant, day):
    e = refused(
        InvalidInput,
        services.open_case,
        actor=chair,
        org=school_a,
        subject="salary",
        applied_on=day + datetime.timedelta(days=1),
        applicants=[applicant.member],
        respondent_text="学校",
        claim="补发",
    )
    assert e.fields == {"subject": "请选择争议事项。", "applied_on": "申请日期不能晚于今天。"}


def test_a_party_cannot_mediate_their_own_case(school_a, chair, seats, on_case, day):
    e = refused(
        InvalidInput,
        services.open_case,
        actor=chair,
        org=school_a,
        subject="leave",
        applied_on=day,
        applicants=[on_case.member],
        respondent_text="学校",
        claim="补休",
        mediators=[seats["on"]],
    )
    assert e.fields == {"mediators": "当事人不能担任本案调解员（应当回避）。"}


def test_cases_are_numbered_per_year(school_a, chair, applicant, case, day):
    second = services.open_case(
        actor=chair,
        org=school_a,
        subject="leave",
        applied_on=day,
        applicant_text="临聘人员 李师傅",
        respondent_text="总务处",
        claim="补休",
    )
    assert (case.number, second.number) == (1, 2)
    assert str(second) == f"调字〔{day.year}〕第2号"
    assert second.applicant_names() == ["临聘人员 李师傅"]


def test_accepting_sets_the_deadline_from_the_parameter(school_a, chair, case, day):
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    case.refresh_from_db()
    assert (case.status, case.accepted_on, case.deadline) == (
        "accepted",
        day,
        day + datetime.timedelta(days=15),
    )


def test_a_school_that_sets_ten_days_gets_ten(school_a, chair, case, day):
    rules.set_org_value(
        actor=chair, org=school_a, key="rights.mediation_days", text="10", source="校调委会章程"
    )
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    case.refresh_from_db()
    assert case.deadline == day + datetime.timedelta(days=10)


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ((), "agreed", "“申请”的案件不能直接改为“达成协议”（可改为：受理、不予受理、撤回）。"),
        ((), "closed", "“申请”的案件不能直接改为“结案”（可改为：受理、不予受理、撤回）。"),
        (("accepted",), "accepted", "案件已是“受理”状态。"),
        (
            ("accepted", "mediating"),
            "rejected",
            "“调解中”的案件不能直接改为“不予受理”（可改为：达成协议、调解不成、撤回）。",
        ),
        (("withdrawn", "closed"), "mediating", "案件已结案，不能再变更状态。"),
    ],
)
def test_a_transition_out_of_turn_is_refused_and_writes_nothing(chair, case, day, path, to, message):
    for step in path:
        services.move_case(actor=chair, case=case, to=step, on=day)
    status = MediationCase.objects.get(pk=case.pk).status
    e = refused(
        DomainError, services.move_case, actor=chair, case=case, to=to, on=day, agreement="x", reason="x"
    )
    assert (e.code, e.message) == ("bad_transition", message)
    assert MediationCase.objects.get(pk=case.pk).status == status


def test_an_agreement_needs_its_text_and_a_refusal_its_reason(chair, case, day):
    e = refused(InvalidInput, services.move_case, actor=chair, case=case, to="rejected", on=day)
    assert e.fields == {"reason": "请填写说明。"}
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    services.move_case(actor=chair, case=case, to="mediating", on=day)
    e = refused(InvalidInput, services.move_case, actor=chair, case=case, to="agreed", on=day)
    assert e.fields == {"agreement": "请填写调解协议内容。"}


def test_mediation_cannot_start_without_mediators(school_a, chair, applicant, day):
    case = services.open_case(
        actor=chair,
        org=school_a,
        subject="pay",
        applied_on=day,
        applicants=[applicant.member],
        respondent_text="学校",
        claim="补发",
    )
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    e = refused(InvalidInput, services.move_case, actor=chair, case=case, to="mediating", on=day)
    assert e.fields == {"mediators": "请先指定本案调解员，再开始调解。"}


def test_a_date_before_the_application_is_refused(chair, case, day):
    e = refused(
        InvalidInput,
        services.move_case,
        actor=chair,
        case=case,
        to="accepted",
        on=day - datetime.timedelta(days=30),
    )
    assert "不能早于申请日期" in e.fields["on"]


def test_the_first_hearing_starts_the_mediation(chair, case, day):
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    services.record_hearing(
        actor=chair, case=case, held_on=day, place="工会活动室", present="双方", minutes="陈述"
    )
    case.refresh_from_db()
    assert case.status == "mediating"
    assert case.hearings.count() == 1


def test_a_hearing_before_acceptance_is_refused(chair, case, day):
    e = refused(
        DomainError,
        services.record_hearing,
        actor=chair,
        case=case,
        held_on=day,
        place="a",
        present="b",
        minutes="c",
    )
    assert e.message == "“申请”的案件不能登记调解记录（受理后、调解结束前才能登记）。"


def test_a_hearing_without_minutes_is_refused(chair, case, day):
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    e = refused(
        InvalidInput,
        services.record_hearing,
        actor=chair,
        case=case,
        held_on=day,
        place="",
        present="",
        minutes="",
    )
    assert set(e.fields) == {"place", "present", "minutes"}


def test_a_whole_case_leaves_no_confidential_text_in_the_audit_trail(chair, case, applicant, day):
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    services.record_hearing(
        actor=chair,
        case=case,
        held_on=day,
        place="校长室",
        present="郑老师与总务处",
        minutes="总务处同意补发津贴",
    )
    services.move_case(actor=chair, case=case, to="agreed", on=day, agreement="学校15日内补发2400元")
    services.move_case(actor=chair, case=case, to="closed", on=day, outcome="已补发到账")
    rows = list(AuditEvent.objects.filter(action__regex=r"^rights\.(case|hearing)\.").order_by("id"))
    assert [r.action for r in rows if r.action.startswith("rights.case")] == [
        "rights.case.open",
        "rights.case.accepted",
        "rights.case.mediating",
        "rights.case.agreed",
        "rights.case.closed",
    ]
    dump = json.dumps([[r.object_repr, r.changes] for r in rows], ensure_ascii=False)
    for secret in (SECRET, "春季学期", "校长室", "郑老师", "总务处同意", "2400", "已补发"):
        assert secret not in dump
    opened = next(r for r in rows if r.action == "rights.case.open")
    assert (opened.object_repr, opened.changes["applicants"]) == (str(case), 1)
    agreed = next(r for r in rows if r.action == "rights.case.agreed")
    assert agreed.changes == {"status": ["mediating", "agreed"], "on": str(day), "text_fields": ["agreement"]}


# ---- the collective contract ------------------------------------------------------------------------------


def test_a_contract_longer_than_three_years_is_refused(school_a, chair, day):
    e = refused(
        InvalidInput,
        services.create_contract,
        actor=chair,
        org=school_a,
        title="集体合同",
        signed_on=day,
        starts_on=day,
        ends_on=day.replace(year=day.year + 4),
    )
    assert "集体合同期限一般为 1 至 3 年" in e.fields["ends_on"]


def test_a_contract_signed_before_the_congress_adopted_it_is_refused(school_a, chair, day):
    e = refused(
        InvalidInput,
        services.create_contract,
        actor=chair,
        org=school_a,
        title="集体合同",
        signed_on=day - datetime.timedelta(days=3),
        starts_on=day,
        ends_on=day.replace(year=day.year + 2),
        adopted_on=day,
    )
    assert e.fields == {"signed_on": "集体合同草案应经教代会审议通过后签订：签订日期不能早于通过日期。"}


def test_the_congress_gives_the_adoption_day(school_a, chair, day):
    from jiaogong.factories import congress_with_delegates

    congress, _ = congress_with_delegates(school_a, 3, opens_on=day - datetime.timedelta(days=30))
    contract = services.create_contract(
        actor=chair,
        org=school_a,
        title="集体合同",
        signed_on=day - datetime.timedelta(days=20),
        starts_on=day - datetime.timedelta(days=20),
        ends_on=day.replace(year=day.year + 2),
        congress=congress.pk,
    )
    assert (contract.congress, contract.adopted_on) == (congress, congress.opens_on)


def test_another_schools_congress_is_refused(school_b, school_a, chair, day):
    from jiaogong.factories import congress_with_delegates

    congress, _ = congress_with_delegates(school_b, 3, opens_on=day - datetime.timedelta(days=30))
    e = refused(
        InvalidInput,
        services.create_contract,
        actor=chair,
        org=school_a,
        title="集体合同",
        signed_on=day,
        starts_on=day,
        ends_on=day.replace(year=day.year + 2),
        congress=congress.pk,
    )
    assert e.fields == {"congress": "没有找到本单位的该次教代会。"}


def test_a_clause_number_is_used_once_and_a_topic_only_for_women(contract, chair):
    e = refused(
        InvalidInput, services.add_clause, actor=chair, contract=contract, chapter="pay", number="1", text="x"
    )
    assert e.fields == {"number": "本合同已有第1条。"}
    e = refused(
        InvalidInput,
        services.add_clause,
        actor=chair,
        contract=contract,
        chapter="pay",
        number="9",
        topic="nursing",
        text="x",
    )
    assert e.fields == {"topic": "女职工保护事项只用于“女职工特殊保护”一章的条款。"}
    e = refused(
        InvalidInput, services.add_clause, actor=chair, contract=contract, chapter="pay", number="一", text=""
    )
    assert e.fields == {"number": "条号应为 1 至 999 的整数。", "text": "请填写条款内容。"}


def test_a_partly_met_clause_needs_a_note(contract, chair, day):
    clause = contract.clauses.get(number=1)
    e = refused(
        InvalidInput,
        services.record_check,
        actor=chair,
        clause=clause,
        checked_on=day,
        checked_by="王主席",
        finding="partly",
    )
    assert e.fields == {"note": "请填写情况说明。"}
    e = refused(
        InvalidInput,
        services.record_check,
        actor=chair,
        clause=clause,
        checked_on=day,
        checked_by="",
        finding="ok",
    )
    assert e.fields == {"checked_by": "请填写检查人。", "finding": "请选择检查结论。"}


def test_the_overview_flags_clauses_not_checked_this_year(contract, chair, day):
    one, two, three = contract.clauses.order_by("number")
    services.record_check(actor=chair, clause=one, checked_on=day, checked_by="王主席", finding="met")
    services.record_check(
        actor=chair,
        clause=three,
        checked_on=day,
        checked_by="王主席",
        finding="not_met",
        note="未安排哺乳时间",
    )
    overview = selectors.contract_overview(contract, day)
    states = {r["clause"].number: r["state"] for r in overview["rows"]}
    assert states == {1: "current", 2: "never", 3: "current"}
    assert [r["clause"].number for r in overview["women"]] == [3]
    assert [c["label"] for c in overview["chapters"]] == ["劳动报酬", "工作时间和休息休假"]
    assert overview["findings"] == {"met": 1, "partly": 0, "not_met": 1}
    assert overview["unchecked"] == 1
    next_year = day.replace(year=day.year + 1)
    assert selectors.contract_overview(contract, next_year)["unchecked"] == 3


def test_a_review_needs_its_note_and_moves_the_next_due_day(contract, chair, day):
    e = refused(InvalidInput, services.record_review, actor=chair, contract=contract, reviewed_on=day)
    assert e.fields == {"note": "请填写审议情况。"}
    services.record_review(actor=chair, contract=contract, reviewed_on=day, note="教代会听取履约情况报告")
    assert selectors.contract_overview(contract, day)["next_review"] == day.replace(year=day.year + 1)


# ---- the demo ----------------------------------------------------------------------------------------


def test_the_demo_has_a_committee_two_cases_and_a_checked_contract(school_a, chair_a):
    today = timezone.localdate()
    members = generate_school(school_a, 40, seed=3, today=today, actor=chair_a)
    made = load_rights(actor=chair_a, school=school_a, members=members, today=today, seed=3)
    assert selectors.committee_overview(school_a, today)["warnings"] == []
    closed, open_case = made["cases"]
    assert (closed.status, closed.ended_as, bool(closed.agreement)) == ("closed", "agreed", True)
    assert open_case.status == "mediating"
    overview = selectors.contract_overview(made["contract"], today)
    assert len(overview["rows"]) == 14 and len(overview["women"]) == 5
    assert overview["counts"]["never"] == 2
    assert overview["findings"] == {"met": 10, "partly": 1, "not_met": 1}
