"""维权: the school's labour-dispute mediation committee (劳动争议调解委员会) and its confidential
cases, and the collective contract (集体合同, with the 女职工权益保护专项集体合同 clauses) with the
union's compliance checks.

- MediationCommittee / MediatorSeat: the committee of one term and its members by side (工会代表,
  学校代表, 职工代表); the union's side chairs it.
- MediationCase / Hearing: a dispute brought to the committee. Its text (claims, facts, minutes, the
  agreement) is confidential: the chair and the mediators sitting on the case read it; the audit
  rows name the fields changed, never their text, and a case's str() is its number only.
- CollectiveContract / ContractClause / ClauseCheck / ContractReview: the contract, its clauses by
  chapter, the union's checks per clause (履行 / 部分履行 / 未履行) and the yearly reviews.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


class MediationCommittee(models.Model):
    """劳动争议调解委员会 of one term (届)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    formed_on = models.DateField("成立（换届）日期")
    ends_on = models.DateField("任期届满日期")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-formed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("formed_on")), name="rights_committee_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"劳动争议调解委员会（{self.formed_on:%Y-%m-%d} 至 {self.ends_on:%Y-%m-%d}）"


class MediatorSeat(models.Model):
    class Side(models.TextChoices):
        UNION = "union", "工会代表"
        SCHOOL = "school", "学校（行政）代表"
        STAFF = "staff", "职工代表"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(MediationCommittee, on_delete=models.PROTECT, related_name="seats")
    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.PROTECT, related_name="+")
    side = models.CharField("代表方", max_length=10, choices=Side.choices)
    is_chair = models.BooleanField("主任", default=False)
    since = models.DateField("任职日期")
    until = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        ordering = ["-is_chair", "side", "since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "member"],
                condition=models.Q(until__isnull=True),
                name="rights_seat_once_per_committee",
            ),
        ]

    def __str__(self):
        return f"{self.member.name}（{self.get_side_display()}）"


class MediationCase(models.Model):
    class Subject(models.TextChoices):
        PAY = "pay", "劳动报酬"
        LEAVE = "leave", "休息休假"
        TITLE = "title", "职称评聘"
        APPRAISAL = "appraisal", "考核奖惩"
        CONTRACT = "contract", "劳动合同"
        INSURANCE = "insurance", "社会保险"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        APPLIED = "applied", "申请"
        ACCEPTED = "accepted", "受理"
        REJECTED = "rejected", "不予受理"
        MEDIATING = "mediating", "调解中"
        AGREED = "agreed", "达成协议"
        FAILED = "failed", "调解不成"
        WITHDRAWN = "withdrawn", "撤回"
        CLOSED = "closed", "结案"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("编号")
    applicants = models.ManyToManyField(Member, verbose_name="申请人", blank=True, related_name="+")
    applicant_text = models.CharField("申请人（名册外）", max_length=100, blank=True)
    respondent_member = models.ForeignKey(
        Member, verbose_name="被申请人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    respondent_text = models.CharField("被申请人", max_length=100, blank=True)
    subject = models.CharField("争议事项", max_length=12, choices=Subject.choices)
    claim = models.TextField("申请事项", blank=True)
    facts = models.TextField("事实和理由", blank=True)
    applied_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    deadline = models.DateField("调解期限", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.APPLIED)
    ended_as = models.CharField("调解结果", max_length=12, choices=Status.choices, blank=True)
    reason = models.TextField("不予受理或调解不成的说明", blank=True)
    outcome = models.TextField("处理结果", blank=True)
    agreement = models.TextField("调解协议内容", blank=True)
    agreed_on = models.DateField("达成协议日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    mediators = models.ManyToManyField(MediatorSeat, verbose_name="调解员", blank=True, related_name="cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "number"], name="rights_case_unique_number"),
        ]

    def __str__(self):
        # Names nothing: this text lands in the audit trail, which others read.
        return f"调字〔{self.year}〕第{self.number}号"

    @property
    def respondent(self) -> str:
        return self.respondent_member.name if self.respondent_member_id else self.respondent_text

    def applicant_names(self) -> list[str]:
        names = [m.name for m in self.applicants.all()]
        if self.applicant_text:
            names.append(self.applicant_text)
        return names


class Hearing(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(MediationCase, on_delete=models.PROTECT, related_name="hearings")
    held_on = models.DateField("调解日期")
    place = models.CharField("地点", max_length=100)
    present = models.CharField("到场人员", max_length=300)
    minutes = models.TextField("调解记录")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.case} 调解 {self.held_on:%Y-%m-%d}"


class CollectiveContract(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("合同名称", max_length=100)
    signed_on = models.DateField("签订日期")
    starts_on = models.DateField("生效日期")
    ends_on = models.DateField("期满日期")
    congress = models.ForeignKey(
        "congress.Congress",
        verbose_name="通过的教代会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adopted_on = models.DateField("教代会通过日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "title"], name="rights_contract_unique_title"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="rights_contract_dates_in_order"
            ),
        ]

    def __str__(self):
        return self.title


class ContractClause(models.Model):
    class Chapter(models.TextChoices):
        PAY = "pay", "劳动报酬"
        HOURS = "hours", "工作时间和休息休假"
        SAFETY = "safety", "劳动安全卫生"
        WELFARE = "welfare", "保险福利"
        TRAINING = "training", "职业培训"
        WOMEN = "women", "女职工特殊保护"
        OTHER = "other", "其他"

    class Topic(models.TextChoices):
        MENSES = "menses", "经期保护"
        PREGNANCY = "pregnancy", "孕期保护"
        MATERNITY = "maternity", "产期保护"
        NURSING = "nursing", "哺乳期保护"
        CHECKUP = "checkup", "妇科检查"
        OTHER = "other", "其他"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(CollectiveContract, on_delete=models.PROTECT, related_name="clauses")
    chapter = models.CharField("章", max_length=10, choices=Chapter.choices)
    number = models.PositiveSmallIntegerField("条")
    topic = models.CharField("女职工保护事项", max_length=10, choices=Topic.choices, blank=True)
    text = models.TextField("条款内容")

    class Meta:
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="rights_clause_unique_number"),
        ]

    def __str__(self):
        return f"第{self.number}条"

    @property
    def is_women(self) -> bool:
        return self.chapter == self.Chapter.WOMEN


class ClauseCheck(models.Model):
    class Finding(models.TextChoices):
        MET = "met", "履行"
        PARTLY = "partly", "部分履行"
        NOT_MET = "not_met", "未履行"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    clause = models.ForeignKey(ContractClause, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField("检查日期")
    checked_by = models.CharField("检查人", max_length=100)
    finding = models.CharField("结论", max_length=10, choices=Finding.choices)
    note = models.CharField("情况说明", max_length=500, blank=True)
    follow_up = models.CharField("整改跟进", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["clause", "checked_on"], name="rights_check_clause_day")]

    def __str__(self):
        return f"{self.clause} {self.checked_on:%Y-%m-%d} {self.get_finding_display()}"


class ContractReview(models.Model):
    """The yearly review (履约情况审议), usually at the 教代会 or a 职代会 joint meeting."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(CollectiveContract, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField("审议日期")
    note = models.CharField("审议情况", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.contract} 审议 {self.reviewed_on:%Y-%m-%d}"
