"""疗休养 pages: a member's own page (this year's plan, whether they may apply and why, their
application and place in the queue, their history); for the chair and the welfare member the
plans, the fair queue with approval (one, or the top N), rejection, batches, and each member's
history. Views parse, call one service or selector and render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiaogong.congress.forms import date_field
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.members.models import Member
from jiaogong.recuperation import selectors, services
from jiaogong.recuperation.forms import ApplyForm, BatchForm, PlanForm, RejectForm, TripForm


def _own_member(request, org) -> Member | None:
    member = getattr(request.user, "member", None)
    return member if isinstance(member, Member) and member.org_id == org.pk else None


def _home(request, org, *, form=None, error=None, status=200):
    today = timezone.localdate()
    member = _own_member(request, org)
    plan = selectors.plan_of_year(org, today.year)
    context = {
        "org": org,
        "page_title": "疗休养",
        "plan": plan,
        "member": member,
        "can_manage": can(request.user, org, "recuperation.manage"),
        "error": error,
        "form": form or ApplyForm(),
        "today": today,
    }
    if member is not None:
        ok, reasons = selectors.eligibility(member, today)
        application = selectors.application_of(plan, member) if plan else None
        context |= {
            "eligible": ok,
            "reasons": reasons,
            "application": application,
            "position": selectors.position_of(application, today) if application else None,
            "trip": getattr(application, "trip", None) if application else None,
            "trips": selectors.trips_of(member),
            "window_open": bool(plan and plan.is_open(today)),
        }
    if context["can_manage"]:
        context["plans"] = selectors.plans_of(org)
    return render(request, "recuperation/home.html", context, status=status)


@login_required
@org_view("recuperation.apply", "welfare")
def home(request, org):
    return _home(request, org)


@login_required
@org_view("recuperation.apply", "welfare")
@require_POST
def apply(request, org, plan_id):
    plan = selectors.plan_or_404(org, plan_id)
    member = _own_member(request, org)
    if member is None:
        raise Http404("您的账号没有关联本单位的会员档案。")
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return _home(request, org, form=form, status=422)
    try:
        services.apply(
            actor=request.user,
            plan=plan,
            member=member,
            today=timezone.localdate(),
            note=form.cleaned_data["note"],
        )
    except DomainError as e:
        if e.fields:
            add_domain_errors(form, e)
            return _home(request, org, form=form, status=422)
        return _home(request, org, error=e.message, status=422)
    messages.success(request, "已提交疗休养申请，工会将按公平排序规则审批。")
    return redirect("recuperation:home", org.pk)


@login_required
@org_view("recuperation.apply", "welfare")
@require_POST
def withdraw(request, org, plan_id):
    plan = selectors.plan_or_404(org, plan_id)
    member = _own_member(request, org)
    application = selectors.application_of(plan, member) if member else None
    if application is None:
        raise Http404("没有您的申请。")
    try:
        services.withdraw(actor=request.user, application=application)
    except DomainError as e:
        return _home(request, org, error=e.message, status=422)
    messages.success(request, "已撤回疗休养申请。")
    return redirect("recuperation:home", org.pk)


# ---- the chair and the welfare member ------------------------------------------------------------------


@login_required
@org_view("recuperation.manage", "welfare")
def create_plan(request, org):
    today = timezone.localdate()
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial={"year": today.year, "opens_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已建立“{plan.title}”，名额 {plan.quota} 人。")
            return redirect("recuperation:plan", org.pk, plan.pk)
    return render(
        request,
        "recuperation/plan_form.html",
        {"org": org, "page_title": "新建疗休养计划", "form": form},
        status=422 if form.errors else 200,
    )


def _plan_page(request, org, plan, *, error=None, batch_form=None, status=200):
    today = timezone.localdate()
    approved = selectors.approved_count(plan)
    batches = selectors.batches_with_places(plan)
    return render(
        request,
        "recuperation/plan.html",
        {
            "org": org,
            "page_title": plan.title,
            "plan": plan,
            "queue": selectors.queue(plan, today),
            "decided": selectors.decided(plan),
            "approved": approved,
            "left": plan.quota - approved,
            "batches": batches,
            "open_batches": [b for b in batches if b["left"] > 0],
            "batch_form": batch_form or BatchForm(),
            "error": error,
            "today": today,
        },
        status=status,
    )


@login_required
@org_view("recuperation.manage", "welfare")
def plan(request, org, plan_id):
    return _plan_page(request, org, selectors.plan_or_404(org, plan_id))


@login_required
@org_view("recuperation.manage", "welfare")
@require_POST
def add_batch(request, org, plan_id):
    plan = selectors.plan_or_404(org, plan_id)
    form = BatchForm(request.POST)
    if form.is_valid():
        try:
            batch = services.add_batch(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已添加批次“{batch.name}”。")
            return redirect("recuperation:plan", org.pk, plan.pk)
    return _plan_page(request, org, plan, batch_form=form, status=422)


def _batch_and_date(request, plan):
    """The batch (or None) and the departure date typed (or None) of an approval form."""
    batch_id = request.POST.get("batch", "").strip()
    batch = selectors.batch_or_404(plan, int(batch_id)) if batch_id.isdigit() else None
    field = date_field("出发日期", required=False)
    try:
        went_on = field.clean(request.POST.get("went_on", ""))
    except forms.ValidationError:
        went_on = None
    return batch, went_on


@login_required
@org_view("recuperation.manage", "welfare")
@require_POST
def approve(request, org, plan_id, application_id):
    plan = selectors.plan_or_404(org, plan_id)
    application = selectors.application_or_404(plan, application_id)
    batch, went_on = _batch_and_date(request, plan)
    try:
        services.approve(
            actor=request.user,
            plan=plan,
            applications=[application],
            today=timezone.localdate(),
            batch=batch,
            went_on=went_on,
        )
    except DomainError as e:
        return _plan_page(
            request, org, plan, error=f"未批准：{e.fields.get('went_on') or e.message}", status=422
        )
    messages.success(request, f"已批准{application.member.name}参加疗休养。")
    return redirect("recuperation:plan", org.pk, plan.pk)


@login_required
@org_view("recuperation.manage", "welfare")
@require_POST
def approve_top(request, org, plan_id):
    plan = selectors.plan_or_404(org, plan_id)
    batch, went_on = _batch_and_date(request, plan)
    try:
        trips = services.approve_top(
            actor=request.user,
            plan=plan,
            count=request.POST.get("count"),
            today=timezone.localdate(),
            batch=batch,
            went_on=went_on,
        )
    except DomainError as e:
        detail = e.fields.get("went_on") or e.fields.get("count") or e.message
        return _plan_page(request, org, plan, error=f"未批准：{detail}", status=422)
    names = "、".join(t.member.name for t in trips)
    messages.success(request, f"已按排序批准 {len(trips)} 人：{names}。")
    return redirect("recuperation:plan", org.pk, plan.pk)


@login_required
@org_view("recuperation.manage", "welfare")
@require_POST
def reject(request, org, plan_id, application_id):
    plan = selectors.plan_or_404(org, plan_id)
    application = selectors.application_or_404(plan, application_id)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("invalid", "未批准的原因最多 200 个字。")
        services.reject(actor=request.user, application=application, reason=form.cleaned_data["reason"])
    except DomainError as e:
        return _plan_page(
            request, org, plan, error=f"未处理：{e.fields.get('reason') or e.message}", status=422
        )
    messages.success(request, f"已将{application.member.name}的申请标为未批准。")
    return redirect("recuperation:plan", org.pk, plan.pk)


@login_required
@org_view("recuperation.manage", "welfare")
def history(request, org, member_id):
    member = selectors.member_or_404(org, member_id)
    today = timezone.localdate()
    form = TripForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_trip(actor=request.user, org=org, member=member, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已补登{member.name}的疗休养记录。")
            return redirect("recuperation:history", org.pk, member.pk)
    ok, reasons = selectors.eligibility(member, today)
    return render(
        request,
        "recuperation/history.html",
        {
            "org": org,
            "page_title": f"疗休养记录 · {member.name}",
            "member": member,
            "trips": selectors.trips_of(member),
            "applications": selectors.applications_of(member),
            "eligible": ok,
            "reasons": reasons,
            "form": form,
        },
        status=422 if form.errors else 200,
    )


app_name = "recuperation"
urlpatterns = [
    path("o/<int:org_id>/recuperation/", home, name="home"),
    path("o/<int:org_id>/recuperation/plans/new/", create_plan, name="create_plan"),
    path("o/<int:org_id>/recuperation/plans/<int:plan_id>/", plan, name="plan"),
    path("o/<int:org_id>/recuperation/plans/<int:plan_id>/apply/", apply, name="apply"),
    path("o/<int:org_id>/recuperation/plans/<int:plan_id>/withdraw/", withdraw, name="withdraw"),
    path("o/<int:org_id>/recuperation/plans/<int:plan_id>/batches/", add_batch, name="add_batch"),
    path("o/<int:org_id>/recuperation/plans/<int:plan_id>/approve-top/", approve_top, name="approve_top"),
    path(
        "o/<int:org_id>/recuperation/plans/<int:plan_id>/applications/<int:application_id>/approve/",
        approve,
        name="approve",
    ),
    path(
        "o/<int:org_id>/recuperation/plans/<int:plan_id>/applications/<int:application_id>/reject/",
        reject,
        name="reject",
    ),
    path("o/<int:org_id>/recuperation/members/<int:member_id>/", history, name="history"),
]
