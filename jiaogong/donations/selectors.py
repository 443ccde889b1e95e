"""慈善捐款 reads: an org's campaigns, a campaign's contributions and totals (with the breakdown by
工会小组), a member's own contributions. Objects are fetched within the org: another org's
campaign is a 404."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404

from jiaogong.core.money import to_money
from jiaogong.donations.models import Campaign, Contribution
from jiaogong.members.models import Member, UnionGroup

ON_ROLL = (Member.Status.ACTIVE, Member.Status.RETIRED)
NO_GROUP = "未分组"
OUTSIDE = "非会员及其他"


def campaign_or_404(org, campaign_id) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("hand_over__handed_by", "created_by"), org=org, pk=campaign_id
    )


def contribution_or_404(campaign: Campaign, contribution_id) -> Contribution:
    return get_object_or_404(
        Contribution.objects.select_related("campaign"),
        org_id=campaign.org_id,
        campaign=campaign,
        pk=contribution_id,
    )


def effective(campaign: Campaign):
    """The contributions that stand: neither a reversal nor reversed."""
    return Contribution.objects.filter(campaign=campaign, reverses__isnull=True, reversed_by__isnull=True)


def givers(campaign: Campaign) -> dict[int, Contribution]:
    """{member id: their standing contribution} (one a member: a second is refused)."""
    return {c.member_id: c for c in effective(campaign).filter(member__isnull=False)}


def contributions(campaign: Campaign):
    """Every row, reversals included, in the order given."""
    return (
        Contribution.objects.filter(campaign=campaign)
        .select_related("reverses", "reversed_by", "recorded_by")
        .order_by("paid_on", "id")
    )


def campaigns_of(org) -> list[dict]:
    """The org's campaigns, newest first, each with its total, givers and hand-over."""
    campaigns = list(Campaign.objects.filter(org=org).select_related("hand_over"))
    sums = dict(
        Contribution.objects.filter(org=org)
        .values_list("campaign_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    counts = dict(
        Contribution.objects.filter(org=org, reverses__isnull=True, reversed_by__isnull=True)
        .values_list("campaign_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {
            "campaign": c,
            "total": to_money(sums.get(c.pk) or 0),
            "givers": counts.get(c.pk, 0),
            "hand_over": getattr(c, "hand_over", None),
        }
        for c in campaigns
    ]


def totals(campaign: Campaign) -> dict:
    """The campaign's figures: givers, total (reversals net out), average, how many of the roll
    gave, and the same per 工会小组 (the group the giver was in on the day), with each group's
    headcount so that the chair sees which groups have not handed in yet."""
    total = to_money(Contribution.objects.filter(campaign=campaign).aggregate(t=Sum("amount"))["t"] or 0)
    rows = list(effective(campaign).values_list("member_id", "member__status", "group_name", "amount"))
    roll = Member.objects.filter(org_id=campaign.org_id, status__in=ON_ROLL)
    headcount = dict(
        roll.values_list("union_group__name").annotate(n=Count("id")).order_by()
    )  # {group name or None: n}
    groups: dict[str, dict] = {}

    def bucket(label: str) -> dict:
        return groups.setdefault(
            label,
            {"group": label, "givers": 0, "total": Decimal("0.00"), "from_roll": 0, "headcount": None},
        )

    for name in (
        UnionGroup.objects.filter(org_id=campaign.org_id).order_by("name").values_list("name", flat=True)
    ):
        if headcount.get(name):
            bucket(name)["headcount"] = headcount[name]
    if headcount.get(None):
        bucket(NO_GROUP)["headcount"] = headcount[None]
    from_roll_total = 0
    for member_id, status, group_name, amount in rows:
        label = group_name or (NO_GROUP if member_id else OUTSIDE)
        row = bucket(label)
        row["givers"] += 1
        row["total"] += amount
        if member_id and status in ON_ROLL:
            row["from_roll"] += 1
            from_roll_total += 1
    order = {NO_GROUP: 1, OUTSIDE: 2}
    breakdown = sorted(groups.values(), key=lambda g: order.get(g["group"], 0))
    for g in breakdown:
        g["rate"] = _rate(g["from_roll"], g["headcount"])
    roll_count = sum(headcount.values())
    count = len(rows)
    return {
        "total": total,
        "givers": count,
        "average": to_money(total / count) if count else Decimal("0.00"),
        "roll": roll_count,
        "from_roll": from_roll_total,
        "rate": _rate(from_roll_total, roll_count),
        "groups": breakdown,
    }


def _rate(part: int, whole: int | None) -> int | None:
    """Whole per cent (None when there is nobody to count)."""
    if not whole:
        return None
    return min(100, round(part * 100 / whole))


def contributions_of_member(member) -> list[Contribution]:
    """A member's own rows in every campaign of their org (reversals shown, so the figures add up)."""
    return list(
        Contribution.objects.filter(org_id=member.org_id, member=member)
        .select_related("campaign", "campaign__hand_over")
        .order_by("-paid_on", "-id")
    )
