"""维权 pages: the hub, the mediation committee, the confidential mediation cases (list, new, one
case with its hearings and states, the 调解协议书), the collective contract (its clauses with
their last check, the women's special protection clauses, the yearly reviews, the .docx).

Every member reads the committee and the contract (`rights.view`); the chair and vice-chairs keep
them (`rights.manage`). A case is opened only by the chair and the mediators sitting on it
(selectors.case_or_404: 404 for anyone else); the chair opens cases and moves them
(`rights.mediation`); the chair and the case's mediators record hearings.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.rights import checks, papers, selectors, services
from jiaogong.rights.forms import (
    CaseForm,
    CheckForm,
    ClauseForm,
    CommitteeForm,
    ContractForm,
    HearingForm,
    MediatorsForm,
    MoveForm,
    ReviewForm,
    SeatForm,
)
from jiaogong.rights.models import MediationCase

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SECTION = "welfare"

# What each state may become, with the button label and the fields its form shows.
MOVES = {
    "accepted": ("受理", ()),
    "rejected": ("不予受理", ("reason",)),
    "mediating": ("开始调解", ()),
    "agreed": ("达成协议", ("agreement", "outcome")),
    "failed": ("调解不成", ("reason", "outcome")),
    "withdrawn": ("撤回申请", ("reason",)),
    "closed": ("结案", ("outcome",)),
}


def _require(request, org, capability: str, message: str) -> None:
    if not can(request.user, org, capability):
        raise PermissionDenied(message)


# ---- the hub -----------------------------------------------------------------------------------------


@login_required
@org_view("rights.view", SECTION)
def home(request, org):
    today = timezone.localdate()
    overview = selectors.committee_overview(org, today)
    cases = list(selectors.cases_visible_to(request.user, org))
    return render(
        request,
        "rights/home.html",
        {
            "org": org,
            "page_title": "维权",
            "overview": overview,
            "contracts": [
                {"contract": c, "overview": selectors.contract_overview(c, today)}
                for c in selectors.contracts_of(org)
            ],
            "open_cases": sum(1 for c in cases if c.status in ("applied", "accepted", "mediating")),
            "case_count": len(cases),
            "sees_cases": can(request.user, org, "rights.mediation") or bool(cases),
            "own": list(selectors.own_applications(request.user, org)),
            "can_manage": can(request.user, org, "rights.manage"),
        },
    )


# ---- the committee -----------------------------------------------------------------------------------------


@login_required
@org_view("rights.view", SECTION)
def committee(request, org):
    today = timezone.localdate()
    can_manage = can(request.user, org, "rights.manage")
    action = request.POST.get("action") if request.method == "POST" else ""
    committee_form = CommitteeForm(
        request.POST if action == "committee" else None,
        initial={"formed_on": today, "ends_on": today.replace(year=today.year + 3)},
    )
    seat_form = SeatForm(request.POST if action == "seat" else None, org=org, initial={"since": today})
    current = selectors.current_committee(org)
    if request.method == "POST":
        _require(request, org, "rights.manage", "只有工会主席、副主席可以维护调解委员会。")
        try:
            if action == "committee" and committee_form.is_valid():
                services.form_committee(actor=request.user, org=org, **committee_form.cleaned_data)
                messages.success(request, "已建立本届劳动争议调解委员会，请登记委员。")
                return redirect("rights:committee", org.pk)
            if action == "seat" and seat_form.is_valid():
                if current is None:
                    seat_form.add_error(None, "请先建立调解委员会。")
                else:
                    seat = services.add_seat(actor=request.user, committee=current, **seat_form.cleaned_data)
                    messages.success(request, f"已登记委员 {seat.member.name}（{seat.get_side_display()}）。")
                    return redirect("rights:committee", org.pk)
            if action == "end":
                seat = current.seats.filter(pk=request.POST.get("seat") or 0).first() if current else None
                if seat is None:
                    messages.error(request, "没有找到该委员。")
                else:
                    services.end_seat(
                        actor=request.user, seat=seat, until=_parse_day(request.POST.get("until"))
                    )
                    messages.success(request, f"{seat.member.name} 已离任。")
                return redirect("rights:committee", org.pk)
        except DomainError as e:
            if action == "end":
                messages.error(request, f"未保存：{next(iter(e.fields.values()), e.message)}")
                return redirect("rights:committee", org.pk)
            add_domain_errors(committee_form if action == "committee" else seat_form, e)
    overview = selectors.committee_overview(org, today)
    failed = bool(committee_form.errors or seat_form.errors)
    return render(
        request,
        "rights/committee.html",
        {
            "org": org,
            "page_title": "劳动争议调解委员会",
            "overview": overview,
            "committee_form": committee_form,
            "seat_form": seat_form,
            "action": action,
            "can_manage": can_manage,
            "today": today,
        },
        status=422 if failed else 200,
    )


def _parse_day(text):
    from jiaogong.core.parsing import parse_date

    try:
        return parse_date(text or "")
    except (ValueError, TypeError):
        return None


# ---- cases ---------------------------------------------------------------------------------------------


@login_required
@org_view("rights.view", SECTION)
def cases(request, org):
    today = timezone.localdate()
    visible = selectors.cases_visible_to(request.user, org)
    return render(
        request,
        "rights/cases.html",
        {
            "org": org,
            "page_title": "劳动争议调解",
            "rows": selectors.case_rows(visible, today),
            "own": list(selectors.own_applications(request.user, org).exclude(pk__in=visible.values("pk"))),
            "is_chair": can(request.user, org, "rights.mediation"),
        },
    )


@login_required
@org_view("rights.mediation", SECTION)
def case_new(request, org):
    seats = list(selectors.sitting_seats(selectors.current_committee(org)))
    form = CaseForm(
        request.POST if request.method == "POST" else None,
        org=org,
        seats=seats,
        initial={"applied_on": timezone.localdate(), "respondent_text": "学校"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已登记调解申请 {case}。")
            return redirect("rights:case", org.pk, case.pk)
    return render(
        request,
        "rights/case_new.html",
        {"org": org, "page_title": "登记调解申请", "form": form, "has_seats": bool(seats)},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("rights.view", SECTION)
def case(request, org, case_id):
    case = selectors.case_or_404(request.user, org, case_id)
    today = timezone.localdate()
    is_chair = can(request.user, org, "rights.mediation")
    may_hear = is_chair or selectors.sits_on(request.user, case)
    action = request.POST.get("action") if request.method == "POST" else ""
    move_form = MoveForm(request.POST if action == "move" else None, initial={"on": today})
    hearing_form = HearingForm(request.POST if action == "hearing" else None, initial={"held_on": today})
    seats = list(selectors.sitting_seats(selectors.current_committee(org)))
    mediators_form = MediatorsForm(
        request.POST if action == "mediators" else None,
        seats=seats,
        initial={"mediators": [str(s.pk) for s in case.mediators.all()]},
    )
    if request.method == "POST":
        if action == "hearing":
            if not may_hear:
                raise PermissionDenied("只有工会主席和本案调解员可以登记调解记录。")
        else:
            _require(request, org, "rights.mediation", "只有工会主席可以变更调解案件。")
        try:
            if action == "move" and move_form.is_valid():
                data = move_form.cleaned_data
                services.move_case(actor=request.user, case=case, **data)
                messages.success(request, f"{case} 已改为“{MediationCase.Status(data['to']).label}”。")
                return redirect("rights:case", org.pk, case.pk)
            if action == "hearing" and hearing_form.is_valid():
                services.record_hearing(actor=request.user, case=case, **hearing_form.cleaned_data)
                messages.success(request, "已登记调解记录。")
                return redirect(reverse("rights:case", args=[org.pk, case.pk]) + "#hearings")
            if action == "mediators" and mediators_form.is_valid():
                services.set_mediators(actor=request.user, case=case, **mediators_form.cleaned_data)
                messages.success(request, "已更新本案调解员。")
                return redirect("rights:case", org.pk, case.pk)
        except DomainError as e:
            form = {"move": move_form, "hearing": hearing_form, "mediators": mediators_form}.get(action)
            if form is None:
                raise
            add_domain_errors(form, e)
        case.refresh_from_db()
    moves = []
    for target in checks.TRANSITIONS.get(case.status, ()):
        label, fields = MOVES[target]
        moves.append({"to": target, "label": label, "fields": [move_form[f] for f in fields]})
    failed = bool(move_form.errors or hearing_form.errors or mediators_form.errors)
    return render(
        request,
        "rights/case.html",
        {
            "org": org,
            "page_title": str(case),
            "case": case,
            "overdue": checks.is_overdue(case.status, case.deadline, today),
            "hearings": list(case.hearings.select_related("recorded_by")),
            "mediators": list(case.mediators.select_related("member")),
            "moves": moves if is_chair else [],
            "move_form": move_form,
            "move_to": request.POST.get("to") if action == "move" else "",
            "hearing_form": hearing_form,
            "mediators_form": mediators_form,
            "may_hear": may_hear and case.status in ("accepted", "mediating"),
            "is_chair": is_chair,
            "action": action,
            "mediation_days": selectors.mediation_days(org),
        },
        status=422 if failed else 200,
    )


@login_required
@org_view("rights.view", SECTION)
def agreement(request, org, case_id):
    case = selectors.case_or_404(request.user, org, case_id)
    if not case.agreement:
        messages.error(request, "本案没有达成调解协议，没有调解协议书。")
        return redirect("rights:case", org.pk, case.pk)
    response = HttpResponse(papers.agreement_docx(case), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"调解协议书{case}.docx")
    return response


# ---- the collective contract -------------------------------------------------------------------------------


@login_required
@org_view("rights.manage", SECTION)
def contract_new(request, org):
    today = timezone.localdate()
    years = 3
    form = ContractForm(
        request.POST if request.method == "POST" else None,
        org=org,
        initial={
            "title": f"{today.year}—{today.year + years - 1}年集体合同",
            "signed_on": today,
            "starts_on": today,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.create_contract(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已登记“{contract.title}”，请逐条录入条款。")
            return redirect("rights:contract", org.pk, contract.pk)
    return render(
        request,
        "rights/contract_new.html",
        {"org": org, "page_title": "登记集体合同", "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("rights.view", SECTION)
def contract(request, org, contract_id):
    contract = selectors.contract_or_404(org, contract_id)
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else ""
    clause_form = ClauseForm(
        request.POST if action == "clause" else None,
        initial={"number": (max((c.number for c in contract.clauses.all()), default=0) + 1)},
    )
    check_form = CheckForm(
        request.POST if action == "check" else None,
        contract=contract,
        initial={
            "clause": request.GET.get("clause", ""),
            "checked_on": today,
            "checked_by": request.user.get_full_name() or request.user.username,
        },
    )
    review_form = ReviewForm(request.POST if action == "review" else None, initial={"reviewed_on": today})
    if request.method == "POST":
        _require(request, org, "rights.manage", "只有工会主席、副主席可以维护集体合同和履约检查。")
        try:
            if action == "clause" and clause_form.is_valid():
                clause = services.add_clause(
                    actor=request.user, contract=contract, **clause_form.cleaned_data
                )
                messages.success(request, f"已录入第{clause.number}条。")
                return redirect(
                    reverse("rights:contract", args=[org.pk, contract.pk]) + f"#clause-{clause.pk}"
                )
            if action == "check" and check_form.is_valid():
                data = dict(check_form.cleaned_data)
                check_clause = selectors.clause_or_404(contract, data.pop("clause"))
                services.record_check(actor=request.user, clause=check_clause, **data)
                messages.success(request, f"已登记第{check_clause.number}条的检查。")
                return redirect(
                    reverse("rights:contract", args=[org.pk, contract.pk]) + f"#clause-{check_clause.pk}"
                )
            if action == "review" and review_form.is_valid():
                services.record_review(actor=request.user, contract=contract, **review_form.cleaned_data)
                messages.success(request, "已登记履约审议。")
                return redirect("rights:contract", org.pk, contract.pk)
        except DomainError as e:
            add_domain_errors({"clause": clause_form, "check": check_form, "review": review_form}[action], e)
    failed = bool(clause_form.errors or check_form.errors or review_form.errors)
    return render(
        request,
        "rights/contract.html",
        {
            "org": org,
            "page_title": contract.title,
            "contract": contract,
            "overview": selectors.contract_overview(contract, today),
            "clause_form": clause_form,
            "check_form": check_form,
            "review_form": review_form,
            "action": action,
            "can_manage": can(request.user, org, "rights.manage"),
            "today": today,
        },
        status=422 if failed else 200,
    )


@login_required
@org_view("rights.view", SECTION)
def contract_export(request, org, contract_id):
    contract = selectors.contract_or_404(org, contract_id)
    response = HttpResponse(papers.contract_docx(contract, timezone.localdate()), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{contract.title}履约情况.docx")
    return response


app_name = "rights"
urlpatterns = [
    path("o/<int:org_id>/rights/", home, name="home"),
    path("o/<int:org_id>/rights/committee/", committee, name="committee"),
    path("o/<int:org_id>/rights/cases/", cases, name="cases"),
    path("o/<int:org_id>/rights/cases/new/", case_new, name="case_new"),
    path("o/<int:org_id>/rights/cases/<int:case_id>/", case, name="case"),
    path("o/<int:org_id>/rights/cases/<int:case_id>/agreement.docx", agreement, name="agreement"),
    path("o/<int:org_id>/rights/contracts/new/", contract_new, name="contract_new"),
    path("o/<int:org_id>/rights/contracts/<int:contract_id>/", contract, name="contract"),
    path(
        "o/<int:org_id>/rights/contracts/<int:contract_id>/export.docx",
        contract_export,
        name="contract_export",
    ),
]
