"""API v1: 兴趣小组 — the clubs, joining one, a budget request and its approval (not in API.md)."""

from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from jiaogong.api.schemas import ErrorOut
from jiaogong.clubs import selectors, services
from jiaogong.clubs.models import Budget, Club
from jiaogong.core.permissions import org_for
from jiaogong.members.selectors import own_member

router = Router(tags=["兴趣小组"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ClubOut(Schema):
    id: int
    name: str
    description: str
    leader: int | None = Field(description="组长的会员 id；未选出为 null")
    leader_name: str
    members: int = Field(description="现有成员人数")
    joined: bool = Field(description="我是否已加入")


class ClubsOut(Schema):
    count: int
    items: list[ClubOut]


class MembershipOut(Schema):
    club: int
    member: int
    joined_at: str


class BudgetLineIn(Schema):
    item: str = Field(description="项目，如 宣纸、墨汁")
    amount: str = Field(description='金额（元），如 "800" 或 "800.00"')


class BudgetIn(Schema):
    year: int
    lines: list[BudgetLineIn] = Field(description="预算明细；申请金额为各项之和")
    note: str = ""


class ApproveIn(Schema):
    amount: Decimal | None = Field(None, description="批准金额（元）；不填为申请金额，不能高于申请金额")
    reason: str = ""


class RefuseIn(Schema):
    reason: str = Field(description="不批准的理由（必填）")


class BudgetOut(Schema):
    id: int
    club: int
    year: int
    lines: list[dict]
    requested: Decimal
    status: str = Field(description="pending 待审批、approved 已批准、refused 未批准")
    approved: Decimal | None
    reason: str
    spent: Decimal
    left: Decimal


def club_out(club: Club, mine: set[int], count: int | None = None) -> dict:
    return {
        "id": club.pk,
        "name": club.name,
        "description": club.description,
        "leader": club.leader_id,
        "leader_name": club.leader.name if club.leader_id else "",
        "members": count if count is not None else len(selectors.members_of(club)),
        "joined": club.pk in mine,
    }


def budget_out(budget: Budget) -> dict:
    figures = selectors.figures(budget)
    return {
        "id": budget.pk,
        "club": budget.club_id,
        "year": budget.year,
        "lines": budget.lines,
        "requested": budget.requested,
        "status": budget.status,
        "approved": budget.approved,
        "reason": budget.reason,
        "spent": figures.spent,
        "left": figures.left,
    }


def _club(user, club_id: int, capability: str = "activities.view") -> tuple[object, Club]:
    org_id = Club.objects.filter(pk=club_id).values_list("org_id", flat=True).first()
    if org_id is None:
        raise Http404("没有找到该兴趣小组。")
    org = org_for(user, org_id, capability)
    return org, selectors.club_or_404(org, club_id)


def _budget(user, budget_id: int, capability: str) -> Budget:
    org_id = Budget.objects.filter(pk=budget_id).values_list("org_id", flat=True).first()
    if org_id is None:
        raise Http404("没有找到该经费申请。")
    org = org_for(user, org_id, capability)
    return selectors.budget_or_404(org, budget_id)


@router.get("/orgs/{int:org}/clubs", response={200: ClubsOut, **ERRORS}, summary="兴趣小组")
def list_clubs(request, org: int):
    the_org = org_for(request.auth, org, "activities.view")
    mine = selectors.club_ids_of(own_member(request.auth, the_org))
    items = [club_out(c, mine, c.member_count) for c in selectors.clubs_of(the_org)]
    return {"count": len(items), "items": items}


@router.post("/clubs/{int:id}/join", response={201: MembershipOut, **ERRORS}, summary="加入兴趣小组")
def join_club(request, id: int):
    """本人加入（账号须关联本单位在册会员）。已是成员 409 `already_joined`。"""
    org, club = _club(request.auth, id)
    membership = services.join(actor=request.auth, club=club, member=own_member(request.auth, org))
    return Status(
        201, {"club": club.pk, "member": membership.member_id, "joined_at": membership.joined_at.isoformat()}
    )


@router.post("/clubs/{int:id}/budgets", response={201: BudgetOut, **ERRORS}, summary="申请小组年度经费")
def request_budget(request, id: int, payload: BudgetIn):
    """组长（或组织活动的委员）。每个小组每年一份待审批或已批准的申请；已有时 409 `budget_exists`。"""
    _org, club = _club(request.auth, id)
    budget = services.request_budget(
        actor=request.auth,
        club=club,
        year=payload.year,
        lines=[line.dict() for line in payload.lines],
        note=payload.note,
    )
    return Status(201, budget_out(budget))


@router.post("/club-budgets/{int:id}/approve", response={200: BudgetOut, **ERRORS}, summary="批准小组经费")
def approve_budget(request, id: int, payload: ApproveIn):
    """工会主席、副主席。可批准低于申请的金额；已审批 409 `already_decided`。"""
    budget = _budget(request.auth, id, "clubs.approve")
    amount = None if payload.amount is None else str(payload.amount)
    budget = services.approve_budget(actor=request.auth, budget=budget, amount=amount, reason=payload.reason)
    return budget_out(budget)


@router.post("/club-budgets/{int:id}/refuse", response={200: BudgetOut, **ERRORS}, summary="不批准小组经费")
def refuse_budget(request, id: int, payload: RefuseIn):
    budget = _budget(request.auth, id, "clubs.approve")
    budget = services.refuse_budget(actor=request.auth, budget=budget, reason=payload.reason)
    return budget_out(budget)


@router.get("/club-budgets/{int:id}", response={200: BudgetOut, **ERRORS}, summary="一份小组经费")
def get_budget(request, id: int):
    return budget_out(_budget(request.auth, id, "activities.view"))
