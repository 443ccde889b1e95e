"""Receipt scans on vouchers, the budget against actuals, and the monthly statement."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import org_view
from jiaogong.funds import books, services
from jiaogong.funds.models import Attachment, LedgerEntry


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


# ---- receipt scans --------------------------------------------------------------------------------


@login_required
@org_view("funds.write", "funds")
@require_POST
def attachment_add(request, org, entry_id):
    entry = get_object_or_404(LedgerEntry, org=org, pk=entry_id)
    try:
        attachment = books.add_attachment(actor=request.user, entry=entry, upload=request.FILES.get("file"))
    except DomainError as e:
        messages.error(request, "未上传：" + ("；".join(e.fields.values()) if e.fields else e.message))
    else:
        messages.success(request, f"已将“{attachment.name}”附在第 {entry.pk} 号凭证后。")
    return redirect(reverse("funds:ledger", args=[org.pk]) + f"?year={entry.date.year}#entry-{entry.pk}")


@login_required
@org_view("funds.view", "funds")
def attachment(request, org, attachment_id):
    """The scan itself, only through this view (media files are not served publicly)."""
    item = get_object_or_404(Attachment.objects.select_related("entry"), entry__org=org, pk=attachment_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不见了，请联系管理员。") from None
    response = FileResponse(handle, content_type=item.content_type, filename=item.name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- budget -------------------------------------------------------------------------------------------


@login_required
@org_view("funds.view", "funds")
def budget(request, org):
    year = _year(request)
    can_edit = can(request.user, org, "funds.write")
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有财务委员可以编制预算。")
        amounts = {}
        for kind, category in books.budget_categories():
            key = f"{kind}:{category}"
            values[key] = request.POST.get(key, "")
            amounts[(kind, category)] = values[key]
        try:
            books.set_budgets(actor=request.user, org=org, year=year, amounts=amounts)
        except DomainError as e:
            errors = e.fields
            messages.error(request, e.message)
        else:
            messages.success(request, f"{year} 年预算已保存。")
            return redirect(reverse("funds:budget", args=[org.pk]) + f"?year={year}")
    report = books.budget_vs_actual(org, year)
    for kind in ("income", "expense"):
        for row in report[kind]:
            key = f"{kind}:{row['category']}"
            row["key"] = key
            row["value"] = values.get(key, "" if row["budget"] is None else row["budget"])
            row["error"] = errors.get(key, "")
            row["bar"] = min(int(row["used"] or 0), 100)
    return render(
        request,
        "funds/budget.html",
        {
            "org": org,
            "page_title": f"{year} 年预算执行",
            "year": year,
            "years": [year - 1, year + 1],
            "report": report,
            "can_edit": can_edit,
        },
    )


# ---- the monthly statement ----------------------------------------------------------------------------


@login_required
@org_view("funds.view", "funds")
def statement(request, org):
    year = _year(request)
    report = books.monthly_statement(org, year)
    today = timezone.localdate()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    return render(
        request,
        "funds/statement.html",
        {
            "org": org,
            "page_title": f"{year} 年收支月报",
            "year": year,
            "years": [year - 1, year + 1] if year < today.year else [year - 1],
            "report": report,
            "months": report["months"][: max(last, 1)],
            "income_rows": [(c, v[: max(last, 1)], sum(v)) for c, v in report["income"].items()],
            "expense_rows": [(c, v[: max(last, 1)], sum(v)) for c, v in report["expense"].items()],
            "balances": books.account_balances(org),
            "summary": services.summary(org, year),
            "first": datetime.date(year, 1, 1),
        },
    )


urlpatterns = [
    path("o/<int:org_id>/funds/ledger/<int:entry_id>/attachments/", attachment_add, name="attachment_add"),
    path("o/<int:org_id>/funds/attachments/<int:attachment_id>/", attachment, name="attachment"),
    path("o/<int:org_id>/funds/budget/", budget, name="budget"),
    path("o/<int:org_id>/funds/statement/", statement, name="statement"),
]
