"""维权 reads, scoped by org. Mediation cases are confidential: `cases_visible_to` and
`case_or_404` are the only ways to reach one, and they answer 404 to anyone but the chair
(`rights.mediation`) and the mediators sitting on the case."""

import datetime

from django.db.models import Prefetch, Q
from django.http import Http404

from jiaogong.core import rules
from jiaogong.core.permissions import can
from jiaogong.members.models import Member
from jiaogong.rights import checks
from jiaogong.rights.models import (
    ClauseCheck,
    CollectiveContract,
    ContractClause,
    MediationCase,
    MediationCommittee,
    MediatorSeat,
)


def _member_of(user, org) -> Member | None:
    member = getattr(user, "member", None) if user.is_authenticated else None
    return member if isinstance(member, Member) and member.org_id == org.pk else None


# ---- the committee ---------------------------------------------------------------------------------


def current_committee(org) -> MediationCommittee | None:
    return MediationCommittee.objects.filter(org=org).first()


def sitting_seats(committee: MediationCommittee | None):
    if committee is None:
        return MediatorSeat.objects.none()
    return committee.seats.filter(until__isnull=True).select_related("member")


def committee_overview(org, today: datetime.date) -> dict:
    committee = current_committee(org)
    seats = list(sitting_seats(committee))
    warnings = checks.committee_warnings([(s.side, s.is_chair) for s in seats]) if committee else []
    if committee is not None and committee.ends_on < today:
        warnings.insert(0, f"本届调解委员会任期已于 {committee.ends_on:%Y-%m-%d} 届满，请换届。")
    by_side = {value: [s for s in seats if s.side == value] for value, _ in MediatorSeat.Side.choices}
    return {
        "committee": committee,
        "seats": seats,
        "by_side": [(label, by_side[value]) for value, label in MediatorSeat.Side.choices],
        "warnings": warnings,
        "past": list(
            committee.seats.filter(until__isnull=False).select_related("member") if committee else []
        ),
    }


# ---- cases ---------------------------------------------------------------------------------------------


def _case_scope(user, org) -> Q | None:
    """The cases the user may open: all for the chair, the ones they sit on for a mediator,
    None for everyone else."""
    if can(user, org, "rights.mediation"):
        return Q()
    member = _member_of(user, org)
    if member is None:
        return None
    return Q(mediators__member=member)


def cases_visible_to(user, org):
    scope = _case_scope(user, org)
    if scope is None:
        return MediationCase.objects.none()
    return (
        MediationCase.objects.filter(org=org)
        .filter(scope)
        .distinct()
        .prefetch_related("applicants", "mediators__member")
        .select_related("respondent_member")
    )


def own_applications(user, org):
    """A staff member's own cases as applicant: number, subject, status and dates only."""
    member = _member_of(user, org)
    if member is None:
        return MediationCase.objects.none()
    return MediationCase.objects.filter(org=org, applicants=member)


def case_or_404(user, org, case_id) -> MediationCase:
    case = cases_visible_to(user, org).filter(pk=case_id).first()
    if case is None:
        raise Http404("没有找到该调解案件。")
    return case


def sits_on(user, case: MediationCase) -> bool:
    member = _member_of(user, case.org)
    return member is not None and case.mediators.filter(member=member).exists()


def case_rows(cases, today: datetime.date) -> list[dict]:
    return [{"case": c, "overdue": checks.is_overdue(c.status, c.deadline, today)} for c in cases]


def mediation_days(org) -> int:
    return int(rules.value_for(org, "rights.mediation_days"))


# ---- the collective contract -----------------------------------------------------------------------------


def contracts_of(org):
    return CollectiveContract.objects.filter(org=org).select_related("congress")


def contract_or_404(org, contract_id) -> CollectiveContract:
    contract = contracts_of(org).filter(pk=contract_id).first()
    if contract is None:
        raise Http404("没有找到该集体合同。")
    return contract


def clause_or_404(contract: CollectiveContract, clause_id) -> ContractClause:
    clause = contract.clauses.filter(pk=clause_id).first()
    if clause is None:
        raise Http404("没有找到该条款。")
    return clause


def contract_overview(contract: CollectiveContract, today: datetime.date) -> dict:
    """Each clause with its checks and last check, flagged when not checked this year; the women's
    special protection clauses as their own section; the reviews and when the next is due."""
    clauses = list(
        contract.clauses.prefetch_related(
            Prefetch("checks", queryset=ClauseCheck.objects.order_by("-checked_on", "-id"))
        )
    )
    rows = []
    for clause in clauses:
        history = list(clause.checks.all())
        last = history[0] if history else None
        rows.append(
            {
                "clause": clause,
                "last": last,
                "history": history,
                "state": checks.check_state(last.checked_on if last else None, today),
            }
        )
    chapters = []
    for value, label in contract.clauses.model.Chapter.choices:
        if value == "women":
            continue
        items = [r for r in rows if r["clause"].chapter == value]
        if items:
            chapters.append({"label": label, "rows": items})
    women = [r for r in rows if r["clause"].is_women]
    reviews = list(contract.reviews.all())
    last_review = reviews[0].reviewed_on if reviews else None
    next_review = checks.review_due(contract.starts_on, last_review)
    counts = {state: sum(1 for r in rows if r["state"] == state) for state in ("never", "stale", "current")}
    findings = {
        value: sum(1 for r in rows if r["last"] is not None and r["last"].finding == value)
        for value, _ in ClauseCheck.Finding.choices
    }
    return {
        "chapters": chapters,
        "women": women,
        "rows": rows,
        "reviews": reviews,
        "next_review": next_review,
        "review_overdue": next_review < today and contract.ends_on >= today,
        "expired": contract.ends_on < today,
        "counts": counts,
        "findings": findings,
        "unchecked": counts["never"] + counts["stale"],
    }
