"""互助保障 pages: the plans, a new plan, one plan (its enrolled members with the premium total,
enrolling all active members or chosen ones, withdrawing, its claims, a new claim), deciding a
claim (paid / refused), the premium list (.xlsx); every member's own enrolment and claims.

The chair, the welfare member and the finance member run it (mutual_aid.manage). Views parse,
call one service or selector, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.members.models import Member
from jiaogong.mutual_aid import exporting, selectors, services
from jiaogong.mutual_aid.forms import ClaimForm, PayForm, PlanForm, RefuseForm
from jiaogong.mutual_aid.models import Enrolment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _id(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdigit() else None


@login_required
@org_view("mutual_aid.manage", "welfare")
def home(request, org):
    return render(
        request,
        "mutual_aid/home.html",
        {"org": org, "page_title": "互助保障", "plans": selectors.plans_of(org)},
    )


@login_required
@org_view("mutual_aid.manage", "welfare")
def create(request, org):
    today = timezone.localdate()
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial={"name": "职工住院医疗互助保障", "year": today.year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已创建“{plan}”。")
            return redirect("mutual_aid:plan", org.pk, plan.pk)
    return render(
        request,
        "mutual_aid/create.html",
        {"org": org, "page_title": "新建互助保障项目", "form": form},
        status=422 if form.errors else 200,
    )


def _plan_page(request, org, plan, claim_form, status=200):
    return render(
        request,
        "mutual_aid/plan.html",
        {
            "org": org,
            "page_title": str(plan),
            "plan": plan,
            "premium": selectors.premium_total(plan),
            "rows": selectors.enrolments(plan),
            "waiting": selectors.not_enrolled(plan),
            "claims": selectors.claims(plan),
            "claim_totals": selectors.claim_totals(plan),
            "claim_form": claim_form,
        },
        status=status,
    )


@login_required
@org_view("mutual_aid.manage", "welfare")
def plan_detail(request, org, plan_id):
    plan = selectors.plan_or_404(org, plan_id)
    enrolled = selectors.enrolments(plan)
    form = ClaimForm(request.POST if request.method == "POST" else None, enrolments=enrolled)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.submit_claim(
                actor=request.user,
                plan=plan,
                member=_id(data["member"]),
                event_on=data["event_on"],
                kind=data["kind"],
                amount_claimed=data["amount_claimed"],
                note=data["note"],
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已登记 {claim.member.name} 的理赔申请 {claim.amount_claimed} 元。")
            return redirect(reverse("mutual_aid:plan", args=[org.pk, plan.pk]) + f"#claim-{claim.pk}")
    return _plan_page(request, org, plan, form, status=422 if form.errors else 200)


@login_required
@org_view("mutual_aid.manage", "welfare")
@require_POST
def enrol(request, org, plan_id):
    plan = selectors.plan_or_404(org, plan_id)
    everyone = request.POST.get("all") == "1"
    chosen = [_id(v) for v in request.POST.getlist("member")]
    try:
        made = services.enrol(
            actor=request.user, plan=plan, members=None if everyone else [c for c in chosen if c is not None]
        )
    except DomainError as e:
        messages.error(request, f"未参保：{'；'.join(e.fields.values()) or e.message}")
    else:
        messages.success(request, f"已参保 {len(made)} 人，每人 {plan.premium} 元。")
    return redirect("mutual_aid:plan", org.pk, plan.pk)


@login_required
@org_view("mutual_aid.manage", "welfare")
@require_POST
def withdraw(request, org, plan_id, enrolment_id):
    plan = selectors.plan_or_404(org, plan_id)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("member"), org=org, plan=plan, pk=enrolment_id
    )
    try:
        services.withdraw(actor=request.user, enrolment=enrolment)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已将 {enrolment.member.name} 移出参保名单。")
    return redirect("mutual_aid:plan", org.pk, plan.pk)


@login_required
@org_view("mutual_aid.manage", "welfare")
def claim_detail(request, org, plan_id, claim_id):
    plan = selectors.plan_or_404(org, plan_id)
    claim = selectors.claim_or_404(plan, claim_id)
    action = request.POST.get("action") if request.method == "POST" else None
    pay = PayForm(
        request.POST if action == "pay" else None,
        initial={"paid_on": timezone.localdate(), "amount_paid": claim.amount_claimed},
    )
    refuse = RefuseForm(request.POST if action == "refuse" else None)
    form = pay if action == "pay" else refuse if action == "refuse" else None
    if form is not None and form.is_valid():
        try:
            if action == "pay":
                services.pay_claim(actor=request.user, claim=claim, **form.cleaned_data)
            else:
                services.refuse_claim(actor=request.user, claim=claim, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(
                request, f"{claim.member.name}的理赔已登记为“{'已赔付' if action == 'pay' else '不予赔付'}”。"
            )
            return redirect(reverse("mutual_aid:plan", args=[org.pk, plan.pk]) + f"#claim-{claim.pk}")
    return render(
        request,
        "mutual_aid/claim.html",
        {
            "org": org,
            "page_title": f"理赔 · {claim.member.name}",
            "plan": plan,
            "claim": claim,
            "pay": pay,
            "refuse": refuse,
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@org_view("mutual_aid.manage", "welfare")
def export(request, org, plan_id):
    plan = selectors.plan_or_404(org, plan_id)
    response = HttpResponse(exporting.premium_workbook(plan, viewer=request.user), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{plan}保费清单.xlsx")
    return response


@login_required
@org_view("org.view", "welfare")
def mine(request, org):
    member = getattr(request.user, "member", None)
    own = isinstance(member, Member) and member.org_id == org.pk
    enrolments, claims = selectors.of_member(member if own else None)
    return render(
        request,
        "mutual_aid/mine.html",
        {
            "org": org,
            "page_title": "我的互助保障",
            "member": member if own else None,
            "enrolments": enrolments,
            "claims": claims,
            "can_manage": can(request.user, org, "mutual_aid.manage"),
        },
    )


urlpatterns = [
    path("o/<int:org_id>/welfare/mutual-aid/", home, name="home"),
    path("o/<int:org_id>/welfare/mutual-aid/new/", create, name="create"),
    path("o/<int:org_id>/welfare/mutual-aid/mine/", mine, name="mine"),
    path("o/<int:org_id>/welfare/mutual-aid/<int:plan_id>/", plan_detail, name="plan"),
    path("o/<int:org_id>/welfare/mutual-aid/<int:plan_id>/enrol/", enrol, name="enrol"),
    path(
        "o/<int:org_id>/welfare/mutual-aid/<int:plan_id>/enrolments/<int:enrolment_id>/withdraw/",
        withdraw,
        name="withdraw",
    ),
    path(
        "o/<int:org_id>/welfare/mutual-aid/<int:plan_id>/claims/<int:claim_id>/", claim_detail, name="claim"
    ),
    path("o/<int:org_id>/welfare/mutual-aid/<int:plan_id>/premiums.xlsx", export, name="export"),
]
