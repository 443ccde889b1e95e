"""会费与经费 pages: the dues roll and its collection, the salary sheet import, the ledger with its
reversals, the 经审's remarks and sign-off, and each member's own dues.

The finance member writes; the chair, vice-chairs and the auditor read; the auditor remarks and
signs; every member sees their own months. Views parse, call one service and render.
"""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.congress.forms import date_field
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.funds import allocation, books, importing, services
from jiaogong.funds import privacy as funds_privacy
from jiaogong.funds.models import (
    EXPENSE_CATEGORIES,
    INCOME_CATEGORIES,
    DuesPayment,
    DuesReminder,
    LedgerEntry,
    YearSignOff,
)
from jiaogong.members.importing import ImportInvalid
from jiaogong.members.models import Member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request, org, capability: str, message: str) -> None:
    if not can(request.user, org, capability):
        raise PermissionDenied(message)


def _month_or_404(text: str) -> datetime.date:
    try:
        return services.parse_month(text)
    except DomainError:
        raise Http404("没有这个月份。") from None


class EntryForm(forms.Form):
    date = date_field("日期")
    kind = forms.ChoiceField(label="收支", choices=LedgerEntry.Kind.choices)
    category = forms.ChoiceField(
        label="科目",
        required=False,
        choices=[
            ("", "—"),
            ("收入", [(c, c) for c in INCOME_CATEGORIES]),
            ("支出", [(c, c) for c in EXPENSE_CATEGORIES]),
        ],
    )
    subcategory = forms.ChoiceField(
        label="明细科目",
        required=False,
        choices=[("", "—")] + [(s, f"{c} · {s}") for c, subs in EXPENSE_CATEGORIES.items() for s in subs],
    )
    amount = forms.CharField(
        label="金额（元）", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    payee = forms.CharField(label="收付款单位/人", max_length=100, required=False)
    memo = forms.CharField(label="摘要", max_length=200, required=False)
    account = forms.ChoiceField(label="账户", choices=LedgerEntry.Account.choices)
    counter_account = forms.ChoiceField(
        label="转入账户（内部转账）", required=False, choices=[("", "—"), *LedgerEntry.Account.choices]
    )
    from_dues = forms.BooleanField(label="会费列支（由会费开支的会员活动）", required=False)
    confirm_warnings = forms.BooleanField(label="已核实，仍要记账", required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == LedgerEntry.Kind.TRANSFER:
            data["category"] = ""
            self.errors.pop("category", None)
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label="工资表（.xlsx）", error_messages={"required": "请选择要导入的工资表文件。"})
    annual = forms.BooleanField(label="按年度核定：同一基数适用于本月至 12 月", required=False)


# ---- overview and my dues ---------------------------------------------------------------------------


@login_required
@org_view("org.view", "funds")
def home(request, org):
    if org.is_federation and can(request.user, org, "funds.federation"):
        return redirect("funds:federation", org.pk)
    if not can(request.user, org, "funds.view"):
        return redirect("funds:my_dues", org.pk)
    year = timezone.localdate().year
    summary = services.summary(org, year)
    return render(
        request,
        "funds/home.html",
        {
            "org": org,
            "page_title": "会费经费",
            "year": year,
            "summary": summary,
            "income_total": sum(summary["income"].values()),
            "expense_total": sum(summary["expense"].values()),
            "arrears": services.arrears(org),
            "month": timezone.localdate().replace(day=1),
            "signed": YearSignOff.objects.filter(org=org).order_by("-year")[:3],
            "balances": books.account_balances(org),
            "over_budget": [r for r in books.budget_vs_actual(org, year)["expense"] if r["over"]],
            "topup": services.topup_warnings(org, year),
            "allocation_overdue": [r for r in allocation.year_status(org, year)["rows"] if r["overdue"]]
            + [r for r in allocation.year_status(org, year - 1)["rows"] if r["overdue"]],
            "can_benefits": can(request.user, org, "funds.benefits.view"),
        },
    )


@login_required
@org_view("org.view", "funds")
def my_dues(request, org):
    member = getattr(request.user, "member", None)
    mine = member is not None and member.org_id == org.pk
    rows = services.dues_of_member(member) if mine else None
    return render(
        request,
        "funds/my_dues.html",
        {
            "org": org,
            "page_title": "我的会费",
            "member": member,
            "rows": rows,
            "params": services.dues_parameters(org),
            "rate_text": f"{(services.dues_parameters(org)['rate'] * 100).normalize():f}%",
            # The latest year with a payment (its receipt lists every paid month of that year).
            "year_text": next((str(r["month"].year) for r in rows or [] if r["payment"]), ""),
            "owed": next((a for a in services.arrears(org) if a["member"].pk == member.pk), None)
            if mine
            else None,
            "reminder": member.dues_reminders.first() if mine else None,
        },
    )


# ---- the dues roll ---------------------------------------------------------------------------------


@login_required
@org_view("funds.view", "funds")
def dues(request, org, month):
    month_day = _month_or_404(month)
    upload = UploadForm()
    report = None
    if request.method == "POST":
        _require(request, org, "funds.write", "只有财务委员可以收缴会费和导入工资表。")
        action = request.POST.get("action")
        try:
            if action == "import":
                upload = UploadForm(request.POST, request.FILES)
                if upload.is_valid():
                    try:
                        result = importing.import_salary_sheet(
                            actor=request.user,
                            org=org,
                            month=month_day,
                            upload=upload.cleaned_data["file"],
                            through=month_day.replace(month=12) if upload.cleaned_data["annual"] else None,
                        )
                    except ImportInvalid as e:
                        report = {"message": e.message, "rows": e.rows}
                    else:
                        messages.success(
                            request,
                            f"已导入 {result['members']} 人的工资基数"
                            + (f"（{result['months']} 个月，至 12 月）" if result["months"] > 1 else "")
                            + f"，每月应缴会费合计 {result['total']} 元。",
                        )
                        return redirect("funds:dues", org.pk, month)
            elif action == "payroll":
                entry = services.collect_payroll(
                    actor=request.user, org=org, month=month_day, paid_on=timezone.localdate()
                )
                messages.success(request, f"已按工资代扣入账 {entry.amount} 元（{entry.memo}）。")
                return redirect("funds:dues", org.pk, month)
            elif action == "individual":
                member = get_object_or_404(Member, org=org, pk=request.POST.get("member") or 0)
                paid_month = services.parse_month(request.POST.get("month", month))
                payment = services.collect_individual(
                    actor=request.user, org=org, member=member, month=paid_month, paid_on=timezone.localdate()
                )
                messages.success(
                    request,
                    f"已收 {member.name} {paid_month.year}年{paid_month.month}月会费 {payment.amount} 元。",
                )
                return redirect("funds:dues", org.pk, month)
            elif action == "remind":
                member = get_object_or_404(Member, org=org, pk=request.POST.get("member") or 0)
                reminder = services.remind(
                    actor=request.user, org=org, member=member, method=request.POST.get("method", "")
                )
                messages.success(
                    request,
                    f"已记录{reminder.get_method_display()}催缴 {member.name} 欠缴会费 {reminder.amount} 元。",
                )
                return redirect(reverse("funds:dues", args=[org.pk, month]) + "#arrears")
        except DomainError as e:
            messages.error(request, "；".join(e.fields.values()) if e.fields else e.message)
    roll = services.dues_roll(org, month_day)
    paid = {p.member_id: p for p in DuesPayment.objects.filter(org=org, month=month_day)}
    for item in roll["items"]:
        item["payment"] = paid.get(item["member"])
    collected = sum((p.amount for p in paid.values()), Decimal("0.00"))
    previous = (month_day - datetime.timedelta(days=1)).replace(day=1)
    following = (month_day + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "funds/dues.html",
        {
            "org": org,
            "page_title": f"{month_day.year}年{month_day.month}月会费",
            "month": month_day,
            "month_text": month,
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "roll": roll,
            "collected": collected,
            "outstanding": roll["total"] - collected,
            "arrears": _with_reminders(org, services.arrears(org)),
            "reminder_methods": DuesReminder.Method.choices,
            "can_write": can(request.user, org, "funds.write"),
            "upload": upload,
            "report": report,
            "counted": services.dues_parameters(org)["counted"],
        },
        status=200 if report is None else 422,
    )


def _with_reminders(org, owed: list[dict]) -> list[dict]:
    latest = services.last_reminders(org)
    for item in owed:
        item["reminder"] = latest.get(item["member"].pk)
    return owed


@login_required
@org_view("funds.write", "funds")
def dues_template(request, org):
    response = HttpResponse(importing.template_workbook(org), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "工资基数导入模板.xlsx")
    return response


# ---- the ledger -------------------------------------------------------------------------------------


@login_required
@org_view("funds.view", "funds")
def ledger(request, org):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    account = request.GET.get("account") or None
    if account not in (None, *LedgerEntry.Account.values):
        account = None
    can_write = can(request.user, org, "funds.write")
    form = EntryForm(
        request.POST if request.method == "POST" else None, initial={"date": today, "kind": "expense"}
    )
    warnings = None
    if request.method == "POST":
        _require(request, org, "funds.write", "只有财务委员可以记账。")
        if form.is_valid():
            try:
                entry = services.record_entry(actor=request.user, org=org, **form.cleaned_data)
            except DomainError as e:
                warnings = e.fields.get("warnings")
                if warnings:
                    form.add_error(None, e.message)
                else:
                    add_domain_errors(form, e)
            else:
                messages.success(
                    request,
                    f"已记账：第 {entry.pk} 号凭证，{entry.get_kind_display()} {entry.category} {entry.amount} 元。",
                )
                if entry.warnings:
                    messages.warning(request, "已确认的提示：" + "；".join(entry.warnings))
                return redirect(
                    reverse("funds:ledger", args=[org.pk]) + f"?year={entry.date.year}#entry-{entry.pk}"
                )
    lines = books.ledger_lines(org, year, account)
    guards = funds_privacy.guards(lines["entries"])
    for e in lines["entries"]:
        e.shown = funds_privacy.shown(request.user, org, e, guards[e.pk])
    return render(
        request,
        "funds/ledger.html",
        {
            "org": org,
            "page_title": f"{year} 年账簿",
            "year": year,
            "years": [year - 1, year + 1] if year < today.year else [year - 1],
            "account": account,
            "accounts": LedgerEntry.Account.choices,
            "balances": books.account_balances(org),
            "opening": lines["opening"],
            "closing": lines["closing"],
            "entries": lines["entries"],
            "form": form,
            "warnings": warnings,
            "can_write": can_write and not services.year_signed(org, year),
            "can_attach": can_write,
            "can_audit": can(request.user, org, "funds.audit"),
            "signed": YearSignOff.objects.filter(org=org, year=year).select_related("signed_by").first(),
            "year_over": year < today.year,
        },
    )


@login_required
@org_view("funds.write", "funds")
@require_POST
def entry_reverse(request, org, entry_id):
    entry = get_object_or_404(LedgerEntry, org=org, pk=entry_id)
    try:
        reversal = services.reverse_entry(
            actor=request.user, entry=entry, reason=request.POST.get("reason", "")
        )
    except DomainError as e:
        messages.error(request, f"未冲销：{e.fields.get('reason') or e.message}")
        return redirect(reverse("funds:ledger", args=[org.pk]) + f"?year={entry.date.year}")
    messages.success(request, f"已冲销第 {entry.pk} 号凭证（{reversal.amount} 元）。")
    return redirect(reverse("funds:ledger", args=[org.pk]) + f"?year={reversal.date.year}")


@login_required
@org_view("funds.audit", "funds")
@require_POST
def entry_comment(request, org, entry_id):
    entry = get_object_or_404(LedgerEntry, org=org, pk=entry_id)
    try:
        services.comment_entry(actor=request.user, entry=entry, text=request.POST.get("text", ""))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已对第 {entry.pk} 号凭证提出意见。")
    return redirect(reverse("funds:ledger", args=[org.pk]) + f"?year={entry.date.year}#entry-{entry.pk}")


@login_required
@org_view("funds.audit", "funds")
@require_POST
def sign_off(request, org):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "请选择年度。")
        return redirect("funds:ledger", org.pk)
    try:
        services.sign_off_year(
            actor=request.user, org=org, year=year, opinion=request.POST.get("opinion", "")
        )
    except DomainError as e:
        messages.error(request, "；".join(e.fields.values()) if e.fields else e.message)
    else:
        messages.success(request, f"{year} 年度账目已签字，该年度不再记账。")
    return redirect(reverse("funds:ledger", args=[org.pk]) + f"?year={year}")


app_name = "funds"
urlpatterns = [
    path("o/<int:org_id>/funds/", home, name="home"),
    path("o/<int:org_id>/funds/my-dues/", my_dues, name="my_dues"),
    path("o/<int:org_id>/funds/dues/<str:month>/", dues, name="dues"),
    path("o/<int:org_id>/funds/dues-template.xlsx", dues_template, name="dues_template"),
    path("o/<int:org_id>/funds/ledger/", ledger, name="ledger"),
    path("o/<int:org_id>/funds/ledger/<int:entry_id>/reverse/", entry_reverse, name="entry_reverse"),
    path("o/<int:org_id>/funds/ledger/<int:entry_id>/comment/", entry_comment, name="entry_comment"),
    path("o/<int:org_id>/funds/sign-off/", sign_off, name="sign_off"),
]
