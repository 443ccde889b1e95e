"""困难职工档案: the national archive of a hardship family, its yearly review (摸底), the help it
received and who has read it.

- HardshipFile: one family's file (the worker, the figures, the computed category and the inputs
  it was computed from — recomputed on each change). One open file per member.
- HouseholdMember: the family members (a child table of the file).
- CategoryChange: every computed category, with the figures and parameters it came from
  (append-only: the history of the file's category).
- Review: the yearly re-check: the figures then, the category then, keep / adjust / close
  (append-only).
- HelpRecord: help given (生活救助, 医疗救助…); an amount is posted to the ledger and the voucher
  cited (append-only).
- FileRead: who opened the file, when and how (web, api, export) (append-only).

Privacy: only the chair and the welfare member (hardship.view) see any of it.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.hardship import rules
from jiaogong.members.models import Member


class Category(models.TextChoices):
    DEEP = rules.DEEP, rules.LABELS[rules.DEEP]
    RELATIVE = rules.RELATIVE, rules.LABELS[rules.RELATIVE]
    ACCIDENT = rules.ACCIDENT, rules.LABELS[rules.ACCIDENT]
    NONE = rules.NONE, rules.LABELS[rules.NONE]


CAUSES = {
    "illness": "因病",
    "disability": "因残",
    "disaster": "因灾",
    "accident": "因意外",
    "schooling": "子女就学",
    "single_parent": "单亲",
    "low_income": "失业/收入低",
    "other": "其他",
}

HOUSING = {
    "own": "自有住房",
    "rent": "租房",
    "borrowed": "借住",
    "dormitory": "单位宿舍",
    "none": "无固定住所",
}

INCOME_KINDS = ["工资收入", "配偶收入", "其他家庭成员收入", "养老金", "经营收入", "补贴救助", "其他收入"]
EXPENSE_KINDS = ["医疗", "教育", "住房", "赡养", "其他"]


def money(label: str, **kwargs):
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)


class HardshipFile(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        Member, verbose_name="职工", on_delete=models.PROTECT, related_name="hardship_files"
    )
    # The computed category and the inputs it was computed from.
    category = models.CharField("困难类别", max_length=10, choices=Category.choices)
    categories = models.JSONField("符合的类别", default=list)
    reasons = models.JSONField("认定理由", default=list)
    per_capita_monthly = money("家庭人均月收入")
    household_size = models.PositiveSmallIntegerField("家庭人口")
    annual_income = money("家庭年收入")
    rigid_expenses = money("刚性支出")
    hardship_costs = money("当年致困支出")
    dibao_monthly = money("当地低保标准（元/人·月）")
    major_incident = models.BooleanField("家庭成员在重大事故中伤亡", default=False)
    relative_multiple = models.DecimalField("相对困难倍数", max_digits=5, decimal_places=2)
    accident_cost_share = models.DecimalField("意外致困比例", max_digits=5, decimal_places=4)
    income_items = models.JSONField("收入明细", default=list, blank=True)  # [{"kind", "amount"}]
    expense_items = models.JSONField("刚性支出明细", default=list, blank=True)  # [{"kind", "amount"}]
    # The rest of the archive.
    causes = models.JSONField("致困原因", default=list, blank=True)  # keys of CAUSES
    health = models.CharField("本人健康状况", max_length=200, blank=True)
    locality = models.CharField("所在地（低保标准所属）", max_length=100, blank=True)
    housing = models.CharField("住房情况", max_length=20, blank=True, choices=list(HOUSING.items()))
    housing_note = models.CharField("住房说明", max_length=200, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    opened_on = models.DateField("建档日期")
    closed_on = models.DateField("销档日期", null=True, blank=True)
    close_reason = models.CharField("销档原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["org", "closed_on"], name="hardship_file_org_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(closed_on__isnull=True), name="hardship_one_open_file"
            ),
            models.CheckConstraint(condition=models.Q(household_size__gte=1), name="hardship_household_size"),
            models.CheckConstraint(condition=models.Q(dibao_monthly__gt=0), name="hardship_dibao_positive"),
        ]

    def __str__(self):
        # Neutral: the audit trail (read by more people than the file) shows this, not the name.
        return f"困难职工档案第 {self.pk} 号"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def cause_labels(self) -> list[str]:
        return [CAUSES[c] for c in self.causes if c in CAUSES]


class HouseholdMember(models.Model):
    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="household")
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("与职工关系", max_length=20)
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True)
    occupation = models.CharField("职业/状况", max_length=50, blank=True)
    health = models.CharField("健康状况", max_length=100, blank=True)
    annual_income = money("年收入", null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.relation} {self.name}"


class CategoryChange(models.Model):
    """One computed category of a file (at creation, on each change, at a review)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="category_history")
    category = models.CharField("困难类别", max_length=10, choices=Category.choices)
    per_capita_monthly = money("家庭人均月收入")
    inputs = models.JSONField("计算依据")
    reasons = models.JSONField("认定理由", default=list)
    cause = models.CharField("原因", max_length=20)  # create | edit | review
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"困难职工档案第 {self.file_id} 号 类别 {self.get_category_display()}"


class Review(models.Model):
    class Conclusion(models.TextChoices):
        KEEP = "keep", "维持"
        ADJUST = "adjust", "调整"
        CLOSE = "close", "销档"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField("复核日期")
    year = models.PositiveSmallIntegerField("年度")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="复核人", on_delete=models.PROTECT, related_name="+"
    )
    figures = models.JSONField("当时的数据")
    category = models.CharField("当时的类别", max_length=10, choices=Category.choices)
    per_capita_monthly = money("家庭人均月收入")
    conclusion = models.CharField("复核结论", max_length=10, choices=Conclusion.choices)
    note = models.CharField("复核说明", max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["org", "year"], name="hardship_review_org_year")]

    def __str__(self):
        return f"困难职工档案第 {self.file_id} 号 {self.year} 年度复核"


class HelpRecord(models.Model):
    class Kind(models.TextChoices):
        LIVING = "living", "生活救助"
        MEDICAL = "medical", "医疗救助"
        EDUCATION = "education", "子女助学"
        LEGAL = "legal", "法律援助"
        EMPLOYMENT = "employment", "就业服务"
        ACCIDENT = "accident", "意外保障"

    class Form(models.TextChoices):
        CASH = "cash", "现金"
        TRANSFER = "transfer", "银行转账"
        GOODS = "goods", "实物"
        SERVICE = "service", "服务"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="help_records")
    kind = models.CharField("帮扶类型", max_length=12, choices=Kind.choices)
    given_on = models.DateField("帮扶日期")
    amount = money("金额", null=True, blank=True)
    form = models.CharField("形式", max_length=10, choices=Form.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    ledger_entry = models.OneToOneField(
        "funds.LedgerEntry",
        verbose_name="记账凭证",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hardship_help",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="hardship_help_amount"
            ),
            # An amount is posted to the ledger; help without money (就业服务, 法律援助 in kind) is not.
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True, ledger_entry__isnull=True)
                | models.Q(amount__isnull=False, ledger_entry__isnull=False),
                name="hardship_help_amount_posted",
            ),
        ]

    def __str__(self):
        return f"困难职工档案第 {self.file_id} 号 帮扶记录"


class FileRead(models.Model):
    class Via(models.TextChoices):
        WEB = "web", "网页"
        API = "api", "接口"
        EXPORT = "export", "导出"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField("方式", max_length=10, choices=Via.choices)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["file", "at"], name="hardship_read_file_at")]

    def __str__(self):
        return f"困难职工档案第 {self.file_id} 号 查阅"
