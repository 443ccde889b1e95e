"""API v1: 困难职工档案 (API.md, "Welfare"): hardship files and their computed category.

Only the chair and the welfare member (hardship.view / hardship.write). A file answers 404 to
anyone else — a wrong role of the same school too — so its existence is never revealed; the list
answers 403 to a wrong role. Every read of a file (GET one) is logged (via "api")."""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from jiaogong.api.schemas import Amount, ErrorOut
from jiaogong.core.permissions import org_for
from jiaogong.hardship import selectors, services
from jiaogong.hardship.models import CAUSES, FileRead, HardshipFile

router = Router(tags=["困难职工档案"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Money = Amount


class HouseholdIn(Schema):
    name: str
    relation: str
    birth_year: int | None = None
    occupation: str = ""
    health: str = ""
    annual_income: Money | None = None


class ItemIn(Schema):
    kind: str
    amount: Money


class FileIn(Schema):
    member: int = Field(description="会员 id（本单位名册）")
    household_size: int = Field(description="家庭人口（含职工本人），至少 1")
    annual_income: Money = Field(description="家庭年可支配收入（元）")
    rigid_expenses: Money = Field(description="刚性支出（元/年：医疗、教育、住房…）")
    hardship_costs: Money = Field(description="当年致困支出（元），没有填 0")
    dibao_monthly: Money = Field(description="当地低保标准（元/人·月）")
    major_incident: bool = Field(False, description="家庭成员在重大事故中伤亡")
    causes: list[str] = Field([], description="致困原因：" + "、".join(f"{k} {v}" for k, v in CAUSES.items()))
    health: str = ""
    locality: str = ""
    housing: Literal["", "own", "rent", "borrowed", "dormitory", "none"] = ""
    housing_note: str = ""
    note: str = ""
    opened_on: datetime.date | None = None
    household: list[HouseholdIn] = []
    income_items: list[ItemIn] = []
    expense_items: list[ItemIn] = []


class FileOut(Schema):
    id: int
    category: Literal["deep", "relative", "accident", "none"]
    category_label: str
    categories: list[str] = Field(description="符合的全部类别（意外致困可与收入类别并存）")
    reasons: list[str]
    per_capita_monthly: Decimal = Field(description="家庭人均月收入（元）")
    member: int
    member_name: str
    household_size: int
    annual_income: Decimal
    rigid_expenses: Decimal
    hardship_costs: Decimal
    dibao_monthly: Decimal
    major_incident: bool
    relative_multiple: Decimal
    accident_cost_share: Decimal
    causes: list[str]
    opened_on: datetime.date
    closed_on: datetime.date | None
    reviewed_this_year: bool


class FileDetailOut(FileOut):
    health: str
    locality: str
    housing: str
    housing_note: str
    note: str
    household: list[dict]
    income_items: list[dict]
    expense_items: list[dict]
    reviews: list[dict]
    help_records: list[dict]


def file_out(file: HardshipFile, *, year: int) -> dict:
    names = ["id", "category", "categories", "reasons", "per_capita_monthly", "household_size"]
    names += ["annual_income", "rigid_expenses", "hardship_costs", "dibao_monthly", "major_incident"]
    names += ["relative_multiple", "accident_cost_share", "causes", "opened_on", "closed_on"]
    return {n: getattr(file, n) for n in names} | {
        "category_label": file.get_category_display(),
        "member": file.member_id,
        "member_name": file.member.name,
        "reviewed_this_year": selectors.checked_in(file, year),
    }


def detail_out(file: HardshipFile, *, year: int) -> dict:
    return file_out(file, year=year) | {
        "health": file.health,
        "locality": file.locality,
        "housing": file.housing,
        "housing_note": file.housing_note,
        "note": file.note,
        "household": [
            {
                "name": h.name,
                "relation": h.relation,
                "birth_year": h.birth_year,
                "occupation": h.occupation,
                "health": h.health,
                "annual_income": str(h.annual_income) if h.annual_income is not None else None,
            }
            for h in file.household.all()
        ],
        "income_items": file.income_items,
        "expense_items": file.expense_items,
        "reviews": [
            {
                "reviewed_on": str(r.reviewed_on),
                "conclusion": r.conclusion,
                "category": r.category,
                "per_capita_monthly": str(r.per_capita_monthly),
            }
            for r in file.reviews.all()
        ],
        "help_records": [
            {
                "given_on": str(h.given_on),
                "kind": h.kind,
                "form": h.form,
                "amount": str(h.amount) if h.amount is not None else None,
                "ledger_entry": h.ledger_entry_id,
            }
            for h in file.help_records.all()
        ],
    }


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


@router.post("/orgs/{int:org}/hardship-files", response={201: FileOut, **ERRORS}, summary="建立困难职工档案")
def create_file(request, org: int, payload: FileIn):
    """工会主席、生活委员。类别不由调用方填写：按（家庭年收入 − 刚性支出）÷ 12 ÷ 家庭人口 与当地低保标准
    自动认定（deep 深度困难 < 低保；relative 相对困难 < 2 × 低保；accident 意外致困；none）。
    数据有误返回 400，`fields` 逐项说明（如 `household_size`、`household.2.name`），不保存任何内容。"""
    the_org = org_for(request.auth, org, "hardship.write")
    file = services.create_file(actor=request.auth, org=the_org, **payload.dict())
    return Status(201, file_out(file, year=_year()))


@router.get(
    "/orgs/{int:org}/hardship-files", response={200: list[FileOut], **ERRORS}, summary="困难职工档案列表"
)
def list_files(request, org: int, include_closed: bool = False):
    """工会主席、生活委员。默认只列在档的；`reviewed_this_year` 为 false 的是本年度未复核的档案。"""
    the_org = org_for(request.auth, org, "hardship.view")
    year = _year()
    return [
        file_out(f, year=year) for f in selectors.files(the_org, include_closed=include_closed, year=year)
    ]


@router.get("/hardship-files/{int:id}", response={200: FileDetailOut, **ERRORS}, summary="一份困难职工档案")
def get_file(request, id: int):
    """工会主席、生活委员；其他任何人（包括本校其他角色）一律 404。每次读取都记入查阅记录。"""
    org_id = HardshipFile.objects.filter(pk=id).values_list("org_id", flat=True).first()
    if org_id is None:
        raise Http404("没有找到该档案。")
    the_org = selectors.file_org_for(request.auth, org_id, "hardship.view")
    file = selectors.open_file(request.auth, the_org, id, via=FileRead.Via.API)
    return detail_out(file, year=_year())
