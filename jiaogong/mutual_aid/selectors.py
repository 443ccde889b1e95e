"""互助保障 reads, scoped by org: another org's plan or claim is a 404."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404

from jiaogong.core.money import CENT
from jiaogong.members.models import Member
from jiaogong.mutual_aid.models import Claim, Enrolment, Plan

ZERO = Decimal("0.00")


def plans_of(org):
    return Plan.objects.filter(org=org).annotate(
        enrolled=Count("enrolments", distinct=True), claim_count=Count("claims", distinct=True)
    )


def plan_or_404(org, plan_id) -> Plan:
    return get_object_or_404(Plan, org=org, pk=plan_id)


def claim_or_404(plan: Plan, claim_id) -> Claim:
    return get_object_or_404(Claim, org_id=plan.org_id, plan=plan, pk=claim_id)


def enrolments(plan: Plan):
    return Enrolment.objects.filter(plan=plan).select_related("member", "member__union_group")


def premium_total(plan: Plan) -> dict:
    row = Enrolment.objects.filter(plan=plan).aggregate(n=Count("id"), total=Sum("premium"))
    return {"count": row["n"], "total": (row["total"] or ZERO).quantize(CENT)}


def claims(plan: Plan):
    return Claim.objects.filter(plan=plan).select_related("member")


def claim_totals(plan: Plan) -> dict:
    qs = Claim.objects.filter(plan=plan)
    return {
        "claimed": (qs.aggregate(s=Sum("amount_claimed"))["s"] or ZERO).quantize(CENT),
        "paid": (qs.filter(status="paid").aggregate(s=Sum("amount_paid"))["s"] or ZERO).quantize(CENT),
        "open": qs.filter(status="submitted").count(),
    }


def not_enrolled(plan: Plan):
    """Active members not yet on the plan, who may be enrolled."""
    return (
        Member.objects.filter(org_id=plan.org_id, status="active")
        .exclude(mutual_aid_enrolments__plan=plan)
        .order_by("name_pinyin", "pk")
    )


def of_member(member):
    if member is None:
        return Enrolment.objects.none(), Claim.objects.none()
    return (
        Enrolment.objects.filter(member=member).select_related("plan").order_by("-plan__year"),
        Claim.objects.filter(member=member).select_related("plan"),
    )
