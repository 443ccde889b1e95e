"""API v1: 提案 (API.md, "Teachers' congress"), with the departments and the 提案工作委员会.

Every handler resolves the object through its own org first (another org's proposal is a 404 for
everyone there), then calls one service; the services check who may act (403) and the state (409).
"""

import datetime
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jiaogong.accounts.models import User
from jiaogong.api.congress import congress_for
from jiaogong.api.schemas import ErrorOut
from jiaogong.congress import proposals as service
from jiaogong.congress.models import Department, Proposal
from jiaogong.core.errors import InvalidInput
from jiaogong.core.permissions import org_for
from jiaogong.members.models import Member

router = Router(tags=["提案"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Ref = int | str  # an id, or (for departments) a name


# ---- schemas -------------------------------------------------------------------------------------------


class ProposalIn(Schema):
    title: str = Field(description="案由（一事一案）")
    reasons: str = Field(description="理由")
    measures: str = Field(description="建议措施")


class SecondOut(Schema):
    id: int
    state: str
    seconds: int = Field(description="已附议的代表人数")


class ReviewIn(Schema):
    decision: Literal["accept", "reject", "merge"]
    reason: str | None = Field(None, description="审查意见；不予立案时必填（告知提案人）")
    merge_into: int | None = Field(None, description="并案时并入的提案 id（本次会议已提交或已立案的提案）")
    lead_department: Ref | None = Field(None, description="立案时可同时交办：主办部门 id 或名称")
    supporting_departments: list[Ref] = Field(default_factory=list, description="协办部门 id 或名称")
    forward_as_suggestion: bool = Field(False, description="不予立案时转作意见建议处理")


class AssignIn(Schema):
    lead_department: Ref = Field(description="主办部门 id 或名称")
    supporting_departments: list[Ref] = Field(default_factory=list, description="协办部门 id 或名称")


class ProgressIn(Schema):
    percent: int = Field(ge=0, le=100, description="办理进度（%）")
    note: str = ""


class ReplyIn(Schema):
    code: Literal["A", "B", "C", "D"] = Field(
        description="A 已解决或基本解决 · B 正在解决或列入计划 · C 因条件限制暂缓 · D 留作参考"
    )
    text: str = Field(description="答复：采取的措施和时间，或不能解决的原因")


class FeedbackIn(Schema):
    rating: Literal["satisfied", "basically_satisfied", "unsatisfied"]
    note: str = ""


class ExcellentIn(Schema):
    excellent: bool = True
    note: str = ""


class ReplyOut(Schema):
    code: str
    text: str
    replied_on: datetime.date | None


class EventOut(Schema):
    at: str = Field(description="ISO 8601，带时区")
    kind: str
    label: str
    from_state: str | None
    to_state: str | None
    note: str
    percent: int | None
    actor: str


class ProposalOut(Schema):
    id: int
    congress: int
    kind: str = Field(description="proposal 提案 · suggestion 意见建议（逾期提交或不予立案后转交）")
    kind_label: str
    number: int | None = Field(description="立案号")
    state: str
    state_label: str
    title: str
    reasons: str
    measures: str
    proposer: int
    proposer_name: str
    co_proposers: list[int]
    co_proposer_names: list[str]
    seconds: int
    seconded_by: list[str]
    submitted_at: str | None
    decision: str | None
    decision_reason: str
    merged_into: int | None
    lead_department: int | None
    lead_department_name: str | None
    supporting_departments: list[int]
    supporting_department_names: list[str]
    assigned_on: datetime.date | None
    reply_due_on: datetime.date | None
    overdue: bool
    progress: int
    reply: ReplyOut | None
    rating: str | None
    reopened_once: bool
    closed_on: datetime.date | None
    excellent: bool
    history: list[EventOut]


class ProposalListOut(Schema):
    count: int
    counts: dict[str, int]
    items: list[ProposalOut]


class ProposalFilters(Schema):
    state: str | None = None


class DepartmentIn(Schema):
    name: str
    users: list[int] = Field(default_factory=list, description="部门人员的用户 id")


class DepartmentUserIn(Schema):
    user: int


class DepartmentOut(Schema):
    id: int
    name: str
    users: list[int]
    user_names: list[str]


class CommitteeIn(Schema):
    members: list[int] = Field(description="提案工作委员会委员的会员 id（本届，整体设置）")


class CommitteeOut(Schema):
    term: int
    members: list[int]
    member_names: list[str]
    warnings: list[str]


# ---- helpers -------------------------------------------------------------------------------------------------


def department_out(department: Department) -> dict:
    users = list(department.users.select_related("member").order_by("id"))
    return {
        "id": department.pk,
        "name": department.name,
        "users": [u.pk for u in users],
        "user_names": [service.actor_name(u) for u in users],
    }


def department_for(user, department_id: int) -> Department:
    department = Department.objects.select_related("org").filter(pk=department_id).first()
    if department is None:
        raise Http404("没有找到该部门。")
    org_for(user, department.org_id, "congress.manage")
    return department


def org_users(org, ids: list[int], field: str) -> list[User]:
    users = list(User.objects.filter(pk__in=ids, role_grants__org=org).distinct())
    if len(users) != len(set(ids)):
        raise InvalidInput({field: "没有找到这些用户（须为本单位的账号）。"})
    return users


def fresh(proposal: Proposal) -> dict:
    return service.proposal_data(service.with_relations(Proposal.objects).get(pk=proposal.pk))


# ---- proposals --------------------------------------------------------------------------------------------------


@router.post(
    "/congresses/{int:congress}/proposals", response={201: ProposalOut, **ERRORS}, summary="提出提案"
)
def create_proposal(request, congress: int, payload: ProposalIn):
    """调用者为提案人，须是本届正式代表（否则 422 `not_delegate`）。超过提案截止日期（会前若干天，
    可配置）提交的登记为意见建议（`kind: "suggestion"`）。提出后需其他代表附议（默认 2 人）。"""
    the_congress = congress_for(request.auth, congress, "congress.view")
    proposal = service.draft_proposal(actor=request.auth, congress=the_congress, **payload.model_dump())
    return Status(201, fresh(proposal))


@router.get(
    "/congresses/{int:congress}/proposals",
    response={200: ProposalListOut, **ERRORS},
    summary="本次会议的提案",
)
def list_proposals(request, congress: int, filters: Query[ProposalFilters]):
    the_congress = congress_for(request.auth, congress, "congress.view")
    items = [fresh(p) for p in service.proposals_of(the_congress, filters.state or "")]
    return {"count": len(items), "counts": service.state_counts(the_congress), "items": items}


@router.get("/proposals/{int:proposal}", response={200: ProposalOut, **ERRORS}, summary="提案详情与办理记录")
def get_proposal(request, proposal: int):
    """`history` 为全部办理记录（只增不改）：提出、附议、审查、交办、进度、答复、评价、催办等。"""
    return fresh(service.proposal_for(request.auth, proposal))


@router.post("/proposals/{int:proposal}/second", response={200: SecondOut, **ERRORS}, summary="附议")
def second(request, proposal: int):
    """调用者为附议代表，须是本届正式代表（422 `not_delegate`），不能是提案人（422 `own_proposal`）；
    重复附议为 409 `already_seconded`。附议人数达到下限（默认 2 人）时状态变为 `submitted`。"""
    the_proposal = service.second_proposal(
        actor=request.auth, proposal=service.proposal_for(request.auth, proposal)
    )
    return {"id": the_proposal.pk, "state": the_proposal.state, "seconds": the_proposal.seconds.count()}


@router.post("/proposals/{int:proposal}/review", response={200: ProposalOut, **ERRORS}, summary="审查提案")
def review(request, proposal: int, payload: ReviewIn):
    """提案工作委员会委员或工会主席、副主席、组织委员。`accept` 立案（给出立案号；同时填写
    `lead_department` 即交办），`reject` 不予立案（须填 `reason`；`forward_as_suggestion` 转作意见建议），
    `merge` 并案（须填 `merge_into`；本案提案人成为该案的联名提案人）。"""
    the_proposal = service.review_proposal(
        actor=request.auth, proposal=service.proposal_for(request.auth, proposal), **payload.model_dump()
    )
    return fresh(the_proposal)


@router.post("/proposals/{int:proposal}/assign", response={200: ProposalOut, **ERRORS}, summary="交办")
def assign(request, proposal: int, payload: AssignIn):
    """立案后交办：一个主办部门，可有协办部门；答复期限为交办之日起若干个月（默认 3 个月）。"""
    the_proposal = service.assign_proposal(
        actor=request.auth, proposal=service.proposal_for(request.auth, proposal), **payload.model_dump()
    )
    return fresh(the_proposal)


@router.post(
    "/proposals/{int:proposal}/progress", response={200: ProposalOut, **ERRORS}, summary="登记办理进度"
)
def progress(request, proposal: int, payload: ProgressIn):
    """调用者须是主办部门的人员（否则 403）。"""
    the_proposal = service.record_progress(
        actor=request.auth, proposal=service.proposal_for(request.auth, proposal), **payload.model_dump()
    )
    return fresh(the_proposal)


@router.post("/proposals/{int:proposal}/reply", response={200: ProposalOut, **ERRORS}, summary="答复提案")
def reply(request, proposal: int, payload: ReplyIn):
    """调用者须是主办部门的人员（否则 403）；提案须已交办或退回再办理（否则 409 `bad_state`）。"""
    the_proposal = service.reply_proposal(
        actor=request.auth, proposal=service.proposal_for(request.auth, proposal), **payload.model_dump()
    )
    return fresh(the_proposal)


@router.post(
    "/proposals/{int:proposal}/feedback", response={200: ProposalOut, **ERRORS}, summary="提案人评价办理结果"
)
def feedback(request, proposal: int, payload: FeedbackIn):
    """调用者须是提案人。`unsatisfied`（不满意）退回再办理一次（`reopened`）；其他评价，或再办理后的
    任何评价，均办结（`closed`）。"""
    the_proposal = service.rate_proposal(
        actor=request.auth, proposal=service.proposal_for(request.auth, proposal), **payload.model_dump()
    )
    return fresh(the_proposal)


@router.post(
    "/proposals/{int:proposal}/excellent", response={200: ProposalOut, **ERRORS}, summary="评定优秀提案"
)
def excellent(request, proposal: int, payload: ExcellentIn):
    """工会主席、副主席、组织委员；只限已立案的提案。`excellent: false` 取消。"""
    the_proposal = service.mark_excellent(
        actor=request.auth, proposal=service.proposal_for(request.auth, proposal), **payload.model_dump()
    )
    return fresh(the_proposal)


@router.get(
    "/orgs/{int:org}/proposals/overdue", response={200: ProposalListOut, **ERRORS}, summary="逾期未答复的提案"
)
def overdue(request, org: int):
    the_org = org_for(request.auth, org, "congress.department")
    items = [fresh(p) for p in service.overdue(the_org, timezone.localdate())]
    return {"count": len(items), "counts": {}, "items": items}


# ---- 提案工作委员会 ------------------------------------------------------------------------------------------------


@router.post(
    "/congresses/{int:congress}/proposal-committee",
    response={200: CommitteeOut, **ERRORS},
    summary="设置提案工作委员会",
)
def set_committee(request, congress: int, payload: CommitteeIn):
    """按届设置（与本次会议所属的届相同），整体替换。人数通常为 5–7 人（可配置），不符时给出提醒。"""
    the_congress = congress_for(request.auth, congress, "congress.manage")
    members = list(Member.objects.filter(org=the_congress.org, pk__in=payload.members))
    if len(members) != len(set(payload.members)):
        raise InvalidInput({"members": "没有找到这些会员。"})
    warnings = service.set_committee(actor=request.auth, term=the_congress.term, members=members)
    seats = the_congress.term.proposal_committee.select_related("member").order_by("member__name")
    return {
        "term": the_congress.term.number,
        "members": [s.member_id for s in seats],
        "member_names": [s.member.name for s in seats],
        "warnings": warnings,
    }


# ---- departments ---------------------------------------------------------------------------------------------------


@router.get("/orgs/{int:org}/departments", response={200: list[DepartmentOut], **ERRORS}, summary="职能部门")
def list_departments(request, org: int):
    the_org = org_for(request.auth, org, "congress.department")
    return [department_out(d) for d in Department.objects.filter(org=the_org)]


@router.post("/orgs/{int:org}/departments", response={201: DepartmentOut, **ERRORS}, summary="建立职能部门")
def create_department(request, org: int, payload: DepartmentIn):
    """主办、协办提案的学校职能部门（总务处、教务处…）。`users` 为部门人员（本单位的账号），
    他们可登记办理进度、答复提案。"""
    the_org = org_for(request.auth, org, "congress.manage")
    users = org_users(the_org, payload.users, "users")
    department = service.create_department(actor=request.auth, org=the_org, name=payload.name, users=users)
    return Status(201, department_out(department))


@router.post(
    "/departments/{int:department}/users", response={200: DepartmentOut, **ERRORS}, summary="添加部门人员"
)
def add_department_user(request, department: int, payload: DepartmentUserIn):
    the_department = department_for(request.auth, department)
    user = org_users(the_department.org, [payload.user], "user")[0]
    service.add_department_user(actor=request.auth, department=the_department, user=user)
    return department_out(the_department)
