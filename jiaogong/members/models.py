from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members import rules


class UnionGroup(models.Model):
    """工会小组: usually one per 教研组 or 年级组."""

    class Kind(models.TextChoices):
        SUBJECT = "subject", "教研组"
        GRADE = "grade", "年级组"
        OFFICE = "office", "处室"
        RETIREES = "retirees", "退休"
        OTHER = "other", "其他"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="union_groups")
    name = models.CharField("小组名称", max_length=50)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.SUBJECT)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "工会小组"
        verbose_name_plural = "工会小组"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="union_group_unique_name")]

    def __str__(self):
        return self.name


class Member(models.Model):
    """会员 (and non-member staff): the 实名制 registry of one school union."""

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Status(models.TextChoices):
        APPLICANT = "applicant", "申请入会"
        ACTIVE = "active", "在册"
        RETIRED = "retired", "退休"
        TRANSFERRED = "transferred", "调出"
        DECEASED = "deceased", "去世"
        NON_MEMBER = "non_member", "非会员职工"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField(max_length=120, editable=False, db_index=False)
    name_initials = models.CharField(max_length=30, editable=False)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    phone = models.CharField("手机", max_length=20, blank=True)
    hire_date = models.DateField("入职日期", null=True, blank=True)
    is_teacher = models.BooleanField("是否教师", default=True)
    is_cadre = models.BooleanField("中层以上干部", default=False)
    post = models.CharField("岗位/职务", max_length=50, blank=True)
    union_group = models.ForeignKey(
        UnionGroup,
        verbose_name="工会小组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    joined_on = models.DateField("入会日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField("状态日期", null=True, blank=True)
    transferred_to = models.CharField("调往单位", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "会员"
        verbose_name_plural = "会员"
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "id_number"], condition=~models.Q(id_number=""), name="member_unique_id_number"
            ),
        ]
        indexes = [
            models.Index(fields=["org", "name_pinyin"], name="member_org_pinyin"),
            models.Index(fields=["org", "name_initials"], name="member_org_initials"),
            models.Index(fields=["org", "status"], name="member_org_status"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin, self.name_initials = rules.pinyin_of(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return rules.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return rules.mask_phone(self.phone)

    def age(self, today) -> int:
        return rules.age_on(self.birth_date, today)

    def service_years(self, today) -> int | None:
        return rules.service_years(self.hire_date, today)

    @property
    def is_member(self) -> bool:
        return self.status in {self.Status.ACTIVE, self.Status.RETIRED}


class MemberStatusChange(models.Model):
    """One dated step of a member's status history (入会, 退休, 调出 with destination, 去世, …)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=20, choices=Member.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Member.Status.choices)
    effective_on = models.DateField("生效日期")
    destination = models.CharField("调往单位", max_length=100, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["-effective_on", "-id"]

    def __str__(self):
        return f"{self.member} {self.get_from_status_display()}→{self.get_to_status_display()}"


class GroupLeader(models.Model):
    """A 工会小组长 (or deputy), with the date of the group's election."""

    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY = "deputy", "副组长"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(UnionGroup, on_delete=models.CASCADE, related_name="leaders")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="group_leaderships")
    role = models.CharField("职务", max_length=10, choices=Role.choices, default=Role.LEADER)
    elected_on = models.DateField("选举日期")
    ended_on = models.DateField("卸任日期", null=True, blank=True)

    class Meta:
        verbose_name = "小组长"
        verbose_name_plural = "小组长"
        ordering = ["group__name", "role", "-elected_on"]

    def __str__(self):
        return f"{self.group} {self.get_role_display()} {self.member}"


class CommitteeTerm(models.Model):
    """One term (届) of a union body: the 工会委员会, 女职工委员会 or 经费审查委员会."""

    class Body(models.TextChoices):
        UNION = "union", "工会委员会"
        WOMEN = "women", "女职工委员会"
        AUDIT = "audit", "经费审查委员会"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="committee_terms")
    body = models.CharField("机构", max_length=10, choices=Body.choices)
    number = models.PositiveSmallIntegerField("届次")
    elected_on = models.DateField("选举日期")
    years = models.PositiveSmallIntegerField("任期（年）")
    closed_on = models.DateField("届满/换届日期", null=True, blank=True)

    class Meta:
        verbose_name = "委员会届次"
        verbose_name_plural = "委员会届次"
        ordering = ["body", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "body", "number"], name="committee_term_unique")
        ]

    def __str__(self):
        return f"第{self.number}届{self.get_body_display()}"

    @property
    def ends_on(self):
        return rules.add_years(self.elected_on, self.years)


class CommitteeSeat(models.Model):
    """A member's seat on a committee term, with position and portfolio (分工)."""

    class Position(models.TextChoices):
        CHAIR = "chair", "主席/主任"
        VICE_CHAIR = "vice_chair", "副主席/副主任"
        MEMBER = "member", "委员"

    class Portfolio(models.TextChoices):
        NONE = "", "—"
        ORGANIZATION = "organization", "组织"
        PUBLICITY = "publicity", "宣传"
        SPORTS_CULTURE = "sports_culture", "文体"
        WELFARE = "welfare", "生活福利"
        WOMEN = "women", "女工"
        FINANCE = "finance", "财务"
        RIGHTS = "rights", "劳动保护/维权"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(CommitteeTerm, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="committee_seats")
    position = models.CharField("职务", max_length=20, choices=Position.choices, default=Position.MEMBER)
    portfolio = models.CharField("分工", max_length=20, choices=Portfolio.choices, blank=True)
    since = models.DateField("任职日期")
    until = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "委员"
        verbose_name_plural = "委员"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "member"],
                condition=models.Q(until__isnull=True),
                name="committee_seat_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.term} · {self.member}"
