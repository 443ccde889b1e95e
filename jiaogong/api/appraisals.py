"""API v1: 民主评议 (API.md, "Teachers' congress")."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema, Status

from jiaogong.api.congress import ERRORS, PartialIn, PartialOut, congress_for, partial_args
from jiaogong.congress import appraisals, scrutiny
from jiaogong.congress.models import Appraisal
from jiaogong.core.errors import Conflict

router = Router(tags=["民主评议"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SubjectIn(Schema):
    name: str
    position: str = Field("", description="职务，如“校长”“分管教学副校长”")


class AppraisalIn(Schema):
    subjects: list[SubjectIn]


class SubjectRef(Schema):
    id: int
    name: str
    position: str


class AppraisalCreated(Schema):
    id: int
    scale: list[str]
    subjects: list[SubjectRef]


class AppraisalBallotIn(Schema):
    ratings: dict[str, str] | None = Field(
        None,
        description="被评议人 id → 等次（默认 优秀/称职/基本称职/不称职）；明文经 TLS 提交，服务器立即加密",
    )
    encrypted: dict | None = Field(
        None, description="手机端加密的评议票（每位被评议人每个等次一个 0/1 密文及证明）"
    )


class AppraisalReceipt(Schema):
    tracker: str
    receipt: str


class AppraisalClosed(Schema):
    state: str
    eligible: int
    valid: int


class SubjectResult(Schema):
    id: int
    name: str
    position: str
    counts: dict[str, int]
    percentages: dict[str, str]
    good_rate: str | None = Field(description="好评率：（优秀+称职）/ 有效票，百分数一位小数")
    flags: list[str] = Field(description="提示（供党组织参考，不是结论）：诫勉谈话、可能不称职")
    strengths: str
    weaknesses: str


class AppraisalResult(Schema):
    eligible: int
    valid: int
    participation_pct: str
    participation_ok: bool
    scale: list[str]
    subjects: list[SubjectResult]


class AppraisalOut(Schema):
    id: int
    state: str
    scale: list[str]
    subjects: list[SubjectRef]
    turnout: int
    result: AppraisalResult | None = Field(None, description="结束后才有；评议进行中不公布任何票数")


def subjects_of(appraisal: Appraisal) -> list[dict]:
    return [{"id": s.pk, "name": s.name, "position": s.position} for s in appraisal.subjects.all()]


@router.post(
    "/congresses/{int:id}/appraisals", response={201: AppraisalCreated, **ERRORS}, summary="建立民主评议"
)
def create_appraisal(request, id: int, payload: AppraisalIn):
    congress = congress_for(request.auth, id, "congress.manage")
    appraisal = appraisals.create_appraisal(
        actor=request.auth, congress=congress, subjects=[s.model_dump() for s in payload.subjects]
    )
    return Status(201, {"id": appraisal.pk, "scale": appraisal.scale, "subjects": subjects_of(appraisal)})


@router.get("/appraisals/{int:id}", response={200: AppraisalOut, **ERRORS}, summary="民主评议")
def get_appraisal(request, id: int):
    appraisal = appraisals.appraisal_for(request.auth, id)
    return {
        "id": appraisal.pk,
        "state": appraisal.state,
        "scale": appraisal.scale,
        "subjects": subjects_of(appraisal),
        "turnout": appraisal.turnout.count(),
        "result": appraisals.kept_result(appraisal),
    }


@router.post(
    "/appraisals/{int:id}/ballots",
    response={201: AppraisalReceipt, **ERRORS},
    summary="提交评议票（调用者即评议代表）",
)
def cast_ballot(request, id: int, payload: AppraisalBallotIn):
    """调用者须是已签到的正式代表（否则 403）；每位被评议人都要选择等次（否则 400）；第二次提交返回 409 `already_voted`。
    提交手机端加密的 `encrypted`（证明无效 422 `invalid_ballot`），或经 TLS 提交明文 `ratings`（服务器立即加密，不保存明文）。
    返回追踪码。评议票不与评议人关联，只有汇总票数由全体监票人解密。"""
    appraisal = appraisals.appraisal_for(request.auth, id)
    tracker = appraisals.cast_appraisal_ballot(
        user=request.auth, appraisal=appraisal, ratings=payload.ratings, encrypted=payload.encrypted
    )
    return Status(201, {"tracker": tracker, "receipt": tracker})


@router.post("/appraisals/{int:id}/close", response={200: AppraisalClosed, **ERRORS}, summary="结束评议")
def close_appraisal(request, id: int):
    """评议票同态求和后返回 `state: "counting"`，等待全体监票人解密（`POST /appraisals/{id}/partial-decryptions`）；
    解密后结果见 `GET /appraisals/{id}`（参评率不足三分之二时 `participation_ok` 为 false，评议无效）。"""
    appraisal = appraisals.appraisal_for(request.auth, id, "congress.manage")
    return appraisals.close_appraisal(actor=request.auth, appraisal=appraisal)


@router.post(
    "/appraisals/{int:id}/partial-decryptions",
    response={201: PartialOut, **ERRORS},
    summary="监票人提交评议的部分解密",
)
def submit_partial(request, id: int, payload: PartialIn):
    """同 `POST /polls/{id}/partial-decryptions`。全体监票人提交后公布评议结果：`state: "closed"`。"""
    appraisal = appraisals.appraisal_for(request.auth, id)
    appraisal = appraisals.submit_partial_decryption(
        user=request.auth, appraisal=appraisal, **partial_args(payload)
    )
    pending = [s.member.name for s in scrutiny.pending_scrutineers(appraisal)]
    return Status(201, {"state": appraisal.state, "pending": pending})


@router.get("/appraisals/{int:id}/bulletin", response={200: dict, **ERRORS}, summary="民主评议公告板")
def appraisal_bulletin(request, id: int):
    """加密评议票、同态汇总、部分解密及证明和结果；没有任何一张评议票的明文。"""
    return appraisals.bulletin(appraisals.appraisal_for(request.auth, id))


@router.get("/appraisals/{int:id}/report.xlsx", summary="民主评议结果（.xlsx）")
def report(request, id: int):
    appraisal = appraisals.appraisal_for(request.auth, id, "congress.manage")
    if appraisal.state != Appraisal.State.CLOSED:
        raise Conflict("appraisal_open", "评议结束后才能导出结果。")
    response = HttpResponse(appraisals.report_xlsx(appraisal), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{appraisal.congress.title}-民主评议结果.xlsx"
    )
    return response
