"""会费 and the funds ledger.

- SalaryBase: one member's salary items for a month (from the payroll sheet), and the base and
  dues computed from them by the rule in force when they were recorded.
- LedgerEntry: a voucher line in an account. Entries are append-only, in the services and in the
  database (core/append_only.py): a mistake is corrected by a reversing entry, which carries the
  opposite amount in the same kind and category and cites the entry it reverses.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member

INCOME_CATEGORIES = [
    "会费收入",
    "拨缴经费收入",
    "上级补助收入",
    "行政补助收入",
    "事业收入",
    "投资收益",
    "其他收入",
]
# 总工办发〔2017〕32号: expense categories with their subcategories.
EXPENSE_CATEGORIES = {
    "职工活动支出": ["职工教育活动", "文体活动", "宣传活动", "集体福利"],
    "维权支出": ["劳动关系协调", "劳动保护", "法律援助", "困难帮扶", "送温暖"],
    "业务支出": ["培训", "会议", "专项业务"],
    "资本性支出": [],
    "事业支出": [],
    "其他支出": [],
}


class SalaryBase(models.Model):
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="salary_bases")
    month = models.DateField("月份")  # the first day of the month
    components = models.JSONField("工资项目", default=dict)  # {"岗位工资": "2830.00", ...}
    pay = models.DecimalField("计缴项目合计", max_digits=10, decimal_places=2)
    base = models.DecimalField("计缴基数", max_digits=10, decimal_places=2)
    dues = models.DecimalField("应缴会费", max_digits=9, decimal_places=2)
    exempt = models.CharField("免缴原因", max_length=40, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "member__name_pinyin"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="salary_base_one_per_month")]
        indexes = [models.Index(fields=["org", "month"], name="salary_base_org_month")]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m}"


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        INCOME = "income", "收入"
        EXPENSE = "expense", "支出"

    class Account(models.TextChoices):
        BANK = "bank", "银行存款"
        CASH = "cash", "库存现金"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    account = models.CharField("账户", max_length=10, choices=Account.choices, default=Account.BANK)
    date = models.DateField("日期")
    kind = models.CharField("收支", max_length=10, choices=Kind.choices)
    category = models.CharField("科目", max_length=30)
    subcategory = models.CharField("明细科目", max_length=30, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)  # negative on a reversal
    payee = models.CharField("收付款单位/人", max_length=100, blank=True)
    memo = models.CharField("摘要", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["org", "date"], name="ledger_org_date")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_amount_not_zero"),
            # Only a reversal is negative, and it cites what it reverses.
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, reverses__isnull=True)
                | models.Q(amount__lt=0, reverses__isnull=False),
                name="ledger_negative_only_as_reversal",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.category} {self.amount}"


class DuesPayment(models.Model):
    """A member's dues for a month, collected by the payroll deduction of the whole roll (one
    ledger entry for all) or paid individually (an entry of its own)."""

    class Method(models.TextChoices):
        PAYROLL = "payroll", "工资代扣"
        INDIVIDUAL = "individual", "个人缴纳"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments")
    month = models.DateField("月份")
    amount = models.DecimalField("金额", max_digits=9, decimal_places=2)
    method = models.CharField("方式", max_length=12, choices=Method.choices)
    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="dues_payments")
    paid_on = models.DateField("缴纳日期")

    class Meta:
        ordering = ["month", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_paid_once_a_month")]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m} {self.amount}"


class YearSignOff(models.Model):
    """经审: the audit committee signs a year's accounts; a signed year takes no new entries."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    opinion = models.TextField("审查意见")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="year_signed_once")]

    def __str__(self):
        return f"{self.year} 年度经审签字"


class EntryComment(models.Model):
    """An auditor's remark on a ledger entry."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField("意见", max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:30]
