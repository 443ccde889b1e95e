"""API v1: the year's 工作总结 figures and the 台帐 listing (records.view)."""

import datetime
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema

from jiaogong.api.schemas import ErrorOut
from jiaogong.core.errors import InvalidInput
from jiaogong.core.permissions import org_for
from jiaogong.reports import archive, figures, selectors, services
from jiaogong.reports.models import AREAS

router = Router(tags=["总结与台帐"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class GroupOut(Schema):
    group: str
    value: Decimal | int
    count: int


class FigureOut(Schema):
    key: str
    area: str = Field(
        description="organization 组织建设、democracy 民主管理、welfare 送温暖、culture 文体活动、funds 经费、plan 计划完成情况"
    )
    label: str
    unit: str
    measure: str = Field(description="count 记录条数；amount 金额合计（元，两位小数的字符串）")
    value: Decimal | int
    count: int = Field(description="所统计的记录条数")
    groups: list[GroupOut]
    url: str = Field(description="列出所统计记录的页面")


class SummarySectionOut(Schema):
    area: str
    label: str
    text: str
    edited: bool


class YearSummaryOut(Schema):
    year: int
    figures: list[FigureOut]
    drafted_at: datetime.datetime | None = Field(None, description="起草时间；尚未起草为 null")
    sections: list[SummarySectionOut]


class ArchiveFileOut(Schema):
    name: str


class ArchiveEntryOut(Schema):
    category: str
    category_label: str
    date: datetime.date | None
    title: str
    kind: str
    detail: str
    url: str
    files: list[ArchiveFileOut]


class ArchiveOut(Schema):
    year: int
    count: int
    items: list[ArchiveEntryOut]


def _year(year: int) -> int:
    try:
        return services.check_year(year)
    except InvalidInput:
        raise Http404("没有这个年度。") from None


@router.get(
    "/orgs/{int:org}/summary/{int:year}",
    response={200: YearSummaryOut, **ERRORS},
    summary="年度工作总结的数字",
)
def get_summary(request, org: int, year: int):
    """每个数字都由它所统计的记录得出（`count` 条），`url` 页面逐条列出这些记录。"""
    the_org = org_for(request.auth, org, "records.view")
    year = _year(year)
    values = figures.year_figures(the_org, year)
    summary = selectors.summary_of(the_org, year)
    sections = {s.area: s for s in summary.sections.all()} if summary else {}
    return {
        "year": year,
        "figures": [
            {
                "key": v.key,
                "area": v.figure.area,
                "label": v.figure.label,
                "unit": "元" if v.figure.measure == "amount" else v.figure.unit,
                "measure": v.figure.measure,
                "value": v.value,
                "count": v.count,
                "groups": [{"group": g, "value": total, "count": n} for g, total, n in v.groups],
                "url": reverse("reports:figure", args=[the_org.pk, year, v.key]),
            }
            for v in values.values()
        ],
        "drafted_at": summary.drafted_at if summary else None,
        "sections": [
            {"area": area, "label": AREAS[area], "text": sections[area].text, "edited": sections[area].edited}
            for area in AREAS
            if area in sections
        ],
    }


@router.get(
    "/orgs/{int:org}/archive/{int:year}", response={200: ArchiveOut, **ERRORS}, summary="年度台帐目录"
)
def get_archive(request, org: int, year: int, category: str = "", q: str = ""):
    """按建家台帐类别（`category`：organization、democracy、rights、welfare、culture、women、funds、study、other）
    列出一年的台帐条目；`q` 在名称和说明中查找。"""
    the_org = org_for(request.auth, org, "records.view")
    year = _year(year)
    if category and category not in archive.CATEGORIES:
        raise InvalidInput(
            {"category": "类别应为：" + "、".join(f"{k}（{v}）" for k, v in archive.CATEGORIES.items())}
        )
    entries = archive.collect(the_org, year, category=category, q=q.strip()[:50])
    return {
        "year": year,
        "count": len(entries),
        "items": [
            {
                "category": e.category,
                "category_label": archive.CATEGORIES[e.category],
                "date": e.date,
                "title": e.title,
                "kind": e.kind,
                "detail": e.detail,
                "url": e.url,
                "files": [{"name": f.name} for f in e.files],
            }
            for e in entries
        ],
    }
