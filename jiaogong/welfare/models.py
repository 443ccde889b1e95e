"""送温暖: 五必访 care events and their visits, and greeting batches (节日慰问, 生日慰问).

A care event is what a member reports (a colleague in hospital, a wedding, a bereavement…): it
moves from reported to assigned (a visitor and a due date) to visited. The visit itself is
evidence — who went, when, what was given — and is append-only, like its photos and the
money (a funds.Benefit and its ledger voucher, through the caps engine).
"""

import uuid

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


class CareEvent(models.Model):
    """A 五必访 trigger reported for a member; `kind` is a key of the rule "welfare.triggers"."""

    class Status(models.TextChoices):
        NEW = "new", "待分派"
        ASSIGNED = "assigned", "待走访"
        VISITED = "visited", "已走访"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="care_events")
    kind = models.CharField("事由", max_length=30)
    occurred_on = models.DateField("发生日期")
    note = models.CharField("简要说明", max_length=200, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField("报告日期")
    reported_at = models.DateTimeField(auto_now_add=True)
    visit_due_on = models.DateField("应走访日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NEW)
    visitor = models.ForeignKey(
        Member,
        verbose_name="走访负责人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_visits_assigned",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["visit_due_on", "id"]
        indexes = [
            models.Index(fields=["org", "status", "visit_due_on"], name="care_event_queue"),
            models.Index(fields=["org", "visitor"], name="care_event_visitor"),
        ]

    def __str__(self):
        return f"{self.member} {self.kind} {self.occurred_on}"

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.VISITED and self.visit_due_on < today


class Visit(models.Model):
    """The visit of a care event (one per event): append-only evidence."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(CareEvent, on_delete=models.PROTECT, related_name="visit")
    visited_on = models.DateField("走访日期")
    visitors = models.ManyToManyField(Member, verbose_name="走访人", related_name="care_visits_made")
    form = models.CharField("慰问形式", max_length=20, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, null=True, blank=True)
    caps_kind = models.CharField("慰问标准类别", max_length=20, blank=True)
    benefit = models.OneToOneField(
        "funds.Benefit", on_delete=models.PROTECT, null=True, blank=True, related_name="care_visit"
    )
    note = models.CharField("走访情况", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="visit_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.event} 走访 {self.visited_on}"


def photo_path(instance, filename):
    ext = "png" if instance.content_type == "image/png" else "jpg"
    return f"welfare/{instance.visit.org_id}/{instance.visit.visited_on:%Y}/{instance.visit_id}-{uuid.uuid4().hex[:12]}.{ext}"


class VisitPhoto(models.Model):
    """A photo of the visit (JPG/PNG by content); served only through a permission-checked view."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to=photo_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class GreetingBatch(models.Model):
    """A batch of 慰问 given at once: a festival's goods (节日慰问) or a month's birthdays (生日慰问).

    Built as a draft (recipients by rule, an amount per class of recipient), previewed against
    every member's remaining allowance, then posted all-or-nothing in one voucher."""

    class Kind(models.TextChoices):
        FESTIVAL = "festival", "节日慰问"
        BIRTHDAY = "birthday", "生日慰问"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        POSTED = "posted", "已发放"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    festival = models.CharField("节日", max_length=10, blank=True)
    month = models.PositiveSmallIntegerField("生日月份", null=True, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    item = models.CharField("慰问品", max_length=100)
    form = models.CharField("形式", max_length=20)
    given_on = models.DateField("发放日期")
    handler = models.CharField("经办人", max_length=50, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    entry = models.OneToOneField(
        "funds.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="greeting_batch"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return self.title


class GreetingRecipient(models.Model):
    """One person of a batch, with the class they were put in (在职, 退休, 本月生日) and whether
    they were included as a 困难职工家庭 (an extra amount at the festivals the chair chooses)."""

    class Klass(models.TextChoices):
        ACTIVE = "active", "在职会员"
        RETIRED = "retired", "退休会员"
        BIRTHDAY = "birthday", "本月生日"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(GreetingBatch, on_delete=models.CASCADE, related_name="recipients")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="greetings")
    klass = models.CharField("类别", max_length=10, choices=Klass.choices)
    hardship = models.BooleanField("困难职工家庭", default=False)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    benefit = models.OneToOneField(
        "funds.Benefit", on_delete=models.PROTECT, null=True, blank=True, related_name="greeting"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "member"], name="greeting_one_per_member"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="greeting_amount_positive"),
        ]

    def __str__(self):
        return f"{self.batch} · {self.member}"


class RetireeMeeting(models.Model):
    """A 退休教职工座谈会 of the 退教分会: who came (retired members), the school leaders and guests
    present, what was discussed; its cost, when there was one, is a voucher on the ledger
    (职工活动支出 · 集体福利) kept on the meeting."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("座谈会名称", max_length=100)
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=100, blank=True)
    topic = models.TextField("议题", max_length=1000, blank=True)
    attendees = models.ManyToManyField(
        Member, through="RetireeMeetingAttendee", verbose_name="参加的退休教职工", related_name="+"
    )
    guests = models.CharField("出席的校领导和来宾", max_length=300, blank=True)
    summary = models.TextField("会议纪要", max_length=5000, blank=True)
    cost = models.DecimalField("费用（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    entry = models.OneToOneField(
        "funds.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="retiree_meeting"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "held_on"], name="retiree_meeting_org_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost__isnull=True) | models.Q(cost__gt=0),
                name="retiree_meeting_cost_positive",
            )
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class RetireeMeetingAttendee(models.Model):
    """A retired member who came to a 座谈会."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(RetireeMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="retiree_meetings")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="retiree_meeting_one_per_member")
        ]

    def __str__(self):
        return f"{self.meeting} · {self.member}"
