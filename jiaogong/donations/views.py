"""慈善捐款 pages: the campaigns, one campaign with its contributions and totals by 工会小组, recording
(one giver, or a group's envelope at once), reversal, the hand-over and the Excel sheet; every
member's own contributions.

The finance member writes; the chair, vice-chairs and the auditor read. Views parse, call one
service or selector and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.donations import exporting, selectors, services
from jiaogong.donations.forms import BatchForm, CampaignForm, ContributionForm, HandOverForm, givers_of
from jiaogong.members.models import Member, UnionGroup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITE_REFUSED = "只有财务委员可以登记和移交捐款。"


def _require_write(request, org) -> None:
    if not can(request.user, org, "donations.write"):
        raise PermissionDenied(WRITE_REFUSED)


def _member_id(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdigit() else None


# ---- campaigns ----------------------------------------------------------------------------------


@login_required
@org_view("org.view", "donations")
def home(request, org):
    if not can(request.user, org, "donations.view"):
        return redirect("donations:mine", org.pk)
    return render(
        request,
        "donations/home.html",
        {
            "org": org,
            "page_title": "慈善捐款",
            "rows": selectors.campaigns_of(org),
            "can_write": can(request.user, org, "donations.write"),
            "is_member": getattr(request.user, "member", None) is not None,
        },
    )


@login_required
@org_view("donations.write", "donations")
def create(request, org):
    today = timezone.localdate()
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        initial={"title": f"{today.year}年慈善一日捐", "starts_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已创建捐款活动“{campaign.title}”。")
            return redirect("donations:campaign", org.pk, campaign.pk)
    return render(
        request,
        "donations/create.html",
        {"org": org, "page_title": "新建捐款活动", "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("donations.view", "donations")
def campaign(request, org, campaign_id):
    campaign = selectors.campaign_or_404(org, campaign_id)
    can_write = can(request.user, org, "donations.write")
    today = timezone.localdate()
    form = ContributionForm(
        request.POST if request.method == "POST" else None,
        org=org,
        initial={"paid_on": today, "amount": campaign.suggested_amount or ""},
    )
    if request.method == "POST":
        _require_write(request, org)
        if form.is_valid():
            data = form.cleaned_data
            member_id = _member_id(data["member"])
            try:
                done = services.record_contribution(
                    actor=request.user,
                    campaign=campaign,
                    member=member_id,
                    name=data["name"] if member_id is None else "",
                    amount=data["amount"],
                    paid_on=data["paid_on"],
                    method=data["method"],
                    memo=data["memo"],
                )
            except DomainError as e:
                if not e.fields:  # the campaign is closed: the form is gone, say so above the page
                    messages.error(request, e.message)
                    return redirect("donations:campaign", org.pk, campaign.pk)
                add_domain_errors(form, e)
            else:
                messages.success(request, f"已登记 {done.name} 捐款 {done.amount} 元。")
                return redirect(reverse("donations:campaign", args=[org.pk, campaign.pk]) + f"#c-{done.pk}")
    return render(
        request,
        "donations/campaign.html",
        {
            "org": org,
            "page_title": campaign.title,
            "campaign": campaign,
            "hand_over": getattr(campaign, "hand_over", None),
            "totals": selectors.totals(campaign),
            "rows": selectors.contributions(campaign),
            "form": form,
            "can_write": can_write,
        },
        status=422 if form.errors else 200,
    )


# ---- a group's envelope -------------------------------------------------------------------------------


@login_required
@org_view("donations.write", "donations")
def batch(request, org, campaign_id):
    """One input a person, by 工会小组: the group leader's envelope is entered at once."""
    campaign = selectors.campaign_or_404(org, campaign_id)
    groups = list(UnionGroup.objects.filter(org=org).order_by("name"))
    group_id = _member_id(request.GET.get("group"))
    group = next((g for g in groups if g.pk == group_id), None)
    people = givers_of(org)
    if group is not None:
        people = people.filter(union_group=group)
    elif request.GET.get("group") == "none":
        people = people.filter(union_group__isnull=True)
    already = selectors.givers(campaign)
    people = list(people)
    form = BatchForm(
        request.POST if request.method == "POST" else None,
        initial={"paid_on": timezone.localdate(), "method": "cash"},
    )
    errors: dict[str, str] = {}
    amounts = {}
    if request.method == "POST":
        amounts = {m.pk: request.POST.get(f"amount_{m.pk}", "").strip() for m in people}
        outside = [
            (
                request.POST.get(f"outside_name_{i}", "").strip(),
                request.POST.get(f"outside_amount_{i}", "").strip(),
            )
            for i in range(3)
        ]
        rows = [{"member": pk, "amount": a} for pk, a in amounts.items() if a]
        rows += [{"name": n, "amount": a} for n, a in outside if n or a]
        if form.is_valid():
            try:
                made = services.record_contributions(
                    actor=request.user,
                    campaign=campaign,
                    rows=rows,
                    paid_on=form.cleaned_data["paid_on"],
                    method=form.cleaned_data["method"],
                )
            except DomainError as e:
                for key, message in e.fields.items():
                    index, _, field = key.partition(".")
                    if index.isdigit() and int(index) <= len(rows):
                        row = rows[int(index) - 1]
                        errors[f"m{row['member']}" if "member" in row else f"o{index}"] = message
                    else:
                        form.add_error(key if key in form.fields else None, message)
                if not form.errors:
                    form.add_error(None, e.message)
            else:
                total = sum(c.amount for c in made)
                messages.success(request, f"已登记 {len(made)} 人捐款，共 {total} 元。")
                return redirect("donations:campaign", org.pk, campaign.pk)
    elif request.GET.get("fill") and campaign.suggested_amount:
        amounts = {m.pk: str(campaign.suggested_amount) for m in people if m.pk not in already}
    outside_rows = [
        {
            "i": i,
            "name": request.POST.get(f"outside_name_{i}", ""),
            "amount": request.POST.get(f"outside_amount_{i}", ""),
        }
        for i in range(3)
    ]
    return render(
        request,
        "donations/batch.html",
        {
            "org": org,
            "page_title": f"批量登记 · {campaign.title}",
            "campaign": campaign,
            "closed": campaign.is_closed,
            "groups": groups,
            "group": group,
            "no_group": request.GET.get("group") == "none",
            "people": [
                {
                    "member": m,
                    "given": already.get(m.pk),
                    "amount": amounts.get(m.pk, ""),
                    "error": errors.get(f"m{m.pk}"),
                }
                for m in people
            ],
            "outside_rows": outside_rows,
            "outside_errors": [v for k, v in errors.items() if k.startswith("o")],
            "form": form,
            "row_errors": list(errors.values()),
        },
        status=422 if (form.errors or errors) else 200,
    )


