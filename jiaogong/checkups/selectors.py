"""体检 reads, scoped by org: another org's round is a 404."""

from django.shortcuts import get_object_or_404

from jiaogong.checkups import rules
from jiaogong.checkups.models import Entry, Round


def rounds_of(org):
    return Round.objects.filter(org=org)


def round_or_404(org, round_id) -> Round:
    return get_object_or_404(Round, org=org, pk=round_id)


def entries(round_: Round, status: str | None = None):
    qs = Entry.objects.filter(round=round_).select_related("member", "member__union_group")
    if status:
        qs = qs.filter(status=status)
    return qs


def progress(round_: Round) -> dict:
    counts = rules.progress(Entry.objects.filter(round=round_).values_list("status", flat=True))
    cost = round_.cost_per_person
    # What the round costs if everyone not declining goes: shown, never posted to the ledger here.
    counts["total_due"] = (cost * (counts["total"] - counts["declined"])) if cost else None
    counts["done_cost"] = (cost * counts["done"]) if cost else None
    return counts


def entries_of_member(member):
    if member is None:
        return Entry.objects.none()
    return (
        Entry.objects.filter(member=member)
        .select_related("round")
        .order_by("-round__year", "-round__starts_on")
    )
