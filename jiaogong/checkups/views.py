"""体检 / 妇检 pages: the rounds, a new round, one round with its list, progress and the people not
done, marking a person, the 签到表 (.xlsx); every member's own rounds (我的体检).

The chair, the welfare member and the women's committee member (女工委员) run the rounds
(checkups.manage); every member sees their own. Views parse, call one service or selector, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.checkups import exporting, selectors, services
from jiaogong.checkups.forms import RoundForm, StatusForm
from jiaogong.checkups.models import Entry
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.members.models import Member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@org_view("checkups.manage", "welfare")
def home(request, org):
    rounds = list(selectors.rounds_of(org))
    for r in rounds:
        r.counts = selectors.progress(r)
    return render(request, "checkups/home.html", {"org": org, "page_title": "体检与妇检", "rounds": rounds})


@login_required
@org_view("checkups.manage", "welfare")
def create(request, org):
    today = timezone.localdate()
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        initial={"year": today.year, "starts_on": today, "kind": "checkup"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已创建“{round_.title}”，名单 {round_.entries.count()} 人。")
            return redirect("checkups:round", org.pk, round_.pk)
    return render(
        request,
        "checkups/create.html",
        {"org": org, "page_title": "新建体检安排", "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("checkups.manage", "welfare")
def round_detail(request, org, round_id):
    round_ = selectors.round_or_404(org, round_id)
    show = request.GET.get("show", "")
    if show not in Entry.Status.values:
        show = ""
    return render(
        request,
        "checkups/round.html",
        {
            "org": org,
            "page_title": round_.title,
            "round": round_,
            "counts": selectors.progress(round_),
            "rows": selectors.entries(round_, show or None),
            "show": show,
            "today": timezone.localdate(),
            "statuses": Entry.Status.choices,
        },
    )


@login_required
@org_view("checkups.manage", "welfare")
@require_POST
def mark(request, org, round_id, entry_id):
    round_ = selectors.round_or_404(org, round_id)
    entry = get_object_or_404(Entry, org=org, round=round_, pk=entry_id)
    form = StatusForm(request.POST)
    back = reverse("checkups:round", args=[org.pk, round_.pk])
    if request.POST.get("show") in Entry.Status.values:
        back += f"?show={request.POST['show']}"
    if not form.is_valid():
        problems = "；".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"{entry.member.name}的状态未修改：{problems}")
        return redirect(back + f"#e-{entry.pk}")
    try:
        done = services.set_status(
            actor=request.user, entry=entry, status=form.cleaned_data["status"], on=form.cleaned_data["on"]
        )
    except DomainError as e:
        detail = "；".join(e.fields.values()) or e.message
        messages.error(request, f"{entry.member.name}的状态未修改：{detail}")
        return redirect(back + f"#e-{entry.pk}")
    messages.success(request, f"{done.member.name}：{done.get_status_display()}。")
    return redirect(back + f"#e-{entry.pk}")


@login_required
@org_view("checkups.manage", "welfare")
@require_POST
def add_eligible(request, org, round_id):
    round_ = selectors.round_or_404(org, round_id)
    added = services.add_newly_eligible(actor=request.user, round_=round_)
    messages.success(request, f"已补充 {added} 人到名单。" if added else "名单已是最新，没有需要补充的人。")
    return redirect("checkups:round", org.pk, round_.pk)


@login_required
@org_view("checkups.manage", "welfare")
def export(request, org, round_id):
    round_ = selectors.round_or_404(org, round_id)
    response = HttpResponse(exporting.round_workbook(round_), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{round_.title}签到表.xlsx")
    return response


@login_required
@org_view("org.view", "welfare")
def mine(request, org):
    member = getattr(request.user, "member", None)
    own = isinstance(member, Member) and member.org_id == org.pk
    return render(
        request,
        "checkups/mine.html",
        {
            "org": org,
            "page_title": "我的体检",
            "member": member if own else None,
            "rows": selectors.entries_of_member(member if own else None),
            "can_manage": can(request.user, org, "checkups.manage"),
        },
    )


urlpatterns = [
    path("o/<int:org_id>/welfare/checkups/", home, name="home"),
    path("o/<int:org_id>/welfare/checkups/new/", create, name="create"),
    path("o/<int:org_id>/welfare/checkups/mine/", mine, name="mine"),
    path("o/<int:org_id>/welfare/checkups/<int:round_id>/", round_detail, name="round"),
    path("o/<int:org_id>/welfare/checkups/<int:round_id>/add-eligible/", add_eligible, name="add_eligible"),
    path("o/<int:org_id>/welfare/checkups/<int:round_id>/entries/<int:entry_id>/", mark, name="mark"),
    path("o/<int:org_id>/welfare/checkups/<int:round_id>/sign-in.xlsx", export, name="export"),
]
