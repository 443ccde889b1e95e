"""兴趣小组 pages: the clubs (join and leave on a phone), a new club, one club with its members,
the leader election, the year's plan and sessions, and its budget (approved / spent / left) with
the request, the approval and the spending; a new session; a budget request.

Every member sees the clubs and joins (activities.view); the committee creates them and opens
elections (activities.manage); the chair and vice-chairs confirm leaders and approve budgets
(clubs.approve); the finance member records spending (funds.write). Views parse, call one service
or selector and render; a refused POST re-renders with 422.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiaogong.clubs import forms, selectors, services
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view, perms, year_param
from jiaogong.members.selectors import own_member

SECTION = "activities"


@login_required
@org_view("activities.view", SECTION)
def home(request, org):
    member = own_member(request.user, org)
    mine = selectors.club_ids_of(member)
    clubs = list(selectors.clubs_of(org))
    for club in clubs:
        club.joined = club.pk in mine
    return render(
        request,
        "clubs/home.html",
        {
            "org": org,
            "page_title": "兴趣小组",
            "tab": "clubs",
            "clubs": clubs,
            "member": member,
            "pending": list(selectors.pending_budgets(org))
            if can(request.user, org, "clubs.approve")
            else [],
            **perms(request.user, org, "activities.manage", "clubs.approve"),
        },
    )


@login_required
@org_view("activities.manage", SECTION)
def create(request, org):
    form = forms.ClubForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            club = services.create_club(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已创建“{club.name}”。")
            return redirect("clubs:club", org.pk, club.pk)
    return render(
        request,
        "clubs/create.html",
        {"org": org, "page_title": "新建兴趣小组", "tab": "clubs", "form": form},
        status=422 if form.errors else 200,
    )


def _club_page(request, org, club, *, status=200, **bound):
    year = year_param(request)
    member = own_member(request.user, org)
    members = selectors.members_of(club)
    joined = member is not None and any(m.pk == member.pk for m in members)
    open_election = selectors.open_election(club)
    budget = selectors.budget_of(club, year)
    plan = selectors.plan_of(club, year)
    organiser = services.may_organise(request.user, club)
    approver = can(request.user, org, "clubs.approve")
    finance = can(request.user, org, "funds.write")
    context = {
        "org": org,
        "page_title": club.name,
        "tab": "clubs",
        "club": club,
        "year": year,
        "members": members,
        "member": member,
        "joined": joined,
        "is_leader": services.is_leader(request.user, club),
        "organiser": organiser,
        "approver": approver,
        "finance": finance,
        "election": selectors.election_view(open_election, member) if open_election else None,
        "last_election": selectors.last_election(club),
        "plan": plan,
        "sessions": selectors.sessions_of(club, year),
        "budget": budget,
        "figures": selectors.figures(budget),
        "spendings": selectors.spendings_of(budget),
        "plan_form": bound.get("plan_form")
        or (forms.PlanForm(initial={"year": year, "text": plan.text if plan else ""}) if organiser else None),
        "approve_form": bound.get("approve_form") or forms.ApproveForm(),
        "refuse_form": bound.get("refuse_form") or forms.RefuseForm(),
        "spending_form": bound.get("spending_form")
        or forms.SpendingForm(initial={"date": min(timezone.localdate(), datetime.date(year, 12, 31))}),
        **perms(request.user, org, "activities.manage"),
    }
    return render(request, "clubs/club.html", context, status=status)


@login_required
@org_view("activities.view", SECTION)
def club_detail(request, org, club_id):
    return _club_page(request, org, selectors.club_or_404(org, club_id))


def _act(request, org, club, call, success: str):
    """Run a one-click service; its refusal becomes a message on the club page."""
    try:
        call()
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, success)
    return redirect("clubs:club", org.pk, club.pk)


@login_required
@org_view("activities.view", SECTION)
@require_POST
def join(request, org, club_id):
    club = selectors.club_or_404(org, club_id)
    member = own_member(request.user, org)
    response = _act(
        request,
        org,
        club,
        lambda: services.join(actor=request.user, club=club, member=member),
        f"已加入“{club.name}”。",
    )
    if request.POST.get("next") == "home":
        return redirect("clubs:home", org.pk)
    return response


@login_required
@org_view("activities.view", SECTION)
@require_POST
def leave(request, org, club_id):
    club = selectors.club_or_404(org, club_id)
    member = own_member(request.user, org)
    return _act(
        request,
        org,
        club,
        lambda: services.leave(actor=request.user, club=club, member=member),
        f"已退出“{club.name}”。",
    )


@login_required
@org_view("activities.manage", SECTION)
@require_POST
def open_election(request, org, club_id):
    club = selectors.club_or_404(org, club_id)
    return _act(
        request,
        org,
        club,
        lambda: services.open_election(actor=request.user, club=club),
        "组长选举已开始：小组成员每人一票。",
    )


@login_required
@org_view("activities.view", SECTION)
@require_POST
def vote(request, org, election_id):
    election = selectors.election_or_404(org, election_id)
    member = own_member(request.user, org)
    return _act(
        request,
        org,
        election.club,
        lambda: services.cast_vote(
            actor=request.user, election=election, voter=member, candidate_id=request.POST.get("candidate")
        ),
        "已投票。",
    )


@login_required
@org_view("clubs.approve", SECTION)
@require_POST
def confirm_election(request, org, election_id):
    election = selectors.election_or_404(org, election_id)
    try:
        done = services.confirm_election(actor=request.user, election=election)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"选举结果已确认：{done.winner.name}任“{election.club.name}”组长。")
    return redirect("clubs:club", org.pk, election.club_id)


@login_required
@org_view("activities.manage", SECTION)
@require_POST
def cancel_election(request, org, election_id):
    election = selectors.election_or_404(org, election_id)
    return _act(
        request,
        org,
        election.club,
        lambda: services.cancel_election(actor=request.user, election=election),
        "本次选举已作废，可以重新发起。",
    )


@login_required
@org_view("activities.view", SECTION)
@require_POST
def save_plan(request, org, club_id):
    club = selectors.club_or_404(org, club_id)
    _require_organiser(request.user, club, "编写活动计划")
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        try:
            plan = services.save_plan(actor=request.user, club=club, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"{plan.year} 年活动计划已保存。")
            return redirect(f"{_club_url(org, club)}?year={plan.year}")
    return _club_page(request, org, club, plan_form=form, status=422)


def _club_url(org, club) -> str:
    return reverse("clubs:club", args=[org.pk, club.pk])


def _require_organiser(user, club, what: str) -> None:
    """The club's own pages for its leader and the committee: anyone else is a 403."""
    if not services.may_organise(user, club):
        raise PermissionDenied(f"只有组长或组织活动的委员可以{what}。")


