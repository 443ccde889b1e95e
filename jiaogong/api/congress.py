"""API v1: 教代会 sessions, attendance, polls and ballots (API.md, "Teachers' congress")."""

import datetime
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from jiaogong.api.schemas import ErrorOut
from jiaogong.congress import sessions, voting
from jiaogong.congress.models import Congress, Poll
from jiaogong.core.permissions import org_for

router = Router(tags=["教代会"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def congress_for(user, congress_id: int, capability: str) -> Congress:
    """The session, if the caller may act on its org: another org's session is a 404."""
    congress = Congress.objects.select_related("org", "term").filter(pk=congress_id).first()
    if congress is None:
        raise Http404("没有找到该会议。")
    org_for(user, congress.org_id, capability)
    return congress


def poll_for(user, poll_id: int, capability: str) -> Poll:
    poll = Poll.objects.select_related("org", "congress__term", "congress__org").filter(pk=poll_id).first()
    if poll is None:
        raise Http404("没有找到该表决。")
    org_for(user, poll.org_id, capability)
    return poll


# ---- schemas ---------------------------------------------------------------------------------------------


class CongressIn(Schema):
    term: int = Field(description="届次（第几届）；该届不存在时自动建立")
    session: int = Field(description="本届第几次会议")
    title: str
    opens_on: datetime.date
    delegates: list[int] = Field(
        default_factory=list, description="正式代表的会员 id；教职工大会可不填（全体在职教职工）"
    )
    mode: Literal["delegates", "all_staff"] | None = None
    years: int | None = Field(None, description="新建一届时的任期年数（3 或 5）")


class CompositionOut(Schema):
    teachers_pct: str
    women_pct: str
    young_pct: str
    cadres_pct: str


class CongressOut(Schema):
    id: int
    term: int
    session: int
    title: str
    opens_on: datetime.date
    mode: str
    total_delegates: int
    present: int
    quorum_needed: int
    quorum_met: bool
    composition: CompositionOut
    warnings: list[str]


class CongressListOut(Schema):
    count: int
    items: list[CongressOut]


class AttendanceIn(Schema):
    present: list[int] = Field(description="到会代表的会员 id（只增不减：已签到的不会被取消）")


class AttendanceOut(Schema):
    total: int
    present: int
    quorum_met: bool
    quorum_needed: int


class PollIn(Schema):
    title: str
    kind: Literal["secret", "named"]
    options: list[str] | None = Field(None, description="默认 赞成/反对/弃权；选举时为候选人名单")
    seats: int | None = Field(None, description="选举的应选人数；填写即为选举")
    contested: bool = Field(
        True, description="差额选举（候选人多于应选人数至少 5%、至少 1 名）；主席、副主席等可等额"
    )


class PollStateOut(Schema):
    id: int
    state: str
    title: str
    kind: str
    options: list[str]
    seats: int | None = None


class BallotIn(Schema):
    choice: str | list[str] = Field(description="表决选项；选举时为所选候选人的列表（不超过应选人数）")


class ReceiptOut(Schema):
    receipt: str


class ReceiptRow(Schema):
    receipt: str
    choice: str
    choices: list[str]


class NamedVote(Schema):
    delegate: str
    choice: str


class ResultOut(Schema):
    state: str
    title: str
    kind: str
    total_delegates: int
    present: int
    cast: int
    counts: dict[str, int]
    quorum_met: bool
    passed: bool | None
    majority_base: str = Field(description="total：代表总数（全国规定）；present：出席人数（不符合全国规定）")
    conforms: bool = Field(description="过半数的基数是否符合“超过全体代表半数”的规定")
    yes_needed: int
    receipts: list[ReceiptRow] = Field(description="结束后公布：每张选票的回执号和所选，代表可核对自己的选票")
    votes: list[NamedVote] | None = Field(None, description="记名表决：每位代表的表决")
    seats: int | None = None
    elected: list[str] | None = None
    runoff: list[str] | None = Field(None, description="票数相同、需要再次投票的候选人")
    vacant: int | None = None
    attendance_ok: bool | None = None
    closed_at: str | None = None


# ---- sessions -----------------------------------------------------------------------------------------------


def congress_out(congress: Congress) -> dict:
    status = sessions.quorum_status(congress)
    comp = sessions.composition_of(congress)
    return {
        "id": congress.pk,
        "term": congress.term.number,
        "session": congress.number,
        "title": congress.title,
        "opens_on": congress.opens_on,
        "mode": congress.term.mode,
        "total_delegates": status.total,
        "present": status.present,
        "quorum_needed": status.needed,
        "quorum_met": status.met,
        "composition": {
            "teachers_pct": comp.teachers_pct,
            "women_pct": comp.women_pct,
            "young_pct": comp.young_pct,
            "cadres_pct": comp.cadres_pct,
        },
        "warnings": sessions.warnings_for(congress),
    }


@router.post(
    "/orgs/{int:org}/congresses", response={201: CongressOut, **ERRORS}, summary="建立一次教代会会议"
)
def create_congress(request, org: int, payload: CongressIn):
    """主席、副主席、组织委员可用。返回代表构成（教师、女性、青年、干部比例）和提示（教师不足 60%、
    女性或青年代表比例远低于其在教职工中的比例、干部超过上限、应召开教职工大会、名额、未按学年召开等）。"""
    the_org = org_for(request.auth, org, "congress.manage")
    congress = sessions.create_congress(actor=request.auth, org=the_org, **payload.model_dump())
    return Status(201, congress_out(congress))


@router.get("/orgs/{int:org}/congresses", response={200: CongressListOut, **ERRORS}, summary="教代会会议列表")
def list_congresses(request, org: int):
    the_org = org_for(request.auth, org, "congress.view")
    items = [congress_out(c) for c in Congress.objects.filter(org=the_org).select_related("term", "org")]
    return {"count": len(items), "items": items}


@router.get("/congresses/{int:id}", response={200: CongressOut, **ERRORS}, summary="一次会议")
def get_congress(request, id: int):
    return congress_out(congress_for(request.auth, id, "congress.view"))


@router.post(
    "/congresses/{int:id}/attendance", response={200: AttendanceOut, **ERRORS}, summary="登记到会代表"
)
def record_attendance(request, id: int, payload: AttendanceIn):
    """现场登记表一次提交。签到只增不减；返回应到、实到和是否达到法定人数（实到 × 3 ≥ 应到 × 2）。"""
    congress = congress_for(request.auth, id, "congress.manage")
    status = sessions.record_attendance(actor=request.auth, congress=congress, present=payload.present)
    return {
        "total": status.total,
        "present": status.present,
        "quorum_met": status.met,
        "quorum_needed": status.needed,
    }


# ---- polls ---------------------------------------------------------------------------------------------------------


def poll_state(poll: Poll) -> dict:
    return {
        "id": poll.pk,
        "state": poll.state,
        "title": poll.title,
        "kind": poll.kind,
        "options": poll.options,
        "seats": poll.seats,
    }


@router.post("/congresses/{int:id}/polls", response={201: PollStateOut, **ERRORS}, summary="新建表决或选举")
def create_poll(request, id: int, payload: PollIn):
    """差额选举候选人不足时返回 422 `not_competitive`。"""
    congress = congress_for(request.auth, id, "congress.manage")
    poll = voting.create_poll(actor=request.auth, congress=congress, **payload.model_dump())
    return Status(201, poll_state(poll))


@router.get("/polls/{int:id}", response={200: PollStateOut, **ERRORS}, summary="表决")
def get_poll(request, id: int):
    return poll_state(poll_for(request.auth, id, "congress.view"))


@router.post("/polls/{int:id}/open", response={200: PollStateOut, **ERRORS}, summary="开始表决")
def open_poll(request, id: int):
    """未达到法定人数时返回 422 `quorum_not_met`。"""
    poll = poll_for(request.auth, id, "congress.manage")
    return poll_state(voting.open_poll(actor=request.auth, poll=poll))


@router.post(
    "/polls/{int:id}/ballots",
    response={201: ReceiptOut, **ERRORS, 503: ErrorOut},
    summary="投票（调用者即投票代表）",
)
def cast_ballot(request, id: int, payload: BallotIn):
    """调用者须是已签到的正式代表（否则 403）。每位代表只能投一次：第二次返回 409 `already_voted`，由数据库唯一约束保证。
    无记名投票的选票不与投票人关联；返回的回执号可在结束后核对自己的选票。
    如果系统繁忙未能记录，返回 503 `not_recorded`，什么也没有写入，请重新提交。"""
    receipt = voting.cast_ballot(
        user=request.auth,
        poll_id=id,
        choice=payload.choice,
        check_org=lambda org_id: org_for(request.auth, org_id, "congress.view"),
    )
    return Status(201, {"receipt": receipt})


@router.post("/polls/{int:id}/close", response={200: ResultOut, **ERRORS}, summary="结束表决并计票")
def close_poll(request, id: int):
    poll = poll_for(request.auth, id, "congress.manage")
    return voting.close_poll(actor=request.auth, poll=poll)


@router.get("/polls/{int:id}/result", response={200: ResultOut, **ERRORS}, summary="表决结果")
def poll_result(request, id: int):
    """结束后：应到、实到、投票数、各选项票数、是否通过（赞成 × 2 > 代表总数）、回执号清单。投票进行中只显示投票人数，不显示票数。"""
    poll = poll_for(request.auth, id, "congress.view")
    return voting.result(poll)
