from django.conf import settings
from django.db import models

from jiaogong.core.provinces import PROVINCE_CHOICES


class Org(models.Model):
    """A union organisation: a district federation or a school union (the tenant)."""

    class Kind(models.TextChoices):
        FEDERATION = "federation", "教育工会（联合会）"
        SCHOOL = "school", "学校工会"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级工会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.CharField("省份", max_length=10, choices=PROVINCE_CHOICES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "工会组织"
        verbose_name_plural = "工会组织"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_federation(self) -> bool:
        return self.kind == self.Kind.FEDERATION


class RuleValue(models.Model):
    """One value of a rule parameter at one scope: national default, province, or one org.

    The value in force for an org is the org's own, else its province's, else the national one
    (see jiaogong.core.rules.value_for). National and province rows are shipped from the
    catalogue in rules.py; org rows are set on the rule page and audited.
    """

    class Scope(models.TextChoices):
        NATIONAL = "national", "全国默认"
        PROVINCE = "province", "省级"
        ORG = "org", "本单位"

    key = models.CharField("参数", max_length=80)
    scope = models.CharField("层级", max_length=10, choices=Scope.choices)
    province = models.CharField("省份", max_length=10, blank=True, choices=PROVINCE_CHOICES)
    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.CASCADE, related_name="rule_values")
    value = models.JSONField("取值")
    source = models.CharField("依据", max_length=300)
    shipped = models.BooleanField("随软件提供", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "规则参数"
        verbose_name_plural = "规则参数"
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(scope="national"), name="rule_one_national_value"
            ),
            models.UniqueConstraint(
                fields=["key", "province"],
                condition=models.Q(scope="province"),
                name="rule_one_province_value",
            ),
            models.UniqueConstraint(
                fields=["org", "key"], condition=models.Q(scope="org"), name="rule_one_org_value"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scope="national", org__isnull=True, province="")
                    | models.Q(scope="province", org__isnull=True) & ~models.Q(province="")
                    | models.Q(scope="org", org__isnull=False)
                ),
                name="rule_scope_fields_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.key}@{self.scope}"


class AuditEvent(models.Model):
    """Who did what, when, to which object; with the changed fields before and after.

    Append-only: the application never updates or deletes these rows.
    """

    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=80)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["org", "-at"], name="audit_org_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Holiday(models.Model):
    """One day of the State Council holiday schedule entered by an admin (RULES.md §5 "holidays").

    Overrides the table shipped in chinese_calendar (jiaogong.core.workdays): an admin enters next
    year's schedule when it is published each November/December, or corrects a shipped day.
    """

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField(
        "上班", default=False, help_text="勾选：这一天上班（如调休上班的周末）；不勾选：这一天放假。"
    )
    name = models.CharField("名称", max_length=60, help_text="如“2027年春节”“调休上班”。")
    note = models.CharField("备注", max_length=200, blank=True, help_text="如国务院办公厅通知的文号。")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "节假日与调休（覆盖内置表）"
        verbose_name_plural = "节假日与调休（覆盖内置表）"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}（{'上班' if self.is_working_day else '放假'}）"


class ScheduledRun(models.Model):
    """When a job of `settings.JIAOGONG_SCHEDULE` last ran (core/schedule.py decides what is due):
    kept in the database so a restart, or a second scheduler, never runs a job twice."""

    job = models.CharField("任务", max_length=200, unique=True)
    last_run_at = models.DateTimeField("上次运行", null=True, blank=True)
    last_finished_at = models.DateTimeField("上次完成", null=True, blank=True)
    last_error = models.TextField("上次错误", blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"

    def __str__(self):
        return self.job
