"""兴趣小组 (书法, 摄影, 瑜伽, 乒乓球 …): a club, its members, the leader they choose, its yearly
activity plan, and its budget — requested by the leader, approved by the chair or a vice-chair,
spent against by the finance member through the ledger.

A club's sessions are activities (activities.Activity, kind "club") linked to it by ClubSession:
sign-ups, check-in and attendance work as for every other activity.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


class Club(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=50)
    description = models.TextField("简介", blank=True)
    leader = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="clubs_led", verbose_name="组长"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="club_unique_name")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A member in a club from `joined_at`; leaving sets `left_at` (the row stays as the record).
    At most one current membership per member and club, held by the database."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="club_memberships")
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["club", "member"],
                condition=models.Q(left_at__isnull=True),
                name="club_membership_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.member} @ {self.club}"


class Election(models.Model):
    """Choosing the club's leader: the club's members vote; the chair confirms the result."""

    class Status(models.TextChoices):
        OPEN = "open", "投票中"
        CONFIRMED = "confirmed", "已确认"
        CANCELLED = "cancelled", "已作废"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="elections")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    winner = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["club"], condition=models.Q(status="open"), name="club_election_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.club} 组长选举"


class Vote(models.Model):
    """One vote per member per election: the database refuses a second one."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "voter"], name="club_vote_once_per_election"),
        ]

    def __str__(self):
        return f"{self.voter} → {self.candidate}"


class Plan(models.Model):
    """The club's activity plan for a year: the text; its sessions are the club's activities that year."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField("年度")
    text = models.TextField("活动计划")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["club", "year"], name="club_plan_once_a_year")]

    def __str__(self):
        return f"{self.club} {self.year}年活动计划"


class ClubSession(models.Model):
    """A club session: an activity (kind "club") of this club."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="sessions")
    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.PROTECT, related_name="club_session"
    )

    class Meta:
        ordering = ["activity__starts_at", "id"]

    def __str__(self):
        return f"{self.club}：{self.activity}"


class Budget(models.Model):
    """A year's budget request: lines adding up to the amount asked; the chair or a vice-chair
    approves it (possibly for less) or refuses it with a reason. One pending or approved request
    per club and year; a refused one may be followed by a new request."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField("年度")
    # [{"item": "宣纸、墨汁", "amount": "800.00"}, …]
    lines = models.JSONField("预算明细", default=list)
    requested = models.DecimalField("申请金额", max_digits=12, decimal_places=2)
    note = models.CharField("说明", max_length=500, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    approved = models.DecimalField("批准金额", max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.CharField("审批意见", max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["club", "year"],
                condition=~models.Q(status="refused"),
                name="club_budget_one_live_a_year",
            ),
            models.CheckConstraint(
                condition=models.Q(requested__gt=0), name="club_budget_requested_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(approved__isnull=True)
                | (models.Q(approved__gt=0) & models.Q(approved__lte=models.F("requested"))),
                name="club_budget_approved_within_request",
            ),
        ]

    def __str__(self):
        return f"{self.club} {self.year}年预算"


class Spending(models.Model):
    """Money spent against an approved budget: the ledger voucher (职工活动支出 / 文体活动) it was posted as."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="spendings")
    date = models.DateField("日期")
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    memo = models.CharField("摘要", max_length=200)
    ledger_entry = models.OneToOneField("funds.LedgerEntry", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="club_spending_positive")
        ]

    def __str__(self):
        return f"{self.budget} 支出 {self.amount} 元"
