"""API v1: 教代会 sessions, attendance, polls and ballots, the 监票人 and the bulletin (API.md,
"Teachers' congress" and "Verifiable secret ballots")."""

import datetime
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from jiaogong.api.schemas import ErrorOut
from jiaogong.congress import scrutiny, sessions, voting
from jiaogong.congress.models import Congress, Poll
from jiaogong.core.errors import InvalidInput
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
    choice: str | list[str] | None = Field(
        None,
        description="明文选项（经 TLS 提交；无记名投票时服务器立即加密，不保存、不记录明文）；"
        "选举时为所选候选人的列表（不超过应选人数）",
    )
    encrypted: dict | None = Field(
        None,
        description="手机端加密的选票：{credential, answers: [{ciphertexts, proofs, overall_proof}]}，"
        "服务器逐项验证零知识证明后才写入",
    )


class ReceiptOut(Schema):
    tracker: str = Field(
        description="无记名投票：加密选票的追踪码（哈希），可在公告板上找到，不证明所投内容；记名表决：回执号"
    )
    receipt: str = Field(description="同 tracker（兼容旧客户端）")


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
    receipts: list[str] = Field(
        description="结束后公布：无记名投票为全部加密选票的追踪码（不附所选）；记名表决为回执号（每位代表的表决见 votes）"
    )
    votes: list[NamedVote] | None = Field(None, description="记名表决：每位代表的表决")
    seats: int | None = None
    elected: list[str] | None = None
    runoff: list[str] | None = Field(None, description="票数相同、需要再次投票的候选人")
    vacant: int | None = None
    attendance_ok: bool | None = None
    closed_at: str | None = None
    legacy: str | None = Field(None, description="升级前的无记名投票：逐张明文选票已删除，只保留票数")


class ScrutineersIn(Schema):
    members: list[int] = Field(description="监票人的会员 id：本次会议的正式代表，2–5 名")
    threshold: int | None = Field(None, description="解密所需人数：本系统为全体监票人（须等于人数）")


class ScrutineerOut(Schema):
    position: int
    member: int
    name: str
    public_share: str = Field(description="公钥份额（十六进制）；未生成时为空")
    source: str


class ScrutineersOut(Schema):
    scrutineers: list[ScrutineerOut]
    threshold: int
    joint_key: str = Field(description="联合公钥（全部监票人生成份额后才有）")


class KeyShareIn(Schema):
    public_share: str | None = Field(None, description="手机生成的公钥份额（十六进制）")
    proof: dict | None = Field(None, description="知道私钥的证明 {c, s}")


class KeyShareOut(Schema):
    backup_code: str | None = Field(
        None,
        description="接口客户端：服务器生成的私钥份额的备份码，只返回这一次，服务器不保存；解密时凭它提交",
    )
    joint_key: str = Field(description="联合公钥（全部监票人生成份额后才有）")


class PartialIn(Schema):
    partial: list[str] | None = Field(None, description="手机计算的部分解密，每个汇总密文一项")
    proof: list[list[str]] | None = Field(None, description="每项的 Chaum–Pedersen 证明 [c, s]")
    backup_code: str | None = Field(None, description="接口客户端：生成份额时得到的备份码（用后即弃）")


