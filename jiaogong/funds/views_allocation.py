"""拨缴经费 and 上解: the school's months, and the federation's view of its schools."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from jiaogong.congress.forms import date_field
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.funds import allocation, services
from jiaogong.funds.models import AllocationMonth


def _month_choices(year: int) -> list[tuple[str, str]]:
    today = timezone.localdate()
    last = 12 if year < today.year else today.month
    return [(f"{year}-{m:02d}", f"{year} 年 {m} 月") for m in range(last, 0, -1)]


class DeclareForm(forms.Form):
    month = forms.ChoiceField(label="工资月份")
    payroll_total = forms.CharField(
        label="全部职工工资总额（元）", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices(year)


class MoneyForm(forms.Form):
    allocation = forms.ModelChoiceField(label="工资月份", queryset=AllocationMonth.objects.none())
    amount = forms.CharField(
        label="金额（元）", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    date = date_field("日期")

    def __init__(self, *args, org, year: int, date_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = AllocationMonth.objects.filter(
            org=org, month__year=year
        ).order_by("-month")
        self.fields["allocation"].label_from_instance = lambda a: (
            f"{a.month:%Y 年 %-m 月}（应拨缴 {a.due} 元）"
        )
        self.fields["date"].label = date_label


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year else today.year


@login_required
@org_view("funds.view", "funds")
def allocation_page(request, org):
    if org.is_federation:
        return redirect("funds:federation", org.pk)
    year = _year(request)
    today = timezone.localdate()
    can_write = can(request.user, org, "funds.write")
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    declare = DeclareForm(data if action == "declare" else None, year=year, prefix="declare")
    receive = MoneyForm(
        data if action == "receive" else None,
        org=org,
        year=year,
        date_label="到账日期",
        prefix="receive",
        initial={"date": today},
    )
    remit = MoneyForm(
        data if action == "remit" else None,
        org=org,
        year=year,
        date_label="上解日期",
        prefix="remit",
        initial={"date": today},
    )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied("只有财务委员可以登记拨缴经费和上解。")
        form = {"declare": declare, "receive": receive, "remit": remit}.get(action)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                done = _act(request, org, action, form.cleaned_data)
            except DomainError as e:
                add_domain_errors(form, e)
                if action == "declare" and "month" in e.fields:
                    form.add_error(None, e.fields["month"])
            else:
                messages.success(request, done)
                return redirect(reverse("funds:allocation", args=[org.pk]) + f"?year={year}")
    status = allocation.year_status(org, year)
    month = today.replace(day=1)
    last_month = (month - datetime.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "funds/allocation.html",
        {
            "org": org,
            "page_title": f"{year} 年拨缴经费与上解",
            "year": year,
            "years": [y for y in (year - 1, year + 1) if y <= today.year],
            "status": status,
            "params": allocation.parameters(org),
            "declare": declare,
            "receive": receive,
            "remit": remit,
            "open_form": action,
            "can_write": can_write,
            "suggested": allocation.payroll_from_sheet(org, last_month),
            "last_month": last_month,
            "federation": org.parent,
        },
    )


def _act(request, org, action: str, data: dict) -> str:
    if action == "declare":
        month = services.parse_month(data["month"])
        a = allocation.declare_payroll(
            actor=request.user, org=org, month=month, payroll_total=data["payroll_total"]
        )
        return f"{a.month:%Y 年 %-m 月}工资总额 {a.payroll_total} 元，应拨缴 {a.due} 元，{a.due_on:%-m 月 %-d 日}前到账。"
    a = data["allocation"]
    if action == "receive":
        p = allocation.receive(actor=request.user, allocation=a, amount=data["amount"], paid_on=data["date"])
        fee = f"，滞纳金 {p.late_fee} 元" if p.late_fee else ""
        return f"已登记 {a.month:%Y 年 %-m 月}拨缴经费到账 {p.amount} 元{fee}（第 {p.entry_id} 号凭证）。"
    r = allocation.remit(actor=request.user, allocation=a, amount=data["amount"], remitted_on=data["date"])
    return f"已登记上解 {a.month:%Y 年 %-m 月}经费 {r.amount} 元（第 {r.entry_id} 号凭证）。"


@login_required
@org_view("funds.federation", "funds")
def federation(request, org):
    """The federation's schools: 拨缴经费 due and received, 上解 owed and remitted, arrears."""
    if not org.is_federation:
        raise Http404("这不是上级工会。")
    year = _year(request)
    rows = allocation.federation_overview(org, year)
    totals = {
        k: sum((r[k] for r in rows), 0)
        for k in ("due", "paid", "arrears", "remit_due", "remitted", "remit_arrears")
    }
    return render(
        request,
        "funds/federation.html",
        {
            "org": org,
            "page_title": f"{year} 年基层工会经费上解",
            "year": year,
            "years": [y for y in (year - 1, year + 1) if y <= timezone.localdate().year],
            "rows": rows,
            "totals": totals,
            "behind": [r for r in rows if r["remit_arrears"] > 0 or r["arrears"] > 0 or not r["declared"]],
        },
    )


@login_required
@org_view("funds.federation", "funds")
def federation_school(request, org, school_id):
    """One school's months, read by the federation."""
    school = get_object_or_404(org.children, pk=school_id)
    year = _year(request)
    return render(
        request,
        "funds/federation_school.html",
        {
            "org": org,
            "school": school,
            "page_title": f"{school.name} {year} 年拨缴与上解",
            "year": year,
            "status": allocation.year_status(school, year),
        },
    )


urlpatterns = [
    path("o/<int:org_id>/funds/allocation/", allocation_page, name="allocation"),
    path("o/<int:org_id>/funds/federation/", federation, name="federation"),
    path("o/<int:org_id>/funds/federation/<int:school_id>/", federation_school, name="federation_school"),
]
