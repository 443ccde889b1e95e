"""工作计划: the union's plan for a year or a term — 指导思想, the sections of 主要工作, and the
schedule (工作安排) of items by month, quarter or week.

An item may be linked to the record that fulfils it (an activity, a congress session, a greeting
batch…, see plans/links.py); its status then follows that record. An unlinked item's status is set
by hand once its time has come. The plan's `remainder` is what an import could not place, kept as
text for the chair to move into the plan.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org


class Plan(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", "年度计划"
        SCHOOL_YEAR = "school_year", "学年计划"
        SEMESTER = "semester", "学期计划"

    class Season(models.TextChoices):
        SPRING = "spring", "春季学期"
        AUTUMN = "autumn", "秋季学期"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("计划类型", max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    # 年度: the calendar year; 学年: the year it begins (2024 = 2024—2025学年); 学期: the calendar
    # year the term begins in (2025年春季学期 runs Feb–Jul 2025, 2025年秋季学期 Sep 2025–Jan 2026).
    year = models.PositiveSmallIntegerField("年度")
    season = models.CharField("学期", max_length=10, choices=Season.choices, blank=True)
    # Week numbers count from the Monday of the week this date falls in (开学日期).
    starts_on = models.DateField("开学（起始）日期")
    guidance = models.TextField("指导思想", blank=True)
    remainder = models.TextField("待归类的文字", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["-year", "-starts_on", "-id"]
        indexes = [models.Index(fields=["org", "year"], name="plan_org_year")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="semester") | ~models.Q(season=""), name="plan_semester_has_season"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.SCHOOL_YEAR:
            return f"{self.year}—{self.year + 1}学年"
        if self.kind == self.Kind.SEMESTER:
            return f"{self.year}年{self.get_season_display()}"
        return f"{self.year}年度"


class Section(models.Model):
    """One part of 主要工作: a heading and its text."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField("标题", max_length=300)
    text = models.TextField("内容", blank=True)
    position = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Item(models.Model):
    """One line of the schedule: what is to be done and when (a month, a quarter or a week)."""

    class PeriodKind(models.TextChoices):
        MONTH = "month", "月份"
        QUARTER = "quarter", "季度"
        WEEK = "week", "周次"
        NONE = "", "时间待定"

    class Status(models.TextChoices):
        PLANNED = "planned", "计划中"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已取消"
        LATE = "late", "已逾期"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    period_kind = models.CharField("时间单位", max_length=10, choices=PeriodKind.choices, blank=True)
    period_start = models.PositiveSmallIntegerField("时间", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("至", null=True, blank=True)
    text = models.TextField("工作内容")
    position = models.PositiveIntegerField("顺序", default=0)
    # Set by hand for an unlinked item (planned / done / cancelled); "late" is never stored.
    manual_status = models.CharField(
        "完成情况", max_length=10, choices=Status.choices[:3], default=Status.PLANNED
    )
    # The record that fulfils the item: a key of plans.links.REGISTRY and that record's id.
    link_kind = models.CharField("关联类型", max_length=30, blank=True)
    link_id = models.PositiveBigIntegerField("关联记录", null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["org", "plan"], name="plan_item_org_plan"),
            models.Index(fields=["org", "link_kind", "link_id"], name="plan_item_link"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(link_kind="") & models.Q(link_id__isnull=True))
                | (~models.Q(link_kind="") & models.Q(link_id__isnull=False)),
                name="plan_item_link_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(period_kind="", period_start__isnull=True)
                | (~models.Q(period_kind="") & models.Q(period_start__isnull=False)),
                name="plan_item_period_pair",
            ),
        ]

    def __str__(self):
        return self.text[:60]
