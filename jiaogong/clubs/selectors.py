"""兴趣小组 reads, scoped by org: another org's club is a 404."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404

from jiaogong.clubs import rules
from jiaogong.clubs.models import Budget, Club, ClubSession, Election, Membership, Plan, Spending, Vote
from jiaogong.clubs.services import election_tally
from jiaogong.core.money import to_money
from jiaogong.members.models import Member


def clubs_of(org):
    return (
        Club.objects.filter(org=org)
        .select_related("leader")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
    )


def club_or_404(org, club_id) -> Club:
    return get_object_or_404(Club.objects.select_related("leader", "org"), org=org, pk=club_id)


def budget_or_404(org, budget_id) -> Budget:
    return get_object_or_404(Budget.objects.select_related("club", "club__org"), org=org, pk=budget_id)


def election_or_404(org, election_id) -> Election:
    return get_object_or_404(Election.objects.select_related("club", "club__org"), org=org, pk=election_id)


def members_of(club: Club) -> list[Member]:
    return [
        m.member
        for m in Membership.objects.filter(club=club, left_at__isnull=True)
        .select_related("member", "member__union_group")
        .order_by("member__name_pinyin", "pk")
    ]


def club_ids_of(member) -> set[int]:
    if member is None:
        return set()
    return set(
        Membership.objects.filter(member=member, left_at__isnull=True).values_list("club_id", flat=True)
    )


def open_election(club: Club) -> Election | None:
    return Election.objects.filter(club=club, status=Election.Status.OPEN).first()


def last_election(club: Club) -> Election | None:
    return (
        Election.objects.filter(club=club)
        .exclude(status=Election.Status.OPEN)
        .select_related("winner")
        .first()
    )


@dataclass
class ElectionView:
    election: Election
    rows: list[tuple[Member, int]]
    voted: int
    electorate: int
    tied_names: list[str]
    winner: Member | None
    my_vote: Vote | None


def election_view(election: Election, member=None) -> ElectionView:
    result = election_tally(election)
    people = Member.objects.in_bulk([cid for cid, _ in result.counts])
    names = [people[c].name for c in result.leaders] if result.tied else []
    my_vote = (
        Vote.objects.filter(election=election, voter=member).select_related("candidate").first()
        if member
        else None
    )
    return ElectionView(
        election=election,
        rows=[(people[c], n) for c, n in result.counts],
        voted=sum(n for _, n in result.counts),
        electorate=Membership.objects.filter(club_id=election.club_id, left_at__isnull=True).count(),
        tied_names=names,
        winner=people.get(result.winner) if result.winner else None,
        my_vote=my_vote,
    )


def plan_of(club: Club, year: int) -> Plan | None:
    return Plan.objects.filter(club=club, year=year).first()


def sessions_of(club: Club, year: int | None = None):
    qs = ClubSession.objects.filter(club=club).select_related("activity")
    if year is not None:
        qs = qs.filter(activity__starts_at__year=year)
    return qs


def budget_of(club: Club, year: int) -> Budget | None:
    """The year's live (pending or approved) budget, else the last refused one."""
    budgets = list(Budget.objects.filter(club=club, year=year))
    live = [b for b in budgets if b.status != Budget.Status.REFUSED]
    return live[0] if live else (budgets[0] if budgets else None)


@dataclass
class BudgetFigures:
    approved: Decimal
    spent: Decimal
    left: Decimal


def figures(budget: Budget | None) -> BudgetFigures:
    zero = Decimal("0.00")
    if budget is None or budget.status != Budget.Status.APPROVED:
        return BudgetFigures(zero, zero, zero)
    total = to_money(Spending.objects.filter(budget=budget).aggregate(s=Sum("amount"))["s"] or 0)
    return BudgetFigures(budget.approved, total, rules.budget_left(budget.approved, [total]))


def spendings_of(budget: Budget | None):
    if budget is None:
        return Spending.objects.none()
    return Spending.objects.filter(budget=budget).select_related("ledger_entry")


def pending_budgets(org):
    return Budget.objects.filter(org=org, status=Budget.Status.PENDING).select_related("club")


def budgets_of_year(org, year: int):
    return Budget.objects.filter(org=org, year=year).select_related("club")
