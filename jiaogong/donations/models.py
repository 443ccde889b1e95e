"""捐款活动 (慈善一日捐 and the like): money the union collects on behalf of a charity and hands
over whole. It is a separate account (代收代转): it never enters the union's books
(funds.LedgerEntry), and no figure of the funds pages counts it.

- Campaign: what is collected, for whom, when.
- Contribution: one giver's money. Append-only, in the services and in the database
  (core/append_only.py): a mistake is corrected by a reversing contribution, which carries the
  opposite amount and cites the one it reverses.
- HandOver: the whole collection passed to the recipient, with its receipt. Append-only too; once
  it exists the campaign is closed.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


class Campaign(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("活动名称", max_length=100)
    purpose = models.CharField("用途", max_length=200, blank=True)
    beneficiary = models.CharField("接收单位", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("截止日期")
    suggested_amount = models.DecimalField("倡议金额", max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "title"], name="donation_campaign_unique_title"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="donation_campaign_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(suggested_amount__isnull=True) | models.Q(suggested_amount__gt=0),
                name="donation_campaign_suggested_positive",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        """Handed over: nothing more is recorded or reversed."""
        return hasattr(self, "hand_over")


class Contribution(models.Model):
    """One giver's money. The giver is a member of the registry (its 工会小组 kept as it was on the
    day, so a later move does not rewrite the campaign's breakdown) or, for someone outside it
    (a temporary worker, a retiree not on the roll), just a name."""

    class Method(models.TextChoices):
        CASH = "cash", "现金"
        TRANSFER = "transfer", "银行转账"
        WECHAT = "wechat", "微信"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        Campaign, verbose_name="捐款活动", on_delete=models.PROTECT, related_name="contributions"
    )
    member = models.ForeignKey(
        Member, verbose_name="会员", on_delete=models.PROTECT, null=True, blank=True, related_name="donations"
    )
    name = models.CharField("捐款人", max_length=50)
    group_name = models.CharField("工会小组", max_length=50, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)  # negative on a reversal
    paid_on = models.DateField("捐款日期")
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    memo = models.CharField("备注", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲销的记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["org", "campaign"], name="donation_org_campaign")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="donation_names_the_giver"),
            # Only a reversal is negative, and it cites what it reverses.
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, reverses__isnull=True)
                | models.Q(amount__lt=0, reverses__isnull=False),
                name="donation_negative_only_as_reversal",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} {self.name} {self.amount}"


class HandOver(models.Model):
    """The collection passed to the recipient (区慈善总会, 红十字会…): the amount is the campaign's
    total at that moment, and the recipient's receipt number is the evidence."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    campaign = models.OneToOneField(
        Campaign, verbose_name="捐款活动", on_delete=models.PROTECT, related_name="hand_over"
    )
    handed_on = models.DateField("移交日期")
    recipient = models.CharField("接收单位", max_length=100)
    amount = models.DecimalField("移交金额", max_digits=12, decimal_places=2)
    givers = models.PositiveIntegerField("捐款人数")
    receipt_number = models.CharField("收据编号", max_length=50)
    note = models.CharField("说明", max_length=200, blank=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经手人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donation_hand_over_positive"),
            models.CheckConstraint(condition=~models.Q(receipt_number=""), name="donation_hand_over_receipt"),
        ]

    def __str__(self):
        return f"{self.campaign} 移交 {self.amount}"