@login_required
@org_view("activities.view", SECTION)
def new_session(request, org, club_id):
    club = selectors.club_or_404(org, club_id)
    _require_organiser(request.user, club, "安排小组活动")
    form = forms.SessionForm(
        request.POST if request.method == "POST" else None,
        initial=forms.initial_session(timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        try:
            session = services.add_session(
                actor=request.user,
                club=club,
                title=data["title"],
                starts_at=datetime.datetime.combine(data["day"], data["start"], tzinfo=tz),
                ends_at=datetime.datetime.combine(data["day"], data["end"], tzinfo=tz),
                location=data["location"],
                description=data["description"],
                capacity=data["capacity"],
                rrule=data["weekly"],
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已安排“{session.activity.title}”。")
            return redirect(f"{_club_url(org, club)}?year={data['day'].year}")
    return render(
        request,
        "clubs/session_new.html",
        {"org": org, "page_title": f"{club.name} · 安排活动", "tab": "clubs", "club": club, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("activities.view", SECTION)
def new_budget(request, org, club_id):
    club = selectors.club_or_404(org, club_id)
    _require_organiser(request.user, club, "申请小组经费")
    form = forms.BudgetForm(
        request.POST if request.method == "POST" else None, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.request_budget(actor=request.user, club=club, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(
                request, f"已提交 {budget.year} 年经费申请 {budget.requested} 元，等待工会主席审批。"
            )
            return redirect(f"{_club_url(org, club)}?year={budget.year}")
    return render(
        request,
        "clubs/budget_new.html",
        {"org": org, "page_title": f"{club.name} · 申请经费", "tab": "clubs", "club": club, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("clubs.approve", SECTION)
@require_POST
def approve(request, org, budget_id):
    budget = selectors.budget_or_404(org, budget_id)
    form = forms.ApproveForm(request.POST)
    if form.is_valid():
        try:
            done = services.approve_budget(actor=request.user, budget=budget, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已批准“{budget.club.name}”{done.year} 年经费 {done.approved} 元。")
            return redirect(f"{_club_url(org, budget.club)}?year={budget.year}")
    request.GET = request.GET.copy()
    request.GET["year"] = str(budget.year)
    return _club_page(request, org, budget.club, approve_form=form, status=422)


@login_required
@org_view("clubs.approve", SECTION)
@require_POST
def refuse(request, org, budget_id):
    budget = selectors.budget_or_404(org, budget_id)
    form = forms.RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.refuse_budget(actor=request.user, budget=budget, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"“{budget.club.name}”{budget.year} 年经费申请未批准，已通知组长理由。")
            return redirect(f"{_club_url(org, budget.club)}?year={budget.year}")
    request.GET = request.GET.copy()
    request.GET["year"] = str(budget.year)
    return _club_page(request, org, budget.club, refuse_form=form, status=422)


@login_required
@org_view("funds.write", SECTION)
@require_POST
def spend(request, org, budget_id):
    budget = selectors.budget_or_404(org, budget_id)
    form = forms.SpendingForm(request.POST)
    if form.is_valid():
        try:
            spending = services.record_spending(actor=request.user, budget=budget, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(
                request,
                f"已登记支出 {spending.amount} 元（凭证 {spending.ledger_entry_id}），记入 职工活动支出／文体活动。",
            )
            return redirect(f"{_club_url(org, budget.club)}?year={budget.year}")
    request.GET = request.GET.copy()
    request.GET["year"] = str(budget.year)
    return _club_page(request, org, budget.club, spending_form=form, status=422)


app_name = "clubs"

urlpatterns = [
    path("o/<int:org_id>/clubs/", home, name="home"),
    path("o/<int:org_id>/clubs/new/", create, name="create"),
    path("o/<int:org_id>/clubs/<int:club_id>/", club_detail, name="club"),
    path("o/<int:org_id>/clubs/<int:club_id>/join/", join, name="join"),
    path("o/<int:org_id>/clubs/<int:club_id>/leave/", leave, name="leave"),
    path("o/<int:org_id>/clubs/<int:club_id>/election/", open_election, name="open_election"),
    path("o/<int:org_id>/clubs/<int:club_id>/plan/", save_plan, name="save_plan"),
    path("o/<int:org_id>/clubs/<int:club_id>/sessions/new/", new_session, name="new_session"),
    path("o/<int:org_id>/clubs/<int:club_id>/budget/new/", new_budget, name="new_budget"),
    path("o/<int:org_id>/clubs/elections/<int:election_id>/vote/", vote, name="vote"),
    path(
        "o/<int:org_id>/clubs/elections/<int:election_id>/confirm/", confirm_election, name="confirm_election"
    ),
    path("o/<int:org_id>/clubs/elections/<int:election_id>/cancel/", cancel_election, name="cancel_election"),
    path("o/<int:org_id>/clubs/budgets/<int:budget_id>/approve/", approve, name="approve"),
    path("o/<int:org_id>/clubs/budgets/<int:budget_id>/refuse/", refuse, name="refuse"),
    path("o/<int:org_id>/clubs/budgets/<int:budget_id>/spend/", spend, name="spend"),
]
