"""教代会 pages: 提案 — the list of a session, the drafting form, one proposal with its timeline
and the actions the viewer may take, the department inbox and the departments.

Views parse the request, call one service of congress/proposals.py and render; the services check
who may act (403), the state (409) and the input (400, Chinese messages on the form).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiaogong.accounts.models import User
from jiaogong.congress import proposals as service
from jiaogong.congress import rules
from jiaogong.congress.models import Congress, Department, Proposal, ProposalCommitteeMember
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.members.forms import text_field
from jiaogong.members.models import Member


def textarea(label: str, rows: int = 4, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def choice(
    label: str, choices=(), *, required: bool = False, message: str = "", **kwargs
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={"required": message or f"请选择{label}。", "invalid_choice": f"{label}的选项无效。"},
        **kwargs,
    )


# ---- forms (they collect text; the services check every rule) ------------------------------------------


class ProposalForm(forms.Form):
    title = text_field("案由", 200, help_text="一事一案：一件提案只写一件事。")
    reasons = textarea("理由", 5)
    measures = textarea("建议措施", 5)


class SecondForm(forms.Form):
    pass


class ReviewForm(forms.Form):
    decision = choice("审查结论", list(service.DECISIONS.items()), required=True, widget=forms.RadioSelect)
    reason = textarea("审查意见（不予立案时必填，将告知提案人）", 3)
    merge_into = choice("并入提案（并案时选择）")
    lead_department = choice("主办部门（立案时可同时交办）")
    supporting_departments = forms.MultipleChoiceField(
        label="协办部门", required=False, widget=forms.CheckboxSelectMultiple
    )
    forward_as_suggestion = forms.BooleanField(label="不予立案时转作意见建议处理", required=False)

    def __init__(self, *args, departments, targets, **kwargs):
        super().__init__(*args, **kwargs)
        options = [(str(d.pk), d.name) for d in departments]
        self.fields["lead_department"].choices = [("", "暂不交办"), *options]
        self.fields["supporting_departments"].choices = options
        self.fields["merge_into"].choices = [("", "请选择"), *((str(p.pk), p.title) for p in targets)]


class AssignForm(forms.Form):
    lead_department = choice("主办部门", required=True)
    supporting_departments = forms.MultipleChoiceField(
        label="协办部门", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        options = [(str(d.pk), d.name) for d in departments]
        self.fields["lead_department"].choices = [("", "请选择"), *options]
        self.fields["supporting_departments"].choices = options


class ProgressForm(forms.Form):
    percent = forms.IntegerField(
        label="办理进度（%）",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "请填写办理进度。",
            "invalid": "办理进度应为 0 到 100 之间的整数。",
            "min_value": "办理进度应为 0 到 100 之间的整数。",
            "max_value": "办理进度应为 0 到 100 之间的整数。",
        },
    )
    note = textarea("进展说明", 2)


class ReplyForm(forms.Form):
    code = choice(
        "答复类别",
        [(c, f"{c} {label}") for c, label in Proposal.Code.choices],
        required=True,
        widget=forms.RadioSelect,
    )
    text = textarea("答复内容（采取的措施和完成时间，或不能解决的原因）", 5)


class RateForm(forms.Form):
    rating = choice("评价", Proposal.Rating.choices, required=True, widget=forms.RadioSelect)
    note = textarea("意见（可不填）", 2)


class ExcellentForm(forms.Form):
    excellent = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DepartmentForm(forms.Form):
    name = text_field("部门名称", 50)


class DepartmentUserForm(forms.Form):
    department = choice("部门", required=True)
    user = choice("人员", required=True)

    def __init__(self, *args, departments, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "请选择"), *((str(d.pk), d.name) for d in departments)]
        self.fields["user"].choices = [("", "请选择"), *((str(u.pk), label_of(u)) for u in users)]


class CommitteeForm(forms.Form):
    member = choice("会员", required=True)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "请选择会员"), *((str(m.pk), m.name) for m in members)]


def label_of(user) -> str:
    name = service.actor_name(user)
    return name if name == user.username else f"{name}（{user.username}）"


# ---- helpers ------------------------------------------------------------------------------------------------


def congress_of(org, congress_id) -> Congress:
    congress = Congress.objects.select_related("term", "org").filter(org=org, pk=congress_id).first()
    if congress is None:
        raise Http404("没有找到该会议。")
    return congress


def org_users(org):
    return User.objects.filter(role_grants__org=org).distinct().select_related("member").order_by("username")


def posted(request, name: str):
    """The POST data when this form was the one submitted."""
    return request.POST if request.method == "POST" and request.POST.get("form") == name else None


# ---- the list of a session, with the 提案工作委员会 ----------------------------------------------------------------


@login_required
@org_view("congress.view", "congress")
def proposal_list(request, org, congress_id):
    congress = congress_of(org, congress_id)
    counts = service.state_counts(congress)
    state = request.GET.get("state", "")
    if state not in counts:
        state = ""
    can_manage = can(request.user, org, "congress.manage")
    committee = congress.term.proposal_committee.select_related("member").order_by("member__name")
    candidates = Member.objects.filter(org=org, status="active").exclude(
        pk__in=committee.values_list("member_id", flat=True)
    )
    deadline = service.deadline_of(congress)
    return render(
        request,
        "congress/proposals/list.html",
        {
            "org": org,
            "page_title": f"提案 · {congress.title}",
            "congress": congress,
            "proposals": service.proposals_of(congress, state),
            "chips": [
                {"state": s, "label": service.STATE_LABELS[s], "count": n, "current": s == state}
                for s, n in counts.items()
                if n
            ],
            "total": sum(counts.values()),
            "state": state,
            "deadline": deadline,
            "late": timezone.localdate() > deadline,
            "is_delegate": service.formal_delegate(congress.term, request.user) is not None,
            "can_manage": can_manage,
            "committee": committee,
            "committee_warnings": service.committee_warnings(congress.term),
            "committee_form": CommitteeForm(members=candidates) if can_manage else None,
            "is_department": service.departments_of(request.user, org).exists()
            or can(request.user, org, "congress.department"),
        },
    )


@login_required
@org_view("congress.manage", "congress")
@require_POST
def proposal_committee(request, org, congress_id):
    """Name or remove a member of the term's 提案工作委员会 (a section of the list page)."""
    congress = congress_of(org, congress_id)
    try:
        if request.POST.get("form") == "remove":
            seat = ProposalCommitteeMember.objects.filter(
                term=congress.term, pk=request.POST.get("seat") or 0
            ).first()
            if seat is None:
                raise Http404("没有找到该委员。")
            service.remove_committee_member(actor=request.user, seat=seat)
            messages.success(request, f"已将{seat.member.name}移出提案工作委员会。")
        else:
            form = CommitteeForm(request.POST, members=Member.objects.filter(org=org, status="active"))
            if not form.is_valid():
                messages.error(request, "请选择要加入提案工作委员会的会员。")
            else:
                member = Member.objects.get(org=org, pk=form.cleaned_data["member"])
                service.add_committee_member(actor=request.user, term=congress.term, member=member)
                messages.success(request, f"{member.name}已加入提案工作委员会。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("congress:proposals", org.pk, congress.pk)


# ---- drafting -----------------------------------------------------------------------------------------------------


@login_required
@org_view("congress.view", "congress")
def proposal_new(request, org, congress_id):
    congress = congress_of(org, congress_id)
    deadline = service.deadline_of(congress)
    delegate = service.formal_delegate(congress.term, request.user)
    form = ProposalForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            proposal = service.draft_proposal(actor=request.user, congress=congress, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
            status = e.status
        else:
            what = "意见建议" if proposal.kind == Proposal.Kind.SUGGESTION else "提案"
            messages.success(request, f"已提交{what}“{proposal.title}”，请邀请其他代表附议。")
            return redirect("congress:proposal", org.pk, proposal.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "congress/proposals/new.html",
        {
            "org": org,
            "page_title": "提交提案",
            "congress": congress,
            "form": form,
            "deadline": deadline,
            "late": timezone.localdate() > deadline,
            "delegate": delegate,
            "min_seconds": value_for(org, "congress.proposal_min_seconds"),
        },
        status=status,
    )


# ---- one proposal ----------------------------------------------------------------------------------------------------


def _forms(request, proposal: Proposal) -> dict[str, forms.Form]:
    departments = list(Department.objects.filter(org=proposal.org))
    targets = (
        Proposal.objects.filter(congress=proposal.congress, state__in=service.MERGE_TARGETS)
        .exclude(pk=proposal.pk)
        .order_by("number", "id")
    )
    return {
        "second": SecondForm(posted(request, "second")),
        "review": ReviewForm(posted(request, "review"), departments=departments, targets=targets),
        "assign": AssignForm(posted(request, "assign"), departments=departments),
        "progress": ProgressForm(posted(request, "progress"), initial={"percent": proposal.progress}),
        "reply": ReplyForm(posted(request, "reply")),
        "rate": RateForm(posted(request, "rate")),
        "excellent": ExcellentForm(
            posted(request, "excellent"), initial={"excellent": not proposal.excellent}
        ),
    }


def _run(actor, proposal: Proposal, action: str, data: dict) -> tuple[Proposal, str]:
    """Call the one service of the action; returns the proposal and a success message."""
    if action == "second":
        p = service.second_proposal(actor=actor, proposal=proposal)
        return p, "已附议。" + ("附议人数已满，提案已提交审查。" if p.state == "submitted" else "")
    if action == "review":
        p = service.review_proposal(actor=actor, proposal=proposal, **data)
        return p, f"审查结论已登记：{p.get_state_display()}。"
    if action == "assign":
        p = service.assign_proposal(actor=actor, proposal=proposal, **data)
        return p, f"已交办{p.lead_department.name}，{p.reply_due_on:%Y-%m-%d} 前答复。"
    if action == "progress":
        return service.record_progress(actor=actor, proposal=proposal, **data), "已登记办理进度。"
    if action == "reply":
        return service.reply_proposal(actor=actor, proposal=proposal, **data), "已答复，等待提案人评价。"
    if action == "rate":
        p = service.rate_proposal(actor=actor, proposal=proposal, **data)
        return p, "已评价，提案退回再办理一次。" if p.state == "reopened" else "已评价，提案办结。"
    p = service.mark_excellent(actor=actor, proposal=proposal, **data)
    return p, "已评为优秀提案。" if p.excellent else "已取消优秀提案。"


def _data(action: str, cleaned: dict) -> dict:
    data = dict(cleaned)
    if action == "review":
        data["merge_into"] = data["merge_into"] or None
        data["lead_department"] = data["lead_department"] or None
    return data


@login_required
@org_view("congress.view", "congress")
def proposal_detail(request, org, proposal_id):
    proposal = service.proposal_in(org, proposal_id)
    forms_ = _forms(request, proposal)
    status = 200
    refusal = ""
    if request.method == "POST":
        action = request.POST.get("form", "")
        form = forms_.get(action)
        if form is None:
            raise Http404("没有这个操作。")
        if form.is_valid():
            try:
                proposal, message = _run(request.user, proposal, action, _data(action, form.cleaned_data))
            except DomainError as e:
                # Field errors go on the form; a refusal (state, rule) above everything, since
                # the form may no longer be shown in the current state.
                if e.fields:
                    add_domain_errors(form, e)
                else:
                    refusal = e.message
                status = e.status
            else:
                messages.success(request, message)
                return redirect("congress:proposal", org.pk, proposal.pk)
        else:
            status = 400
    user = request.user
    today = timezone.localdate()
    state = proposal.state
    seconders = list(proposal.seconds.select_related("member"))
    me = service.formal_delegate(proposal.congress.term, user)
    reviewer = service.may_review(user, proposal)
    in_lead = service.in_lead_department(user, proposal)
    return render(
        request,
        "congress/proposals/detail.html",
        {
            "org": org,
            "page_title": proposal.title,
            "proposal": proposal,
            "congress": proposal.congress,
            "seconders": seconders,
            "min_seconds": value_for(org, "congress.proposal_min_seconds"),
            "events": [service.event_data(e) | {"when": e.at} for e in service.timeline(proposal)],
            "supporting": proposal.supporting_departments.all(),
            "co_proposers": proposal.co_proposers.all(),
            "merged": proposal.merged.all(),
            "overdue": rules.reply_overdue(proposal.reply_due_on, state, today),
            "forms": forms_,
            "can": {
                "second": state == "awaiting_seconds"
                and me is not None
                and me.pk != proposal.proposer_id
                and me.pk not in {s.member_id for s in seconders},
                "review": reviewer and state == "submitted",
                "assign": reviewer and state == "accepted",
                "handle": in_lead and state in service.HANDLING,
                "rate": service.is_proposer(user, proposal) and state == "replied",
                "mark": can(user, org, "congress.manage")
                and (proposal.excellent or (proposal.kind == "proposal" and state in service.AFTER_ACCEPT)),
            },
            "is_proposer": service.is_proposer(user, proposal),
            "refusal": refusal,
        },
        status=status,
    )


# ---- the department inbox and the departments ------------------------------------------------------------------------


@login_required
@org_view("congress.view", "congress")
def department_inbox(request, org):
    """The proposals a department handles, overdue first. Managers see every department's."""
    mine = list(service.departments_of(request.user, org))
    if not mine and not can(request.user, org, "congress.department"):
        raise PermissionDenied("只有职能部门的人员可以查看待办提案。")
    return render(
        request,
        "congress/proposals/inbox.html",
        {
            "org": org,
            "page_title": "待办提案",
            "departments": mine,
            "items": service.inbox(request.user, org, timezone.localdate()),
            "all_departments": can(request.user, org, "congress.manage"),
        },
    )


@login_required
@org_view("congress.manage", "congress")
def departments(request, org):
    all_departments = list(Department.objects.filter(org=org).prefetch_related("users__member"))
    users = list(org_users(org))
    create_form = DepartmentForm(posted(request, "create"))
    user_form = DepartmentUserForm(posted(request, "add_user"), departments=all_departments, users=users)
    status = 200
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action == "create":
                if create_form.is_valid():
                    department = service.create_department(
                        actor=request.user, org=org, **create_form.cleaned_data
                    )
                    messages.success(request, f"已建立{department.name}。")
                    return redirect("congress:departments", org.pk)
                status = 400
            elif action == "add_user":
                if user_form.is_valid():
                    department = Department.objects.get(org=org, pk=user_form.cleaned_data["department"])
                    user = User.objects.get(pk=user_form.cleaned_data["user"])
                    service.add_department_user(actor=request.user, department=department, user=user)
                    messages.success(request, f"已将{service.actor_name(user)}加入{department.name}。")
                    return redirect("congress:departments", org.pk)
                status = 400
            elif action == "remove_user":
                department = Department.objects.filter(
                    org=org, pk=request.POST.get("department") or 0
                ).first()
                user = User.objects.filter(pk=request.POST.get("user") or 0).first()
                if department is None or user is None:
                    raise Http404("没有找到该部门或人员。")
                service.remove_department_user(actor=request.user, department=department, user=user)
                messages.success(request, f"已将{service.actor_name(user)}移出{department.name}。")
                return redirect("congress:departments", org.pk)
            else:
                raise Http404("没有这个操作。")
        except DomainError as e:
            add_domain_errors(create_form if action == "create" else user_form, e)
            status = e.status
    return render(
        request,
        "congress/proposals/departments.html",
        {
            "org": org,
            "page_title": "职能部门",
            "departments": all_departments,
            "create_form": create_form,
            "user_form": user_form,
        },
        status=status,
    )


urlpatterns = [
    path("o/<int:org_id>/congress/<int:congress_id>/proposals/", proposal_list, name="proposals"),
    path("o/<int:org_id>/congress/<int:congress_id>/proposals/new/", proposal_new, name="proposal_new"),
    path(
        "o/<int:org_id>/congress/<int:congress_id>/proposals/committee/",
        proposal_committee,
        name="proposal_committee",
    ),
    path("o/<int:org_id>/proposals/<int:proposal_id>/", proposal_detail, name="proposal"),
    path("o/<int:org_id>/proposals/inbox/", department_inbox, name="department_inbox"),
    path("o/<int:org_id>/congress/departments/", departments, name="departments"),
]
