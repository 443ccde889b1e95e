"""维权 writes: the mediation committee and its seats, mediation cases (opened, moved through their
states, heard, agreed), the collective contract, its clauses, the union's checks and the yearly
reviews. Every write is checked first, written whole or not at all, and audited.

Confidentiality: a case's text (claims, facts, reasons, minutes, the agreement) and its parties
are never copied into the audit row: the row names the fields that changed (`text_fields`) and
the states, and the case's str() is its number only. The vice-chairs and the auditor read the
audit trail but not the cases.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from jiaogong.core import audit, rules
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.parsing import clean_text
from jiaogong.members.models import Member
from jiaogong.rights import checks
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


def _date(value, *, label: str, errors: dict, field: str, required: bool = True, not_after=None):
    if value in (None, ""):
        if required:
            errors[field] = f"请填写{label}。"
        return None
    if not isinstance(value, datetime.date):
        errors[field] = f"{label}格式不对。"
        return None
    if not_after is not None and value > not_after:
        errors[field] = f"{label}不能晚于今天。"
        return None
    return value


def _choice(value, choices, *, label: str, errors: dict, field: str) -> str:
    if value not in dict(choices):
        errors[field] = f"请选择{label}。"
    return value


def _id(value) -> int | None:
    if isinstance(value, Member | MediatorSeat):
        return value.pk
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


# ---- the committee -----------------------------------------------------------------------------------


@transaction.atomic
def form_committee(*, actor, org, formed_on, ends_on, note: str = "") -> MediationCommittee:
    """A new term of the committee (成立或换届). The sitting members of the previous term leave
    it on the day the new one is formed."""
    errors: dict[str, str] = {}
    formed_on = _date(formed_on, label="成立（换届）日期", errors=errors, field="formed_on")
    ends_on = _date(ends_on, label="任期届满日期", errors=errors, field="ends_on")
    note = clean_text(note, label="说明", max_length=200, required=False, errors=errors, field="note")
    if formed_on and ends_on and ends_on <= formed_on:
        errors["ends_on"] = "任期届满日期应晚于成立日期。"
    previous = MediationCommittee.objects.filter(org=org).first()
    if formed_on and previous is not None and formed_on <= previous.formed_on:
        errors["formed_on"] = f"换届日期应晚于上一届的成立日期 {previous.formed_on:%Y-%m-%d}。"
    if errors:
        raise InvalidInput(errors, "调解委员会信息有误，未保存。")
    if previous is not None:
        for seat in previous.seats.filter(until__isnull=True):
            seat.until = formed_on
            seat.save(update_fields=["until"])
            audit.record(
                actor=actor,
                org=org,
                action="rights.seat.end",
                obj=seat,
                changes={"until": [None, str(formed_on)]},
            )
    committee = MediationCommittee.objects.create(org=org, formed_on=formed_on, ends_on=ends_on, note=note)
    audit.record(
        actor=actor, org=org, action="rights.committee.form", obj=committee, changes=audit.snapshot(committee)
    )
    return committee


@transaction.atomic
def add_seat(
    *, actor, committee: MediationCommittee, member, side: str, is_chair: bool, since
) -> MediatorSeat:
    errors: dict[str, str] = {}
    member_id = _id(member)
    found = Member.objects.filter(org_id=committee.org_id, pk=member_id).first() if member_id else None
    if found is None:
        errors["member"] = "请选择本单位的会员或职工。"
    _choice(side, MediatorSeat.Side.choices, label="代表方", errors=errors, field="side")
    since = _date(since, label="任职日期", errors=errors, field="since")
    if since and since < committee.formed_on:
        errors["since"] = f"任职日期不能早于本届成立日期 {committee.formed_on:%Y-%m-%d}。"
    if found is not None and committee.seats.filter(member=found, until__isnull=True).exists():
        errors["member"] = f"{found.name} 已是本届调解委员会委员。"
    if errors:
        raise InvalidInput(errors, "委员信息有误，未保存。")
    try:
        with transaction.atomic():
            seat = MediatorSeat.objects.create(
                org_id=committee.org_id,
                committee=committee,
                member=found,
                side=side,
                is_chair=bool(is_chair),
                since=since,
            )
    except IntegrityError:
        raise InvalidInput(
            {"member": f"{found.name} 已是本届调解委员会委员。"}, "委员信息有误，未保存。"
        ) from None
    audit.record(
        actor=actor,
        org=committee.org_id,
        action="rights.seat.add",
        obj=seat,
        changes=audit.snapshot(seat, ["committee", "member", "side", "is_chair", "since"]),
    )
    return seat


@transaction.atomic
def end_seat(*, actor, seat: MediatorSeat, until) -> MediatorSeat:
    if seat.until is not None:
        raise Conflict("seat_ended", f"{seat.member.name} 已于 {seat.until:%Y-%m-%d} 离任。")
    errors: dict[str, str] = {}
    until = _date(until, label="离任日期", errors=errors, field="until")
    if until and until < seat.since:
        errors["until"] = "离任日期不能早于任职日期。"
    if errors:
        raise InvalidInput(errors, "离任信息有误，未保存。")
    seat.until = until
    seat.save(update_fields=["until"])
    audit.record(
        actor=actor,
        org=seat.org_id,
        action="rights.seat.end",
        obj=seat,
        changes={"until": [None, str(until)]},
    )
    return seat


# ---- cases -------------------------------------------------------------------------------------------

CASE_TEXT_FIELDS = ("claim", "facts", "reason", "outcome", "agreement", "applicant_text", "respondent_text")


def _case_audit(*, actor, case: MediationCase, action: str, changes: dict) -> None:
    audit.record(actor=actor, org=case.org_id, action=action, obj=case, changes=changes)


@transaction.atomic
def open_case(
    *,
    actor,
    org,
    subject: str,
    applied_on,
    applicants=(),
    applicant_text: str = "",
    respondent_member=None,
    respondent_text: str = "",
    claim: str = "",
    facts: str = "",
    mediators=(),
) -> MediationCase:
    """A dispute brought to the committee (申请). Applicants are members of the registry and/or a
    free text; the respondent a member or a free text (学校, 教务处…)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    _choice(subject, MediationCase.Subject.choices, label="争议事项", errors=errors, field="subject")
    applied_on = _date(applied_on, label="申请日期", errors=errors, field="applied_on", not_after=today)
    applicant_text = clean_text(
        applicant_text,
        label="申请人（名册外）",
        max_length=100,
        required=False,
        errors=errors,
        field="applicant_text",
    )
    respondent_text = clean_text(
        respondent_text,
        label="被申请人",
        max_length=100,
        required=False,
        errors=errors,
        field="respondent_text",
    )
    claim = clean_text(claim, label="申请事项", max_length=5000, required=True, errors=errors, field="claim")
    facts = clean_text(
        facts, label="事实和理由", max_length=10000, required=False, errors=errors, field="facts"
    )
    ids = [i for i in (_id(a) for a in applicants) if i is not None]
    people = list(Member.objects.filter(org=org, pk__in=ids))
    if len(people) != len(set(ids)):
        errors["applicants"] = "申请人中有不是本单位的人员。"
    elif not people and not applicant_text:
        errors["applicants"] = "请选择申请人，或填写名册外申请人的姓名。"
    respondent = None
    respondent_id = _id(respondent_member)
    if respondent_id is not None:
        respondent = Member.objects.filter(org=org, pk=respondent_id).first()
        if respondent is None:
            errors["respondent_member"] = "被申请人不是本单位的人员。"
        elif respondent in people:
            errors["respondent_member"] = "被申请人不能同时是申请人。"
    elif not respondent_text:
        errors["respondent_text"] = "请填写被申请人（如：学校、某部门），或选择一位人员。"
    seat_ids = [i for i in (_id(s) for s in mediators) if i is not None]
    seats = list(MediatorSeat.objects.filter(org=org, pk__in=seat_ids, until__isnull=True))
    if len(seats) != len(set(seat_ids)):
        errors["mediators"] = "调解员应为本届调解委员会的在任委员。"
    elif any(
        s.member_id in {p.pk for p in people} or (respondent and s.member_id == respondent.pk) for s in seats
    ):
        errors["mediators"] = "当事人不能担任本案调解员（应当回避）。"
    if errors:
        raise InvalidInput(errors, "调解申请有误，未登记。")
    year = applied_on.year
    number = (MediationCase.objects.filter(org=org, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    case = MediationCase.objects.create(
        org=org,
        year=year,
        number=number,
        applicant_text=applicant_text,
        respondent_member=respondent,
        respondent_text="" if respondent else respondent_text,
        subject=subject,
        claim=claim,
        facts=facts,
        applied_on=applied_on,
        created_by=actor,
    )
    case.applicants.set(people)
    case.mediators.set(seats)
    _case_audit(
        actor=actor,
        case=case,
        action="rights.case.open",
        changes={
            "status": [None, case.status],
            "subject": case.subject,
            "applied_on": str(applied_on),
            "applicants": len(people) + (1 if applicant_text else 0),
            "mediators": len(seats),
            "text_fields": [f for f in CASE_TEXT_FIELDS if getattr(case, f)],
        },
    )
    return case


@transaction.atomic
def set_mediators(*, actor, case: MediationCase, mediators) -> MediationCase:
    if case.status == MediationCase.Status.CLOSED:
        raise Conflict("closed", "案件已结案，不能再更换调解员。")
    seat_ids = [i for i in (_id(s) for s in mediators) if i is not None]
    seats = list(MediatorSeat.objects.filter(org_id=case.org_id, pk__in=seat_ids, until__isnull=True))
    parties = set(case.applicants.values_list("pk", flat=True)) | {case.respondent_member_id}
    if len(seats) != len(set(seat_ids)):
        raise InvalidInput({"mediators": "调解员应为本届调解委员会的在任委员。"}, "调解员有误，未保存。")
    if any(s.member_id in parties for s in seats):
        raise InvalidInput({"mediators": "当事人不能担任本案调解员（应当回避）。"}, "调解员有误，未保存。")
    before = len(case.mediators.all())
    case.mediators.set(seats)
    _case_audit(
        actor=actor, case=case, action="rights.case.mediators", changes={"mediators": [before, len(seats)]}
    )
    return case


@transaction.atomic
def move_case(
    *, actor, case: MediationCase, to: str, on=None, reason: str = "", outcome: str = "", agreement: str = ""
) -> MediationCase:
    """Move a case along 申请 → 受理/不予受理 → 调解中 → 达成协议/调解不成/撤回 → 结案. Accepting
    sets the deadline (`rights.mediation_days` after acceptance, 调解仲裁法第十四条); an agreement
    needs its text (the 调解协议书); a refusal or a failure its reason."""
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    problem = checks.refusal(case.status, to)
    if problem:
        raise DomainError("bad_transition", problem)
    errors: dict[str, str] = {}
    today = timezone.localdate()
    on = _date(on or today, label="日期", errors=errors, field="on", not_after=today)
    if on and on < case.applied_on:
        errors["on"] = f"日期不能早于申请日期 {case.applied_on:%Y-%m-%d}。"
    reason = clean_text(
        reason,
        label="说明",
        max_length=2000,
        required=to in ("rejected", "failed"),
        errors=errors,
        field="reason",
    )
    agreement = clean_text(
        agreement,
        label="调解协议内容",
        max_length=10000,
        required=to == "agreed",
        errors=errors,
        field="agreement",
    )
    outcome = clean_text(
        outcome, label="处理结果", max_length=2000, required=False, errors=errors, field="outcome"
    )
    if to == "mediating" and not case.mediators.exists():
        errors["mediators"] = "请先指定本案调解员，再开始调解。"
    if errors:
        raise InvalidInput(errors, "未变更案件状态。")
    before = case.status
    texts = []
    if to == "accepted":
        case.accepted_on = on
        case.deadline = checks.mediation_deadline(on, int(rules.value_for(case.org, "rights.mediation_days")))
    if to in ("rejected", "failed") or (to == "withdrawn" and reason):
        case.reason = reason
        texts.append("reason")
    if to in ("agreed", "failed", "withdrawn", "rejected"):
        case.ended_as = to
    if to == "agreed":
        case.agreement = agreement
        case.agreed_on = on
        texts.append("agreement")
    if outcome:
        case.outcome = outcome
        texts.append("outcome")
    if to == "closed":
        case.closed_on = on
    case.status = to
    case.save()
    changes = {"status": [before, to], "on": str(on)}
    if to == "accepted":
        changes["deadline"] = str(case.deadline)
    if texts:
        changes["text_fields"] = texts
    _case_audit(actor=actor, case=case, action=f"rights.case.{to}", changes=changes)
    return case


@transaction.atomic
def record_hearing(*, actor, case: MediationCase, held_on, place: str, present: str, minutes: str) -> Hearing:
    """One mediation session. The first one on an accepted case starts the mediation (调解中)."""
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    if case.status not in ("accepted", "mediating"):
        raise DomainError(
            "not_mediating",
            f"“{case.get_status_display()}”的案件不能登记调解记录（受理后、调解结束前才能登记）。",
        )
    errors: dict[str, str] = {}
    held_on = _date(held_on, label="调解日期", errors=errors, field="held_on", not_after=timezone.localdate())
    if held_on and case.accepted_on and held_on < case.accepted_on:
        errors["held_on"] = f"调解日期不能早于受理日期 {case.accepted_on:%Y-%m-%d}。"
    place = clean_text(place, label="地点", max_length=100, required=True, errors=errors, field="place")
    present = clean_text(
        present, label="到场人员", max_length=300, required=True, errors=errors, field="present"
    )
    minutes = clean_text(
        minutes, label="调解记录", max_length=20000, required=True, errors=errors, field="minutes"
    )
    if case.status == "accepted" and not case.mediators.exists():
        errors["mediators"] = "请先指定本案调解员，再登记调解。"
    if errors:
        raise InvalidInput(errors, "调解记录有误，未保存。")
    hearing = Hearing.objects.create(
        org_id=case.org_id,
        case=case,
        held_on=held_on,
        place=place,
        present=present,
        minutes=minutes,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        org=case.org_id,
        action="rights.hearing.record",
        obj=hearing,
        changes={
            "case": str(case.pk),
            "held_on": str(held_on),
            "text_fields": ["place", "present", "minutes"],
        },
    )
    if case.status == "accepted":
        before = case.status
        case.status = "mediating"
        case.save(update_fields=["status"])
        _case_audit(
            actor=actor, case=case, action="rights.case.mediating", changes={"status": [before, "mediating"]}
        )
    return hearing


# ---- the collective contract ------------------------------------------------------------------------------


@transaction.atomic
def create_contract(
    *, actor, org, title: str, signed_on, starts_on, ends_on, congress=None, adopted_on=None, note: str = ""
) -> CollectiveContract:
    from jiaogong.congress.models import Congress

    errors: dict[str, str] = {}
    title = clean_text(title, label="合同名称", max_length=100, required=True, errors=errors, field="title")
    note = clean_text(note, label="说明", max_length=300, required=False, errors=errors, field="note")
    signed_on = _date(signed_on, label="签订日期", errors=errors, field="signed_on")
    starts_on = _date(starts_on, label="生效日期", errors=errors, field="starts_on")
    ends_on = _date(ends_on, label="期满日期", errors=errors, field="ends_on")
    adopted_on = _date(adopted_on, label="教代会通过日期", errors=errors, field="adopted_on", required=False)
    if starts_on and ends_on:
        problem = checks.contract_term_problem(
            starts_on, ends_on, int(rules.value_for(org, "rights.contract_years"))
        )
        if problem:
            errors["ends_on"] = problem
    if signed_on and adopted_on and signed_on < adopted_on:
        errors["signed_on"] = "集体合同草案应经教代会审议通过后签订：签订日期不能早于通过日期。"
    session = None
    congress_id = _id(congress.pk if isinstance(congress, Congress) else congress)
    if congress_id is not None:
        session = Congress.objects.filter(org=org, pk=congress_id).first()
        if session is None:
            errors["congress"] = "没有找到本单位的该次教代会。"
        elif adopted_on is None:
            adopted_on = session.opens_on
    if title and CollectiveContract.objects.filter(org=org, title=title).exists():
        errors["title"] = f"本单位已有名为“{title}”的集体合同。"
    if errors:
        raise InvalidInput(errors, "集体合同信息有误，未保存。")
    contract = CollectiveContract.objects.create(
        org=org,
        title=title,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        congress=session,
        adopted_on=adopted_on,
        note=note,
        created_by=actor,
    )
    audit.record(
        actor=actor, org=org, action="rights.contract.create", obj=contract, changes=audit.snapshot(contract)
    )
    return contract


@transaction.atomic
def add_clause(
    *, actor, contract: CollectiveContract, chapter: str, number, text: str, topic: str = ""
) -> ContractClause:
    errors: dict[str, str] = {}
    _choice(chapter, ContractClause.Chapter.choices, label="章", errors=errors, field="chapter")
    text = clean_text(text, label="条款内容", max_length=5000, required=True, errors=errors, field="text")
    try:
        number = int(str(number).strip())
        if number < 1 or number > 999:
            raise ValueError
    except (TypeError, ValueError):
        errors["number"] = "条号应为 1 至 999 的整数。"
        number = None
    if topic and chapter != ContractClause.Chapter.WOMEN:
        errors["topic"] = "女职工保护事项只用于“女职工特殊保护”一章的条款。"
    elif topic:
        _choice(topic, ContractClause.Topic.choices, label="女职工保护事项", errors=errors, field="topic")
    if number and contract.clauses.filter(number=number).exists():
        errors["number"] = f"本合同已有第{number}条。"
    if errors:
        raise InvalidInput(errors, "条款有误，未保存。")
    clause = ContractClause.objects.create(
        org_id=contract.org_id, contract=contract, chapter=chapter, number=number, topic=topic, text=text
    )
    audit.record(
        actor=actor,
        org=contract.org_id,
        action="rights.clause.add",
        obj=clause,
        changes=audit.snapshot(clause, ["contract", "chapter", "number", "topic", "text"]),
    )
    return clause


@transaction.atomic
def record_check(
    *,
    actor,
    clause: ContractClause,
    checked_on,
    checked_by: str,
    finding: str,
    note: str = "",
    follow_up: str = "",
) -> ClauseCheck:
    """The union's check of one clause (履约检查): 履行, 部分履行 or 未履行; a clause not met in full
    needs a note saying what falls short."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    checked_on = _date(checked_on, label="检查日期", errors=errors, field="checked_on", not_after=today)
    if checked_on and checked_on < clause.contract.starts_on:
        errors["checked_on"] = f"检查日期不能早于合同生效日期 {clause.contract.starts_on:%Y-%m-%d}。"
    checked_by = clean_text(
        checked_by, label="检查人", max_length=100, required=True, errors=errors, field="checked_by"
    )
    _choice(finding, ClauseCheck.Finding.choices, label="检查结论", errors=errors, field="finding")
    note = clean_text(
        note,
        label="情况说明",
        max_length=500,
        required=finding in ("partly", "not_met"),
        errors=errors,
        field="note",
    )
    follow_up = clean_text(
        follow_up, label="整改跟进", max_length=500, required=False, errors=errors, field="follow_up"
    )
    if errors:
        raise InvalidInput(errors, "检查记录有误，未保存。")
    check = ClauseCheck.objects.create(
        org_id=clause.org_id,
        clause=clause,
        checked_on=checked_on,
        checked_by=checked_by,
        finding=finding,
        note=note,
        follow_up=follow_up,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        org=clause.org_id,
        action="rights.clause.check",
        obj=check,
        changes=audit.snapshot(check, ["clause", "checked_on", "checked_by", "finding", "note", "follow_up"]),
    )
    return check


@transaction.atomic
def record_review(*, actor, contract: CollectiveContract, reviewed_on, note: str = "") -> ContractReview:
    errors: dict[str, str] = {}
    reviewed_on = _date(
        reviewed_on, label="审议日期", errors=errors, field="reviewed_on", not_after=timezone.localdate()
    )
    if reviewed_on and reviewed_on < contract.starts_on:
        errors["reviewed_on"] = f"审议日期不能早于合同生效日期 {contract.starts_on:%Y-%m-%d}。"
    note = clean_text(note, label="审议情况", max_length=500, required=True, errors=errors, field="note")
    if errors:
        raise InvalidInput(errors, "审议记录有误，未保存。")
    review = ContractReview.objects.create(
        org_id=contract.org_id, contract=contract, reviewed_on=reviewed_on, note=note, recorded_by=actor
    )
    audit.record(
        actor=actor,
        org=contract.org_id,
        action="rights.contract.review",
        obj=review,
        changes=audit.snapshot(review),
    )
    return review
