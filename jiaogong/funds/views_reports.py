"""报表: the page of the year's downloads (the assembly's finance report, the books, the dues
roll, 拨缴 and 上解) with the expense chart, and the members' 会费收据.

The reports are for those who read the books (funds.view). A receipt is for the member it names
and for the finance member who issues it; anyone else gets a 404 (a plain member) or a 403 (a
reader of the books, who knows the member exists). Every download is audited.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header

from jiaogong.core import audit
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import org_view
from jiaogong.funds import charts, receipts, reports, services
from jiaogong.funds.models import DuesPayment
from jiaogong.members.models import Member

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CONTENT_TYPES = {"docx": DOCX, "xlsx": XLSX, "pdf": PDF, "png": "image/png"}


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404("没有这个年度。")
    return year


def _month_or_404(text: str) -> datetime.date:
    try:
        month = services.parse_month(text)
    except DomainError:
        raise Http404("没有这个月份。") from None
    _year_or_404(month.year)
    return month


def _period_or_404(text: str) -> tuple[int, int | None]:
    """ "2025" → (2025, None); "2025-10" → (2025, 10)."""
    if text.isdigit():
        return _year_or_404(int(text)), None
    month = _month_or_404(text)
    return month.year, month.month


def _download(request, org, content: bytes, filename: str, *, action: str, obj=None, **changes):
    audit.record(
        actor=request.user,
        org=org,
        action=action,
        obj=obj,
        changes={"file": filename, "bytes": len(content), **changes},
        object_repr=filename,
    )
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# ---- the page ---------------------------------------------------------------------------------------


@login_required
@org_view("funds.view", "funds")
def reports_page(request, org):
    today = timezone.localdate()
    try:
        year = _year_or_404(int(request.GET.get("year") or today.year))
    except (ValueError, Http404):
        year = today.year
    figures = reports.figures(org, year)
    can_write = can(request.user, org, "funds.write")
    payers = reports.dues_payers(org, year) if can_write else []
    return render(
        request,
        "funds/reports.html",
        {
            "org": org,
            "page_title": f"{year} 年报表",
            "year": year,
            "years": [y for y in (year - 1, year + 1) if y <= today.year],
            "f": figures,
            "chart": figures["chart"],
            "roll_months": reports.roll_months(org, year),
            "can_write": can_write,
            "payers": payers,
            "periods": [(str(year), f"{year} 年全年")]
            + [(f"{year}-{m:02d}", f"{m} 月") for m in range(1, 13)],
        },
    )


# ---- the downloads ----------------------------------------------------------------------------------


@login_required
@org_view("funds.view", "funds")
def annual_report(request, org, year):
    content = reports.annual_report_docx(org, _year_or_404(year))
    return _download(
        request, org, content, f"{org.name}{year}年度经费收支情况报告.docx", action="funds.report.download"
    )


@login_required
@org_view("funds.view", "funds")
def ledger_workbook(request, org, year):
    content = reports.ledger_xlsx(org, _year_or_404(year), viewer=request.user)
    return _download(request, org, content, f"{org.name}{year}年账簿.xlsx", action="funds.report.download")


@login_required
@org_view("funds.view", "funds")
def dues_roll_workbook(request, org, month):
    day = _month_or_404(month)
    content = reports.dues_roll_xlsx(org, day)
    return _download(
        request,
        org,
        content,
        f"{org.name}{day.year}年{day.month}月会费收缴表.xlsx",
        action="funds.report.download",
    )


@login_required
@org_view("funds.view", "funds")
def remittance_workbook(request, org, year):
    content = reports.remittance_xlsx(org, _year_or_404(year))
    return _download(
        request, org, content, f"{org.name}{year}年拨缴经费与上解明细.xlsx", action="funds.report.download"
    )


@login_required
@org_view("funds.view", "funds")
def remittance_paper(request, org, year):
    content = reports.remittance_docx(org, _year_or_404(year))
    return _download(
        request, org, content, f"{org.name}{year}年度上解经费结算单.docx", action="funds.report.download"
    )


@login_required
@org_view("funds.view", "funds")
def expense_chart(request, org, year):
    summary = services.summary(org, _year_or_404(year))
    try:
        content = charts.png(charts.expense_chart(summary))
    except charts.FontMissing as e:
        return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(False, f"{year}年支出按科目.png")
    return response


# ---- 会费收据 -----------------------------------------------------------------------------------------


@login_required
@org_view("org.view", "funds")
def receipt(request, org, member_id, period, fmt):
    member = Member.objects.filter(org=org, pk=member_id).select_related("org", "union_group").first()
    own = member is not None and request.user.member_id == member.pk
    if not own:
        if member is None or not can(request.user, org, "funds.view"):
            raise Http404("没有找到该会员的缴费记录。")
        if not can(request.user, org, "funds.write"):
            raise PermissionDenied("只有财务委员可以开具其他会员的会费收据。")
    year, month = _period_or_404(period)
    issued = receipts.receipt_for(member, year, month)
    if issued is None:
        raise Http404(f"{member.name}在{year}年{f'{month}月' if month else ''}没有缴费记录，无法开具收据。")
    if fmt == "pdf":
        try:
            content = receipts.receipt_pdf(issued)
        except charts.FontMissing as e:
            return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    else:
        content = receipts.receipt_docx(issued)
    return _download(
        request,
        org,
        content,
        f"{issued.filename}.{fmt}",
        action="funds.receipt.issue",
        obj=member,
        number=issued.number,
        total=str(issued.total),
    )


@login_required
@org_view("funds.write", "funds")
def receipt_pick(request, org):
    """The 报表 page's receipt form (member, period, format) → the receipt's own address."""
    member = Member.objects.filter(org=org, pk=request.GET.get("member") or 0).first()
    period = request.GET.get("period", "")
    fmt = request.GET.get("fmt", "pdf")
    if member is None or fmt not in ("pdf", "docx") or not period:
        raise Http404("请选择会员和期间。")
    _period_or_404(period)
    if not DuesPayment.objects.filter(member=member).exists():
        raise Http404(f"{member.name}没有缴费记录。")
    return redirect(f"funds:receipt_{fmt}", org.pk, member.pk, period)


urlpatterns = [
    path("o/<int:org_id>/funds/reports/", reports_page, name="reports"),
    path("o/<int:org_id>/funds/reports/<int:year>/annual-report.docx", annual_report, name="report_annual"),
    path("o/<int:org_id>/funds/reports/<int:year>/ledger.xlsx", ledger_workbook, name="report_ledger"),
    path(
        "o/<int:org_id>/funds/reports/<int:year>/remittance.xlsx",
        remittance_workbook,
        name="report_remittance_xlsx",
    ),
    path(
        "o/<int:org_id>/funds/reports/<int:year>/remittance.docx",
        remittance_paper,
        name="report_remittance_docx",
    ),
    path("o/<int:org_id>/funds/reports/<int:year>/expense-chart.png", expense_chart, name="report_chart"),
    path("o/<int:org_id>/funds/reports/dues/<str:month>.xlsx", dues_roll_workbook, name="report_dues_roll"),
    path("o/<int:org_id>/funds/receipts/", receipt_pick, name="receipt_pick"),
    path(
        "o/<int:org_id>/funds/receipts/<int:member_id>/<str:period>.docx",
        receipt,
        {"fmt": "docx"},
        name="receipt_docx",
    ),
    path(
        "o/<int:org_id>/funds/receipts/<int:member_id>/<str:period>.pdf",
        receipt,
        {"fmt": "pdf"},
        name="receipt_pdf",
    ),
]
