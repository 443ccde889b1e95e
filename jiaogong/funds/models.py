"""会费 and the funds ledger.

- SalaryBase: one member's salary items for a month (from the payroll sheet), and the base and
  dues computed from them by the rule in force when they were recorded.
- LedgerEntry: a voucher line in an account. Entries are append-only, in the services and in the
  database (core/append_only.py): a mistake is corrected by a reversing entry, which carries the
  opposite amount in the same kind and category and cites the entry it reverses.
"""

import uuid

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
# The federation's share of 拨缴经费 leaves the account as its own line (工会会计制度 上解上级支出);
# only the remittance service writes it.
REMITTANCE_CATEGORY = "上解上级支出"
TRANSFER_CATEGORY = "内部转账"


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
        TRANSFER = "transfer", "内部转账"  # cash ↔ bank: moves money between accounts, neither

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
    # A transfer's receiving account (the entry's own account gives the money).
    counter_account = models.CharField("转入账户", max_length=10, choices=Account.choices, blank=True)
    # An activity expense paid from 会费 (the 3 × 会费 top-up ceiling counts these).
    from_dues = models.BooleanField("会费列支", default=False)
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
            models.CheckConstraint(
                condition=(
                    models.Q(kind="transfer")
                    & ~models.Q(counter_account="")
                    & ~models.Q(counter_account=models.F("account"))
                )
                | (~models.Q(kind="transfer") & models.Q(counter_account="")),
                name="ledger_transfer_names_the_other_account",
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


def voucher_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"vouchers/{instance.entry.org_id}/{instance.entry.date:%Y}/{instance.entry_id}-{uuid.uuid4().hex[:12]}.{ext}"


class Attachment(models.Model):
    """A receipt scan or invoice (image or PDF) kept with a voucher; never replaced or removed."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("附件", upload_to=voucher_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class Budget(models.Model):
    """The year's budget for one income or expense category (a plan, revised with an audit trail)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("收支", max_length=10, choices=LedgerEntry.Kind.choices[:2])
    category = models.CharField("科目", max_length=30)
    amount = models.DecimalField("预算", max_digits=12, decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "kind", "category"], name="budget_one_per_category"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.year} {self.category} {self.amount}"


class AllocationMonth(models.Model):
    """拨缴经费 for a month: the school's total payroll and the 2 % due on it (by the 15th of the
    next month)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    month = models.DateField("工资月份")  # the first day of the payroll month
    payroll_total = models.DecimalField("全部职工工资总额", max_digits=14, decimal_places=2)
    rate = models.DecimalField("拨缴比例", max_digits=6, decimal_places=4)
    due = models.DecimalField("应拨缴", max_digits=12, decimal_places=2)
    due_on = models.DateField("截止日")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="allocation_one_per_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} 拨缴经费 {self.due}"


class AllocationPayment(models.Model):
    """拨缴经费 received for a payroll month (with the late fee, where the province charges one)."""

    allocation = models.ForeignKey(AllocationMonth, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField("拨缴金额", max_digits=12, decimal_places=2)
    late_fee = models.DecimalField("滞纳金", max_digits=12, decimal_places=2, default=0)
    paid_on = models.DateField("到账日期")
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="allocation_payment")

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_paid_positive")
        ]

    def __str__(self):
        return f"{self.allocation.month:%Y-%m} 拨缴经费到账 {self.amount}"


class Remittance(models.Model):
    """上解: the federation's share of a month's 拨缴经费, sent up."""

    allocation = models.ForeignKey(AllocationMonth, on_delete=models.PROTECT, related_name="remittances")
    amount = models.DecimalField("上解金额", max_digits=12, decimal_places=2)
    remitted_on = models.DateField("上解日期")
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="remittance")

    class Meta:
        ordering = ["remitted_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="remittance_positive")]

    def __str__(self):
        return f"{self.allocation.month:%Y-%m} 上解 {self.amount}"


class Benefit(models.Model):
    """A 慰问 given to a member (festival goods, a birthday cake voucher, a hospital visit's
    慰问金…), checked against the caps in force; an override carries the chair's reason."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField("慰问类别", max_length=20)
    festival = models.CharField("节日", max_length=10, blank=True)
    form = models.CharField("形式", max_length=20)
    amount = models.DecimalField("金额", max_digits=9, decimal_places=2)
    date = models.DateField("发放日期")
    memo = models.CharField("说明", max_length=200, blank=True)
    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="benefits"
    )
    override_reason = models.CharField("超标准理由", max_length=200, blank=True)
    override_rule = models.CharField("超出的标准", max_length=200, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["member", "date"], name="benefit_member_date")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="benefit_positive")]

    def __str__(self):
        return f"{self.member} {self.kind_label} {self.amount}"

    @property
    def kind_label(self) -> str:
        from jiaogong.funds.caps import KIND_LABELS

        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def form_label(self) -> str:
        from jiaogong.funds.caps import FORM_LABELS

        return FORM_LABELS.get(self.form, self.form)


class DuesReminder(models.Model):
    """催缴: the finance member reminded a member of the dues they owe (how, for which months)."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "当面"
        PHONE = "phone", "电话"
        MESSAGE = "message", "微信/短信"
        NOTICE = "notice", "书面通知"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_reminders")
    months = models.JSONField("欠缴月份")  # ["2026-09", "2026-10"]
    amount = models.DecimalField("欠缴金额", max_digits=9, decimal_places=2)
    method = models.CharField("方式", max_length=12, choices=Method.choices)
    reminded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reminded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reminded_at", "-id"]

    def __str__(self):
        return f"{self.member} 催缴 {self.amount}"
