"""API v1: 会费 and the ledger (API.md, "Dues and funds")."""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from jiaogong.api.schemas import Amount, ErrorOut
from jiaogong.core.errors import InvalidInput
from jiaogong.core.permissions import org_for
from jiaogong.funds import privacy as funds_privacy
from jiaogong.funds import services
from jiaogong.funds.models import LedgerEntry

router = Router(tags=["会费与经费"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def entry_for(user, entry_id: int, capability: str) -> LedgerEntry:
    entry = LedgerEntry.objects.select_related("org").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("没有找到该凭证。")
    org_for(user, entry.org_id, capability)
    return entry


class SalaryBaseIn(Schema):
    member: int
    components: dict[str, Amount] = Field(description='工资项目及金额，例如 {"岗位工资": "2830.00"}')


class SalaryBasesOut(Schema):
    month: str
    members: int
    total: Decimal = Field(description="本月应缴会费合计（元）")


class DuesItemOut(Schema):
    member: int
    name: str
    base: Decimal = Field(description="计缴基数（舍去 10 元以下零头）")
    amount: Decimal = Field(description="应缴会费（元）")
    exempt: str = Field(description="免缴原因（如退休），否则为空")


class DuesOut(Schema):
    month: str
    items: list[DuesItemOut]
    total: Decimal


class EntryIn(Schema):
    date: datetime.date
    kind: Literal["income", "expense", "transfer"] = Field(
        description="income 收入、expense 支出；transfer 内部转账（库存现金与银行存款之间，不计收支）"
    )
    category: str = Field(
        "", description="科目（收入：会费收入、拨缴经费收入…；支出：职工活动支出、维权支出…）"
    )
    amount: Amount = Field(description="金额（元），大于零，最多两位小数")
    memo: str
    subcategory: str = ""
    payee: str = ""
    account: Literal["bank", "cash"] = "bank"
    counter_account: Literal["", "bank", "cash"] = Field("", description="内部转账的转入账户")
    from_dues: bool = Field(False, description="会费列支的活动支出（计入会费补充上限）")
    confirm: bool = Field(
        False,
        description="已核实提示（八不准、会费补充上限）仍要记账：先不带此项提交，409 `needs_confirmation` 列出提示",
    )


class EntryOut(Schema):
    id: int
    date: datetime.date
    kind: str
    category: str
    subcategory: str
    amount: Decimal
    memo: str
    payee: str
    account: str
    counter_account: str = ""
    from_dues: bool = False
    warnings: list[str] = Field([], description="记账时提示的经费使用规定（八不准、会费补充上限）")
    reverses: int | None = Field(None, description="冲销凭证所冲销的原凭证")
    reversed_by: int | None = Field(None, description="冲销了这笔凭证的冲销凭证")
    recorded_by: int


class ReverseIn(Schema):
    reason: str


class SummaryOut(Schema):
    year: int
    income: dict[str, Decimal]
    expense: dict[str, Decimal]
    balance: Decimal


def entry_out(entry: LedgerEntry, viewer) -> dict:
    """The entry; its payee and memo only for a viewer who may open the record behind it
    (funds/privacy.py: a hardship file's help, a 慰问 to a member)."""
    names = ["id", "date", "kind", "category", "subcategory", "amount", "account"]
    names += ["counter_account", "from_dues"]
    guard = funds_privacy.guards([entry])[entry.pk]
    return (
        {name: getattr(entry, name) for name in names}
        | funds_privacy.shown(viewer, entry.org, entry, guard)
        | {
            "warnings": getattr(entry, "warnings", []),
            "reverses": entry.reverses_id,
            "reversed_by": LedgerEntry.objects.filter(reverses=entry).values_list("pk", flat=True).first(),
            "recorded_by": entry.recorded_by_id,
        }
    )


@router.put(
    "/orgs/{int:org}/salary-bases/{month}",
    response={200: SalaryBasesOut, **ERRORS},
    summary="录入当月工资基数",
)
def put_salary_bases(request, org: int, month: str, payload: list[SalaryBaseIn]):
    """财务委员。按会员录入当月工资项目；按规则（默认 岗位工资 + 薪级工资，舍去 10 元以下零头，× 0.5%）算出会费。
    任何一行有误则整批不保存，`fields` 逐行说明（如 `2.member`）。同一会员同月重复提交则覆盖。"""
    the_org = org_for(request.auth, org, "funds.write")
    return services.put_salary_bases(
        actor=request.auth, org=the_org, month=services.parse_month(month), rows=[r.dict() for r in payload]
    )


@router.get("/orgs/{int:org}/dues/{month}", response={200: DuesOut, **ERRORS}, summary="当月会费清册")
def dues(request, org: int, month: str):
    the_org = org_for(request.auth, org, "funds.view")
    return services.dues_roll(the_org, services.parse_month(month))


@router.post("/orgs/{int:org}/ledger/entries", response={201: EntryOut, **ERRORS}, summary="记账")
def create_entry(request, org: int, payload: EntryIn):
    """财务委员。凭证记账后不能修改或删除（405）；记错了用冲销（`/ledger/entries/{id}/reverse`）。
    支出的摘要、科目指向八不准所禁用途，或会费列支超出补充上限时，409 `needs_confirmation`，
    `warnings` 列出提示，什么也不写；核实后同一请求加 `confirm: true` 再提交，201，`warnings` 列出已确认的提示。"""
    the_org = org_for(request.auth, org, "funds.write")
    data = payload.dict()
    data["confirm_warnings"] = data.pop("confirm")
    entry = services.record_entry(actor=request.auth, org=the_org, **data)
    return Status(201, entry_out(entry, request.auth))


@router.get("/ledger/entries/{int:id}", response={200: EntryOut, **ERRORS}, summary="一笔凭证")
def get_entry(request, id: int):
    """凭证只能查看和冲销：PUT、PATCH、DELETE 一律返回 405。"""
    return entry_out(entry_for(request.auth, id, "funds.view"), request.auth)


@router.post("/ledger/entries/{int:id}/reverse", response={201: EntryOut, **ERRORS}, summary="冲销凭证")
def reverse_entry(request, id: int, payload: ReverseIn):
    """财务委员。生成一笔金额相反、科目相同的冲销凭证，注明原凭证和原因；原凭证保持不变。"""
    entry = entry_for(request.auth, id, "funds.write")
    return Status(
        201,
        entry_out(
            services.reverse_entry(actor=request.auth, entry=entry, reason=payload.reason), request.auth
        ),
    )


@router.get("/orgs/{int:org}/ledger/summary", response={200: SummaryOut, **ERRORS}, summary="年度收支汇总")
def ledger_summary(request, org: int, year: int):
    the_org = org_for(request.auth, org, "funds.view")
    if not 1900 <= year <= 2100:  # a year the ledger can hold (a year past the database's integers was a 500)
        raise InvalidInput({"year": "年份应在 1900–2100 之间。"})
    return services.summary(the_org, year)
