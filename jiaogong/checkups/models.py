"""体检 and 妇检 rounds: who is on the list and whether each person went.

Only the fact done / not done / declined (with its date) is kept: the results — health details —
are never stored here; the hospital gives them to the person.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


class Round(models.Model):
    class Kind(models.TextChoices):
        CHECKUP = "checkup", "体检"
        GYNAECOLOGY = "gynaecology", "妇检"
        TWO_CANCERS = "two_cancers", "两癌筛查"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    provider = models.CharField("体检机构", max_length=100)
    cost_per_person = models.DecimalField("人均费用", max_digits=12, decimal_places=2, null=True, blank=True)
    include_retirees = models.BooleanField("含退休会员", default=False)
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "title"], name="checkup_round_unique_title"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="checkup_round_dates_in_order"
            ),
            models.CheckConstraint(
                condition=models.Q(cost_per_person__isnull=True) | models.Q(cost_per_person__gt=0),
                name="checkup_round_cost_positive",
            ),
        ]

    def __str__(self):
        return self.title


class Entry(models.Model):
    """One person on a round's list. No result, no diagnosis: only whether they went."""

    class Status(models.TextChoices):
        PENDING = "pending", "未检"
        DONE = "done", "已检"
        DECLINED = "declined", "放弃"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="entries")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="checkup_entries")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    status_on = models.DateField("日期", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member__name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="checkup_entry_once_a_round"),
            models.CheckConstraint(
                condition=models.Q(status="pending", status_on__isnull=True)
                | (~models.Q(status="pending") & models.Q(status_on__isnull=False)),
                name="checkup_entry_dated_unless_pending",
            ),
        ]

    def __str__(self):
        return f"{self.round} {self.member} {self.get_status_display()}"
