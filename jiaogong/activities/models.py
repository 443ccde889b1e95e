"""活动: what the union organises for its members — matches, celebrations, study, visits, volunteering.

An activity happens once or repeats (an RFC 5545 RRULE: "every other Friday 16:20–17:00"). It may
take sign-ups: a capacity and a deadline; who comes after the places are gone waits in line and
is confirmed, in order, when someone cancels. On the day members check in by scanning the
activity's QR code (or the organiser ticks them); that attendance is what participation counts.
Its cost goes to the ledger as 职工活动支出 through funds.services.record_entry.
"""

import secrets

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


def new_checkin_token() -> str:
    return secrets.token_urlsafe(18)


class Activity(models.Model):
    class Kind(models.TextChoices):
        SPORTS = "sports", "文体比赛"
        FESTIVAL = "festival", "节日庆祝"
        POLITICAL_STUDY = "political_study", "政治学习"
        PROFESSIONAL_STUDY = "professional_study", "业务学习"
        VISIT = "visit", "外出参观"
        TRAINING = "training", "培训"
        SOCIAL = "social", "联谊"
        READING = "reading", "读书"
        ESSAY = "essay", "征文"
        VOLUNTEER = "volunteer", "志愿服务"
        BLOOD = "blood_donation", "献血"
        RECREATION = "recreation", "文体活动"
        CLUB = "club", "兴趣小组活动"
        WOMEN = "women", "女工活动"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PLANNED = "planned", "筹备中"
        HELD = "held", "已举行"
        CANCELLED = "cancelled", "已取消"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("活动名称", max_length=100)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    description = models.TextField("活动内容", blank=True)
    location = models.CharField("地点", max_length=100, blank=True)
    # The first (or only) occurrence; a series repeats it by `rrule`.
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    # An RFC 5545 RRULE value without the "RRULE:" prefix, e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR".
    rrule = models.CharField("重复规则", max_length=200, blank=True)
    # Dates of the series that do not take place (a holiday, an exam week): RFC 5545 EXDATE.
    skip_dates = models.JSONField("不举行的日期", default=list, blank=True)
    registration = models.BooleanField("需要报名", default=False)
    capacity = models.PositiveIntegerField("名额", null=True, blank=True)
    registration_deadline = models.DateTimeField("报名截止", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PLANNED)
    checkin_token = models.CharField(max_length=40, unique=True, default=new_checkin_token, editable=False)
    # 职工活动支出: the voucher that paid for it (funds.LedgerEntry), once posted.
    cost = models.DecimalField("费用", max_digits=12, decimal_places=2, null=True, blank=True)
    ledger_entry = models.ForeignKey(
        "funds.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField("活动小结", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["org", "starts_at"], name="activity_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)


class Registration(models.Model):
    """A member's sign-up. At most one live (confirmed or waitlisted) sign-up per member and activity,
    held by a database constraint; a cancelled one stays as the record of it."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "已报名"
        WAITLISTED = "waitlisted", "候补"
        CANCELLED = "cancelled", "已取消"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="activity_registrations")
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    registered_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField("候补转正时间", null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_live_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.activity}"


class Attendance(models.Model):
    """A member present at one occurrence (`occurs_on`) of an activity: by QR scan or ticked by the organiser."""

    class Method(models.TextChoices):
        QR = "qr", "扫码签到"
        MANUAL = "manual", "组织者登记"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attendances")
    occurs_on = models.DateField("活动日期")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="activity_attendances")
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    checked_in_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurs_on", "checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "occurs_on", "member"], name="attendance_once_per_day"
            ),
        ]
        indexes = [models.Index(fields=["org", "occurs_on"], name="attendance_org_day")]

    def __str__(self):
        return f"{self.member} @ {self.activity} {self.occurs_on}"


def photo_path(instance, filename):
    return f"activities/{instance.org_id}/{instance.activity_id}/{secrets.token_hex(8)}.{filename.rsplit('.', 1)[-1].lower()}"


class Photo(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField("照片", upload_to=photo_path)
    # From the file's first bytes when uploaded (the browser's word is not trusted); served with it.
    content_type = models.CharField(max_length=20, default="image/jpeg")
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.caption or self.image.name


class CalendarFeed(models.Model):
    """A member's private calendar subscription: the secret in its URL is the only credential.
    Rotating it (a new row) ends the old URL."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=48, unique=True, default=new_checkin_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.member} 日历订阅"