# ---- reversal and hand-over -----------------------------------------------------------------------------


@login_required
@org_view("donations.write", "donations")
@require_POST
def reverse_contribution(request, org, campaign_id, contribution_id):
    campaign = selectors.campaign_or_404(org, campaign_id)
    contribution = selectors.contribution_or_404(campaign, contribution_id)
    try:
        reversal = services.reverse_contribution(
            actor=request.user, contribution=contribution, reason=request.POST.get("reason", "")
        )
    except DomainError as e:
        messages.error(request, f"未冲销：{e.fields.get('reason') or e.message}")
        return redirect(reverse("donations:campaign", args=[org.pk, campaign.pk]) + f"#c-{contribution.pk}")
    messages.success(request, f"已冲销 {contribution.name} 的捐款记录（{reversal.amount} 元）。")
    return redirect(reverse("donations:campaign", args=[org.pk, campaign.pk]) + f"#c-{reversal.pk}")


@login_required
@org_view("donations.write", "donations")
def hand_over(request, org, campaign_id):
    campaign = selectors.campaign_or_404(org, campaign_id)
    if campaign.is_closed and request.method != "POST":
        return redirect("donations:campaign", org.pk, campaign.pk)
    form = HandOverForm(
        request.POST if request.method == "POST" else None,
        initial={"handed_on": timezone.localdate(), "recipient": campaign.beneficiary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.hand_over(actor=request.user, campaign=campaign, **form.cleaned_data)
        except DomainError as e:
            if e.fields:
                add_domain_errors(form, e)
            else:
                messages.error(request, e.message)
                return redirect("donations:campaign", org.pk, campaign.pk)
        else:
            messages.success(
                request,
                f"已登记移交：{record.amount} 元（{record.givers} 人）交{record.recipient}，收据 {record.receipt_number}。"
                "本次活动已结束。",
            )
            return redirect("donations:campaign", org.pk, campaign.pk)
    return render(
        request,
        "donations/hand_over.html",
        {
            "org": org,
            "page_title": f"移交 · {campaign.title}",
            "campaign": campaign,
            "totals": selectors.totals(campaign),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@login_required
@org_view("donations.view", "donations")
def export(request, org, campaign_id):
    campaign = selectors.campaign_or_404(org, campaign_id)
    response = HttpResponse(exporting.campaign_workbook(campaign), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{campaign.title}捐款明细.xlsx")
    return response


# ---- every member's own ---------------------------------------------------------------------------------


@login_required
@org_view("org.view", "donations")
def mine(request, org):
    member = getattr(request.user, "member", None)
    own = isinstance(member, Member) and member.org_id == org.pk
    return render(
        request,
        "donations/mine.html",
        {
            "org": org,
            "page_title": "我的捐款",
            "member": member if own else None,
            "rows": selectors.contributions_of_member(member) if own else [],
            "can_view": can(request.user, org, "donations.view"),
        },
    )


app_name = "donations"
urlpatterns = [
    path("o/<int:org_id>/donations/", home, name="home"),
    path("o/<int:org_id>/donations/new/", create, name="create"),
    path("o/<int:org_id>/donations/mine/", mine, name="mine"),
    path("o/<int:org_id>/donations/<int:campaign_id>/", campaign, name="campaign"),
    path("o/<int:org_id>/donations/<int:campaign_id>/batch/", batch, name="batch"),
    path(
        "o/<int:org_id>/donations/<int:campaign_id>/contributions/<int:contribution_id>/reverse/",
        reverse_contribution,
        name="reverse",
    ),
    path("o/<int:org_id>/donations/<int:campaign_id>/hand-over/", hand_over, name="hand_over"),
    path("o/<int:org_id>/donations/<int:campaign_id>/export.xlsx", export, name="export"),
]
