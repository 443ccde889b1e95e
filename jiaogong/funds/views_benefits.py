"""慰问发放: record a 慰问 for one member or a festival's goods for many, checked against the caps
in force; a refusal names the rule and what may still be given; the chair may go over a cap
with a recorded reason."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from jiaogong.congress.forms import date_field
from jiaogong.core.errors import DomainError
from jiaogong.core.forms import confirm_warnings_field
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.funds import benefits
from jiaogong.funds import caps as caps_rules
from jiaogong.funds.models import Benefit, LedgerEntry
from jiaogong.members.models import Member, UnionGroup

KIND_CHOICES = [(k, caps_rules.KIND_LABELS[k]) for k in caps_rules.KIND_LABELS if k != "festival"]
FORM_CHOICES = [(f, caps_rules.FORM_LABELS[f]) for f in ("goods", "cash", "souvenir", "cake_voucher")]
FESTIVAL_CHOICES = [(f, f) for f in benefits.FESTIVALS]


def _members(org):
    return Member.objects.filter(org=org, status__in=[Member.Status.ACTIVE, Member.Status.RETIRED]).order_by(
        "name_pinyin", "pk"
    )


class GiveForm(forms.Form):
    member = forms.ModelChoiceField(label="会员", queryset=Member.objects.none())
    kind = forms.ChoiceField(label="慰问类别", choices=[("festival", "节日慰问"), *KIND_CHOICES])
    festival = forms.ChoiceField(
        label="节日（节日慰问）", required=False, choices=[("", "—"), *FESTIVAL_CHOICES]
    )
    form = forms.ChoiceField(label="形式", choices=FORM_CHOICES)
    amount = forms.CharField(
        label="金额（元）", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    date = date_field("发放日期")
    account = forms.ChoiceField(label="付款账户", choices=LedgerEntry.Account.choices)
    memo = forms.CharField(
        label="说明", max_length=200, required=False, help_text="不写病情等个人隐私，写明慰问人和慰问品即可。"
    )
    override_reason = forms.CharField(
        label="超标准理由（仅工会主席）",
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_warnings = confirm_warnings_field()

    def __init__(self, *args, org, chair: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _members(org)
        self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.get_status_display()}）"
        if not chair:
            del self.fields["override_reason"]


class FestivalForm(forms.Form):
    festival = forms.ChoiceField(label="节日", choices=FESTIVAL_CHOICES)
    group = forms.ModelChoiceField(
        label="发放范围", queryset=UnionGroup.objects.none(), required=False, empty_label="全体在册会员"
    )
    form = forms.ChoiceField(label="形式", choices=FORM_CHOICES)
    amount = forms.CharField(
        label="每人金额（元）", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    date = date_field("发放日期")
    account = forms.ChoiceField(label="付款账户", choices=LedgerEntry.Account.choices)
    memo = forms.CharField(label="慰问品/供应商", max_length=100, required=False)
    confirm_warnings = confirm_warnings_field()

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = UnionGroup.objects.filter(org=org).order_by("name")


@login_required
@org_view("funds.benefits.view", "funds")
def benefits_page(request, org):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    can_write = can(request.user, org, "funds.benefits.write")
    chair = can(request.user, org, "funds.benefits.override")
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    give_form = GiveForm(
        data if action == "give" else None, org=org, chair=chair, prefix="give", initial={"date": today}
    )
    festival_form = FestivalForm(
        data if action == "festival" else None, org=org, prefix="fest", initial={"date": today}
    )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied("只有工会主席、生活委员和财务委员可以登记慰问。")
        form = give_form if action == "give" else festival_form
        if form.is_valid():
            try:
                done = _give(request, org, action, form.cleaned_data)
            except DomainError as e:
                add_domain_errors(form, e)
                if e.extra.get("remaining") is not None:
                    form.add_error(None, f"本次最多还可发 {e.extra['remaining']} 元。")
            else:
                messages.success(request, done)
                return redirect(reverse("funds:benefits", args=[org.pk]) + f"?year={year}")
    rows = (
        Benefit.objects.filter(org=org, date__year=year)
        .select_related("member", "overridden_by", "entry")
        .order_by("-date", "-id")
    )
    by_kind = {
        r["kind"]: r
        for r in Benefit.objects.filter(org=org, date__year=year)
        .values("kind")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    }
    caps = benefits.caps_in_force(org)
    lookup = None
    if request.GET.get("member"):
        member = (
            _members(org).filter(pk=request.GET["member"]).first()
            if request.GET["member"].isdigit()
            else None
        )
        if member is not None:
            lookup = {"member": member, **benefits.allowance(org, member, year)}
    return render(
        request,
        "funds/benefits.html",
        {
            "org": org,
            "page_title": f"{year} 年慰问发放",
            "year": year,
            "rows": rows[:300],
            "count": rows.count(),
            "by_kind": [
                {"label": caps_rules.KIND_LABELS[k], "n": v["n"], "total": v["total"]}
                for k, v in by_kind.items()
            ],
            "caps": caps,
            "cap_rows": [
                ("节日慰问（全年合计）", caps.festival_total),
                *[(caps_rules.KIND_LABELS[k], caps.cap_for(k)) for k, _ in KIND_CHOICES],
            ],
            "forms_table": [
                (caps_rules.KIND_LABELS[k], "、".join(caps_rules.FORM_LABELS[f] for f in sorted(v)))
                for k, v in caps.allowed_forms.items()
            ],
            "give_form": give_form,
            "festival_form": festival_form,
            "open_form": action,
            "can_write": can_write,
            "members": _members(org).only("pk", "name"),
            "lookup": lookup,
        },
    )


def _give(request, org, action: str, data: dict) -> str:
    if action == "give":
        b = benefits.give(
            actor=request.user,
            org=org,
            member=data["member"],
            kind=data["kind"],
            festival=data.get("festival", ""),
            form=data["form"],
            amount=data["amount"],
            date=data["date"],
            memo=data.get("memo", ""),
            override_reason=data.get("override_reason", ""),
            account=data["account"],
            confirm_warnings=data.get("confirm_warnings", False),
        )
        over = f"（超标准发放，理由：{b.override_reason}）" if b.overridden_by_id else ""
        return f"已登记{b.member.name}的{caps_rules.KIND_LABELS[b.kind]} {b.amount} 元，第 {b.entry_id} 号凭证{over}。"
    members = _members(org).filter(status=Member.Status.ACTIVE)
    if data.get("group"):
        members = members.filter(union_group=data["group"])
    entry, given = benefits.give_festival(
        actor=request.user,
        org=org,
        members=list(members),
        festival=data["festival"],
        form=data["form"],
        amount=data["amount"],
        date=data["date"],
        memo=data.get("memo", ""),
        account=data["account"],
        confirm_warnings=data.get("confirm_warnings", False),
    )
    return f"已登记{data['festival']}节日慰问 {len(given)} 人，共 {entry.amount} 元（第 {entry.pk} 号凭证）。"


urlpatterns = [path("o/<int:org_id>/funds/benefits/", benefits_page, name="benefits")]
