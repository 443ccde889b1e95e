"""职工互助保障 (e.g. 职工住院医疗互助保障): a yearly plan, who is enrolled (the premium list) and
the claims with what was paid.

The premiums and the payments go between the members, the federation's mutual-aid fund and the
insurer: none of it is the school union's money, so nothing here is posted to funds.LedgerEntry.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


class Plan(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("保障项目", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    premium = models.DecimalField("每人保费", max_digits=12, decimal_places=2)
    covers_from = models.DateField("保障期开始")
    covers_to = models.DateField("保障期结束")
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name", "year"], name="mutual_aid_plan_once_a_year"),
            models.CheckConstraint(condition=models.Q(premium__gt=0), name="mutual_aid_premium_positive"),
            models.CheckConstraint(
                condition=models.Q(covers_to__gte=models.F("covers_from")), name="mutual_aid_period_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.name}"


class Enrolment(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="mutual_aid_enrolments")
    premium = models.DecimalField("保费", max_digits=12, decimal_places=2)
    enrolled_on = models.DateField("参保日期")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["member__name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="mutual_aid_enrolled_once"),
            models.CheckConstraint(
                condition=models.Q(premium__gt=0), name="mutual_aid_enrolment_premium_positive"
            ),
        ]

    def __str__(self):
        return f"{self.plan} {self.member}"


class Claim(models.Model):
    class Kind(models.TextChoices):
        HOSPITAL = "hospital", "住院"
        ACCIDENT = "accident", "意外伤害"
        CRITICAL = "critical", "重大疾病"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已申请"
        PAID = "paid", "已赔付"
        REFUSED = "refused", "不予赔付"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="claims")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="mutual_aid_claims")
    event_on = models.DateField("事故/住院日期")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    amount_claimed = models.DecimalField("申请金额", max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField("赔付金额", max_digits=12, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField("赔付日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.CharField("不予赔付原因", max_length=200, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-event_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_claimed__gt=0), name="mutual_aid_claim_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status="submitted", amount_paid__isnull=True, paid_on__isnull=True)
                | models.Q(status="paid", amount_paid__gt=0, paid_on__isnull=False)
                | (models.Q(status="refused", amount_paid__isnull=True) & ~models.Q(reason="")),
                name="mutual_aid_claim_status_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.amount_claimed}"
