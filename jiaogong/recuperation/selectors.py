"""疗休养 reads, scoped by org."""

import datetime

from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiaogong.core.rules import value_for
from jiaogong.members.models import Member
from jiaogong.recuperation import rules
from jiaogong.recuperation.models import Application, Batch, Plan, Trip


def params_of(org) -> rules.Params:
    return rules.Params(
        years_since_last=value_for(org, "recuperation.years_since_last"),
        min_service_years=value_for(org, "recuperation.min_service_years"),
        min_age=value_for(org, "recuperation.min_age"),
        retirees_eligible=value_for(org, "recuperation.retirees_eligible"),
    )


def facts_of(member: Member) -> rules.Facts:
    return rules.Facts(status=member.status, hire_date=member.hire_date, birth_date=member.birth_date)


def last_time(member: Member, *, before: datetime.date | None = None) -> datetime.date | None:
    """The date of the member's latest trip (on or before `before`, if given)."""
    trips = Trip.objects.filter(org_id=member.org_id, member=member)
    if before is not None:
        trips = trips.filter(went_on__lte=before)
    return trips.aggregate(last=Max("went_on"))["last"]


def eligibility(member: Member, today: datetime.date) -> tuple[bool, list[str]]:
    return rules.eligible(facts_of(member), last_time(member), params_of(member.org), today)


def plans_of(org):
    return Plan.objects.filter(org=org).annotate(
        approved=Count("applications", filter=Q(applications__status=Application.Status.APPROVED)),
        waiting=Count("applications", filter=Q(applications__status=Application.Status.APPLIED)),
    )


def plan_or_404(org, plan_id) -> Plan:
    return get_object_or_404(Plan, org=org, pk=plan_id)


def plan_of_year(org, year: int) -> Plan | None:
    return Plan.objects.filter(org=org, year=year).first()


def batch_or_404(plan, batch_id) -> Batch:
    return get_object_or_404(Batch, plan=plan, pk=batch_id)


def application_or_404(plan, application_id) -> Application:
    return get_object_or_404(
        Application.objects.select_related("member"), org=plan.org, plan=plan, pk=application_id
    )


def approved_count(plan) -> int:
    return plan.applications.filter(status=Application.Status.APPROVED).count()


def batch_taken(batch) -> int:
    return Application.objects.filter(batch=batch, status=Application.Status.APPROVED).count()


def batches_with_places(plan) -> list[dict]:
    taken = dict(
        Application.objects.filter(plan=plan, status=Application.Status.APPROVED, batch__isnull=False)
        .values_list("batch")
        .annotate(n=Count("id"))
    )
    return [
        {"batch": b, "taken": taken.get(b.pk, 0), "left": b.places - taken.get(b.pk, 0)}
        for b in plan.batches.all()
    ]


def queue(plan, today: datetime.date) -> list[dict]:
    """The waiting applications in the fair order (rules.queue_key): position, application,
    last time, years of service, why, and whether the member is still eligible today."""
    waiting = list(
        plan.applications.filter(status=Application.Status.APPLIED).select_related(
            "member", "member__union_group"
        )
    )
    lasts = dict(
        Trip.objects.filter(org=plan.org, member__in=[a.member_id for a in waiting])
        .values_list("member")
        .annotate(last=Max("went_on"))
    )
    by_id = {a.pk: a for a in waiting}
    entries = [
        rules.Entry(
            application_id=a.pk,
            last_time=lasts.get(a.member_id),
            hire_date=a.member.hire_date,
            applied_at=timezone.localtime(a.applied_at),
        )
        for a in waiting
    ]
    params = params_of(plan.org)
    out = []
    for position, entry, why in rules.order(entries, today):
        a = by_id[entry.application_id]
        ok, reasons = rules.eligible(facts_of(a.member), entry.last_time, params, today)
        out.append(
            {
                "position": position,
                "application": a,
                "member": a.member,
                "last_time": entry.last_time,
                "service_years": a.member.service_years(today),
                "why": why,
                "eligible": ok,
                "reasons": reasons,
            }
        )
    return out


def position_of(application: Application, today: datetime.date) -> tuple[int, int] | None:
    """(position, queue length) of a waiting application, or None."""
    if application.status != Application.Status.APPLIED:
        return None
    rows = queue(application.plan, today)
    for row in rows:
        if row["application"].pk == application.pk:
            return row["position"], len(rows)
    return None


def decided(plan):
    return (
        plan.applications.exclude(status=Application.Status.APPLIED)
        .select_related("member", "batch", "decided_by")
        .order_by("status", "-decided_at", "id")
    )


def application_of(plan, member) -> Application | None:
    """The member's latest application to the plan."""
    return plan.applications.filter(member=member).order_by("-applied_at", "-id").first()


def trips_of(member: Member):
    return Trip.objects.filter(org_id=member.org_id, member=member).select_related("plan", "batch")


def applications_of(member: Member):
    return Application.objects.filter(org_id=member.org_id, member=member).select_related("plan", "batch")


def member_or_404(org, member_id) -> Member:
    return get_object_or_404(Member, org=org, pk=member_id)
