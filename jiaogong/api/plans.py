"""API v1: 工作计划 — an org's plans, one plan with its schedule, importing pasted text (with a
dry run that saves nothing), and linking a schedule item to the record that fulfils it."""

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from jiaogong.api.schemas import ErrorOut
from jiaogong.core.permissions import can, org_for
from jiaogong.plans import selectors, services
from jiaogong.plans.models import Item, Plan
from jiaogong.plans.parsing import period_label

router = Router(tags=["工作计划"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PlanSummaryOut(Schema):
    id: int
    title: str
    kind: str = Field(description="annual 年度、school_year 学年、semester 学期")
    year: int
    season: str = Field(description="学期计划：spring 春季学期、autumn 秋季学期；其余为空")
    period: str = Field(description="如 2025年度、2025—2026学年、2025年秋季学期")
    starts_on: datetime.date
    status: str = Field(description="draft 草稿、published 已发布")
    items: int


class PlansOut(Schema):
    count: int
    items: list[PlanSummaryOut]


class LinkOut(Schema):
    kind: str
    id: int
    label: str
    url: str
    state: str = Field(description="done 已完成、cancelled 已取消、pending 未举行")


class ItemOut(Schema):
    id: int
    plan: int
    period_kind: str = Field(description="month、quarter、week，空为时间待定")
    period_start: int | None
    period_end: int | None
    period: str = Field(description="如 9月、8—9月、第一季度、第3周、时间待定")
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    text: str
    position: int
    status: str = Field(description="planned 计划中、done 已完成、cancelled 已取消、late 已逾期")
    link: LinkOut | None


class SectionOut(Schema):
    id: int
    title: str
    text: str


class PlanOut(PlanSummaryOut):
    guidance: str
    remainder: str
    sections: list[SectionOut]
    schedule: list[ItemOut]


class ImportIn(Schema):
    text: str = Field(description="计划全文（粘贴的文字）")
    dry_run: bool = Field(False, description="true：只预览识别结果，不保存")
    title: str = Field("", description="不填则用识别出的标题")
    kind: str = Field("", description="annual、school_year、semester；不填按识别结果")
    year: int | None = Field(None, description="不填则用识别出的年份")
    season: str = ""
    starts_on: datetime.date | None = None


class ParsedItemOut(Schema):
    line: int = Field(description="在粘贴文字中的行号")
    period_kind: str
    period_start: int | None
    period_end: int | None
    period: str
    text: str


class ParsedSectionOut(Schema):
    line: int
    title: str
    text: str


class PreviewOut(Schema):
    title: str
    year: int | None
    kind: str
    guidance: str
    sections: list[ParsedSectionOut]
    items: list[ParsedItemOut]
    remainder: list[str]


class LinkIn(Schema):
    kind: str = Field(description="activity 活动、congress 教代会会议、greeting 慰问发放")
    record_id: int


def _summary(plan: Plan, items: int | None = None) -> dict:
    return {
        "id": plan.pk,
        "title": plan.title,
        "kind": plan.kind,
        "year": plan.year,
        "season": plan.season,
        "period": plan.period_label,
        "starts_on": plan.starts_on,
        "status": plan.status,
        "items": items if items is not None else plan.items.count(),
    }


def _item_out(view) -> dict:
    item = view.item
    link = None
    if view.link is not None:
        link = {
            "kind": item.link_kind,
            "id": item.link_id,
            **{k: getattr(view.link, k) for k in ("label", "url", "state")},
        }
    return {
        "id": item.pk,
        "plan": item.plan_id,
        "period_kind": item.period_kind,
        "period_start": item.period_start,
        "period_end": item.period_end,
        "period": view.label,
        "starts_on": view.start,
        "ends_on": view.end,
        "text": item.text,
        "position": item.position,
        "status": view.status,
        "link": link,
    }


def _plan_out(org, plan: Plan) -> dict:
    views = selectors.schedule(org, plan, timezone.localdate())
    return {
        **_summary(plan, len(views)),
        "guidance": plan.guidance,
        "remainder": plan.remainder,
        "sections": [{"id": s.pk, "title": s.title, "text": s.text} for s in plan.sections.all()],
        "schedule": [_item_out(v) for v in views],
    }


def _plan(user, plan_id: int, capability: str = "plans.view") -> tuple[object, Plan]:
    org_id = Plan.objects.filter(pk=plan_id).values_list("org_id", flat=True).first()
    if org_id is None:
        raise Http404("没有找到该计划。")
    org = org_for(user, org_id, capability)
    plan = selectors.plan_for(org, plan_id)
    if plan.status != Plan.Status.PUBLISHED and not can(user, org, "plans.manage"):
        raise Http404("没有找到该计划。")
    return org, plan


def _item(user, item_id: int) -> tuple[object, Item]:
    org_id = Item.objects.filter(pk=item_id).values_list("org_id", flat=True).first()
    if org_id is None:
        raise Http404("没有找到该项目。")
    org = org_for(user, org_id, "plans.manage")
    return org, selectors.item_for(org, item_id)


@router.get("/orgs/{int:org}/plans", response={200: PlansOut, **ERRORS}, summary="工作计划列表")
def list_plans(request, org: int, year: int | None = None):
    """会员看到已发布的计划，工会主席、副主席、组织委员还看到草稿。"""
    the_org = org_for(request.auth, org, "plans.view")
    qs = selectors.plans_of(the_org, year=year)
    if not can(request.auth, the_org, "plans.manage"):
        qs = qs.filter(status=Plan.Status.PUBLISHED)
    items = [_summary(p, p.item_count) for p in qs]
    return {"count": len(items), "items": items}


@router.get("/plans/{int:id}", response={200: PlanOut, **ERRORS}, summary="一份计划及其工作安排")
def get_plan(request, id: int):
    """工作安排按时间排列；每项的 status 随关联的记录变化（活动举行即 done，取消即 cancelled，日期已过未举行即 late）。"""
    org, plan = _plan(request.auth, id)
    return _plan_out(org, plan)


@router.post(
    "/orgs/{int:org}/plans/import",
    response={200: PreviewOut, 201: PlanOut, **ERRORS},
    summary="粘贴导入计划（可先预览）",
)
def import_plan(request, org: int, payload: ImportIn):
    """`dry_run: true` 返回识别结果（标题、指导思想、各部分、工作安排及其行号、未识别的文字），不保存；
    否则保存为草稿计划（201），全部成功或全部不保存。"""
    the_org = org_for(request.auth, org, "plans.manage")
    data = payload.dict()
    if data.pop("dry_run"):
        parsed = services.preview_import(data["text"])
        return Status(
            200,
            {
                "title": parsed.title,
                "year": parsed.year,
                "kind": parsed.kind,
                "guidance": parsed.guidance,
                "sections": [{"line": s.line, "title": s.title, "text": s.text} for s in parsed.sections],
                "items": [
                    {
                        "line": i.line,
                        "period_kind": i.period.kind,
                        "period_start": i.period.start,
                        "period_end": i.period.end,
                        "period": period_label(i.period.kind, i.period.start, i.period.end),
                        "text": i.text,
                    }
                    for i in parsed.items
                ],
                "remainder": parsed.remainder,
            },
        )
    plan = services.import_plan(actor=request.auth, org=the_org, **data)
    return Status(201, _plan_out(the_org, plan))


@router.post("/plan-items/{int:id}/link", response={200: ItemOut, **ERRORS}, summary="关联完成该项安排的记录")
def link_item(request, id: int, payload: LinkIn):
    """工会主席、副主席、组织委员。记录须是本工会的。"""
    org, item = _item(request.auth, id)
    item = services.link_item(actor=request.auth, item=item, kind=payload.kind, record_id=payload.record_id)
    return _item_out(selectors.item_view(org, item, timezone.localdate()))


@router.delete("/plan-items/{int:id}/link", response={200: ItemOut, **ERRORS}, summary="取消关联")
def unlink_item(request, id: int):
    org, item = _item(request.auth, id)
    item = services.unlink_item(actor=request.auth, item=item)
    return _item_out(selectors.item_view(org, item, timezone.localdate()))
