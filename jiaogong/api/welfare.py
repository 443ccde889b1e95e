"""API v1: 送温暖 (API.md, "Welfare"): care events and their visits."""

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from jiaogong.api.schemas import ErrorOut
from jiaogong.core.permissions import org_for
from jiaogong.welfare import selectors, services
from jiaogong.welfare.models import CareEvent, Visit

router = Router(tags=["送温暖"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CareEventIn(Schema):
    member: int = Field(description="会员 id（本人或同事）")
    kind: str = Field(
        description="五必访事由：hospitalized 生病住院、marriage 结婚、childbirth 生育、death_member 会员去世、"
        "death_relative 直系亲属去世、hardship 家庭重大困难或意外、retirement 退休（本单位可增设）"
    )
    occurred_on: datetime.date
    note: str = Field("", description="简要说明（不必写病情），不超过 200 字")


class CareEventOut(Schema):
    id: int
    member: int
    kind: str
    label: str
    occurred_on: datetime.date
    reported_on: datetime.date
    visit_due_on: datetime.date
    status: str = Field(description="new 待分派、assigned 待走访、visited 已走访")
    overdue: bool
    visitor: int | None
    visit: int | None = None


class CareEventsOut(Schema):
    count: int
    items: list[CareEventOut]


class CareAssignIn(Schema):
    visitor: int = Field(description="走访人：工会小组长或本届工会委员会委员的会员 id")
    due_on: datetime.date | None = Field(None, description="走访期限，默认为报告后 7 天（参数）")


class VisitIn(Schema):
    visited_on: datetime.date
    visitors: list[int] = Field(description="走访人会员 id")
    form: str = Field(
        "", description="cash 慰问金、goods 慰问品、souvenir 纪念品、cake_voucher 蛋糕券；不发钱物可为空"
    )
    amount: Decimal | None = Field(None, description="金额（元，两位小数的字符串）；为空或 0 表示不发钱物")
    caps_kind: str = Field("", description="慰问标准类别（如住院手术 hospital_surgery），默认取事由的第一项")
    note: str = ""
    override_reason: str = Field("", description="超标准发放的理由（仅工会主席）")
    confirm: bool = Field(
        False, description="已核实提示（八不准）仍要记账：先不带此项提交，409 `needs_confirmation` 列出提示"
    )


class VisitOut(Schema):
    id: int
    event: int
    visited_on: datetime.date
    visitors: list[int]
    form: str
    amount: Decimal | None
    benefit: int | None = Field(None, description="慰问记录（funds）")
    entry: int | None = Field(None, description="记账凭证")
    note: str
    photos: list[int]


def event_out(event: CareEvent, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": event.pk,
        "member": event.member_id,
        "kind": event.kind,
        "label": selectors.kind_label(event.org, event.kind),
        "occurred_on": event.occurred_on,
        "reported_on": event.reported_on,
        "visit_due_on": event.visit_due_on,
        "status": event.status,
        "overdue": event.is_overdue(today),
        "visitor": event.visitor_id,
        "visit": Visit.objects.filter(event=event).values_list("pk", flat=True).first(),
    }


def visit_out(visit: Visit) -> dict:
    return {
        "id": visit.pk,
        "event": visit.event_id,
        "visited_on": visit.visited_on,
        "visitors": sorted(visit.visitors.values_list("pk", flat=True)),
        "form": visit.form,
        "amount": visit.amount,
        "benefit": visit.benefit_id,
        "entry": visit.benefit.entry_id if visit.benefit_id else None,
        "note": visit.note,
        "photos": list(visit.photos.values_list("pk", flat=True)),
    }


def _event(user, event_id: int) -> tuple[object, CareEvent]:
    row = CareEvent.objects.filter(pk=event_id).values_list("org_id", flat=True).first()
    if row is None:
        raise Http404("没有找到该慰问事项。")
    # The event decides who may see it (the chair, the welfare member and its visitor, whatever
    # their role); another org's event is a 404.
    org = org_for(user, row, "org.view")
    return org, selectors.event_for(user, org, event_id)


@router.post(
    "/orgs/{int:org}/care-events", response={201: CareEventOut, **ERRORS}, summary="报告慰问事项（五必访）"
)
def report_event(request, org: int, payload: CareEventIn):
    """任何会员都可以报告（第一知情人、第一报告人）；应走访日期 = 报告日期 + 7 天（参数 welfare.visit_due_days）。"""
    the_org = org_for(request.auth, org, "welfare.report")
    event = services.report_event(actor=request.auth, org=the_org, **payload.dict())
    return Status(201, event_out(event))


@router.get("/orgs/{int:org}/care-events", response={200: CareEventsOut, **ERRORS}, summary="慰问事项")
def list_events(request, org: int, state: str = "open"):
    """工会主席、生活委员。`state`：open 未走访（默认）、new、assigned、overdue、visited、all。"""
    the_org = org_for(request.auth, org, "welfare.view")
    today = timezone.localdate()
    items = [event_out(e, today) for e in selectors.queue(the_org, today, state)]
    return {"count": len(items), "items": items}


@router.get("/orgs/{int:org}/care-events/mine", response={200: CareEventsOut, **ERRORS}, summary="我的走访")
def my_events(request, org: int):
    the_org = org_for(request.auth, org, "welfare.report")
    items = [event_out(e) for e in selectors.my_visits(request.auth, the_org)]
    return {"count": len(items), "items": items}


@router.get("/care-events/{int:id}", response={200: CareEventOut, **ERRORS}, summary="一项慰问事项")
def get_event(request, id: int):
    _org, event = _event(request.auth, id)
    return event_out(event)


@router.post("/care-events/{int:id}/assign", response={200: CareEventOut, **ERRORS}, summary="分派走访")
def assign(request, id: int, payload: CareAssignIn):
    """工会主席、生活委员。走访人须为在任工会小组长或本届工会委员。"""
    org, event = _event(request.auth, id)
    org_for(request.auth, org.pk, "welfare.manage")
    event = services.assign_visitor(actor=request.auth, org=org, event=event, **payload.dict())
    return event_out(event)


@router.post("/care-events/{int:id}/visits", response={201: VisitOut, **ERRORS}, summary="登记走访")
def record_visit(request, id: int, payload: VisitIn):
    """被分派的走访人、生活委员或工会主席。金额经慰问标准核对：超标准 422 `cap_exceeded`
    （`remaining` 为还可发的金额），形式不允许 422 `form_not_allowed`；通过后自动记账。
    记账提示违反经费使用规定（八不准）时 409 `needs_confirmation`（`warnings` 列出提示），
    什么也不写；核实后同一请求加 `confirm: true` 再提交。"""
    org, event = _event(request.auth, id)
    data = payload.dict()
    data["confirm_warnings"] = data.pop("confirm")
    visit = services.record_visit(actor=request.auth, org=org, event=event, **data)
    return Status(201, visit_out(visit))


@router.post("/visits/{int:id}/photos", response={201: VisitOut, **ERRORS}, summary="上传走访照片")
def add_photo(request, id: int, file: File[UploadedFile]):
    """multipart 字段 `file`：JPG 或 PNG（按文件内容识别），不超过 10 MB。"""
    visit = Visit.objects.select_related("event").filter(pk=id).first()
    if visit is None:
        raise Http404("没有找到该走访记录。")
    org, _event_row = _event(request.auth, visit.event_id)
    services.add_photo(actor=request.auth, org=org, visit=visit, upload=file)
    return Status(201, visit_out(visit))