class PartialOut(Schema):
    state: str = Field(description="counting：仍待其他监票人；closed：已解密并公布结果")
    pending: list[str] = Field(description="尚未提交解密的监票人")


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
    无记名投票：提交手机端加密的 `encrypted`（服务器验证每个证明，无效时 422 `invalid_ballot`，什么也不写入），
    或经 TLS 提交明文 `choice`（服务器立即加密，不保存、不记录明文）。返回追踪码 `tracker`：加密选票的哈希，
    可在公告板上核对，但不能向任何人证明所投内容。如果系统繁忙未能记录，返回 503 `not_recorded`，请重新提交。"""
    tracker = voting.cast_ballot(
        user=request.auth,
        poll_id=id,
        choice=payload.choice,
        encrypted=payload.encrypted,
        check_org=lambda org_id: org_for(request.auth, org_id, "congress.view"),
    )
    return Status(201, {"tracker": tracker, "receipt": tracker})


@router.post("/polls/{int:id}/close", response={200: ResultOut, **ERRORS}, summary="结束表决")
def close_poll(request, id: int):
    """记名表决结束即计票并返回结果；无记名投票结束后返回 `state: "counting"`：选票已同态求和，等待全体监票人解密。"""
    poll = poll_for(request.auth, id, "congress.manage")
    return voting.close_poll(actor=request.auth, poll=poll)


@router.get("/polls/{int:id}/result", response={200: ResultOut, **ERRORS}, summary="表决结果")
def poll_result(request, id: int):
    """结束后：应到、实到、投票数、各选项票数、是否通过（赞成 × 2 > 代表总数）、追踪码清单。投票进行中和待解密时只显示投票人数，不显示票数。"""
    poll = poll_for(request.auth, id, "congress.view")
    return voting.result(poll)


@router.post(
    "/polls/{int:id}/partial-decryptions",
    response={201: PartialOut, **ERRORS},
    summary="监票人提交部分解密",
)
def submit_partial(request, id: int, payload: PartialIn):
    """调用者须是本次会议的监票人。手机提交 `{partial, proof}`；接口客户端提交生成份额时得到的 `{backup_code}`
    （服务器用后即弃）。证明无效 422 `invalid_partial`；备份码不符 422 `wrong_backup_code`；已提交 409 `already_decrypted`。
    全体监票人提交后解密汇总票数并公布结果：`state: "closed"`。"""
    poll = poll_for(request.auth, id, "congress.view")
    poll = voting.submit_partial_decryption(user=request.auth, poll=poll, **partial_args(payload))
    return Status(
        201, {"state": poll.state, "pending": [s.member.name for s in scrutiny.pending_scrutineers(poll)]}
    )


def partial_args(payload: PartialIn) -> dict:
    if payload.backup_code is not None:
        if payload.partial is not None or payload.proof is not None:
            raise InvalidInput({"backup_code": "请只提交备份码，或只提交部分解密及其证明。"})
        return {"backup_code": payload.backup_code}
    if payload.partial is None or payload.proof is None:
        raise InvalidInput({"partial": "请提交部分解密及其证明，或提交备份码。"})
    return {"partial": payload.partial, "proof": payload.proof}


@router.get("/polls/{int:id}/bulletin", response={200: dict, **ERRORS}, summary="无记名投票公告板")
def poll_bulletin(request, id: int):
    """公开记录：群、联合公钥和每位监票人的公钥份额及证明、每张加密选票及其追踪码、同态汇总、每份部分解密及证明、结果。
    没有任何一张选票的明文。可用 `python -m jiaogong.congress.verify bulletin.json` 独立验证。"""
    return voting.bulletin(poll_for(request.auth, id, "congress.view"))


# ---- 监票人 ---------------------------------------------------------------------------------------------------


def scrutineers_out(congress: Congress) -> dict:
    rows = scrutiny.scrutineers_of(congress)
    return {
        "scrutineers": [
            {
                "position": s.position,
                "member": s.member_id,
                "name": s.member.name,
                "public_share": s.public_share,
                "source": s.source,
            }
            for s in rows
        ],
        "threshold": len(rows),
        "joint_key": congress.joint_key,
    }


@router.post(
    "/congresses/{int:id}/scrutineers", response={200: ScrutineersOut, **ERRORS}, summary="推选监票人"
)
def name_scrutineers(request, id: int, payload: ScrutineersIn):
    """监票人须是本次会议的正式代表，2–5 名（参数 congress.scrutineers）。解密须全体监票人参与（门限 = 人数）。
    已用其密钥开始无记名表决后不能更换（409 `key_in_use`）。"""
    congress = congress_for(request.auth, id, "congress.manage")
    scrutiny.name_scrutineers(
        actor=request.auth, congress=congress, members=payload.members, threshold=payload.threshold
    )
    congress.refresh_from_db()
    return scrutineers_out(congress)


@router.get("/congresses/{int:id}/scrutineers", response={200: ScrutineersOut, **ERRORS}, summary="监票人")
def get_scrutineers(request, id: int):
    return scrutineers_out(congress_for(request.auth, id, "congress.view"))


@router.post(
    "/congresses/{int:id}/key-shares", response={201: KeyShareOut, **ERRORS}, summary="监票人登记密钥份额"
)
def register_key_share(request, id: int, payload: KeyShareIn):
    """调用者须是本次会议的监票人。手机提交 `{public_share, proof}`（私钥只在手机上）；接口客户端提交 `{}`：
    服务器生成份额，私钥部分只以 `backup_code` 返回这一次，不保存。全体监票人登记后生成联合公钥。"""
    congress = congress_for(request.auth, id, "congress.view")
    if (payload.public_share is None) != (payload.proof is None):
        raise InvalidInput({"public_share": "请同时提交公钥份额和证明，或都不提交（由服务器生成）。"})
    code = scrutiny.register_key_share(
        user=request.auth, congress=congress, public_share=payload.public_share, proof=payload.proof
    )
    congress.refresh_from_db()
    return Status(201, {"backup_code": code, "joint_key": congress.joint_key})
