"""政治学习 / 业务学习 and the 读书活动.

A study session (a session on 《教师法》) is an activity (activities.Activity, kind political_study
or professional_study): who came is its attendance (scanned in or ticked by the organiser). It has a
topic, the material as text and an uploaded file (PDF or Word, served only after a permission
check), and the 心得 members submit: one each, editable until the session's deadline.

The 读书活动: members log the books they read with a 心得; at year end a ranking proposes
candidates and the chair selects the 先进个人, at most a parameter's share of the readers.
"""

import secrets

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


def material_path(instance, filename):
    return f"study/{instance.org_id}/{secrets.token_hex(8)}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class StudySession(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.PROTECT, related_name="study_session"
    )
    topic = models.CharField("学习主题", max_length=200)
    material_text = models.TextField("学习材料", blank=True)
    material = models.FileField("材料文件", upload_to=material_path, blank=True)
    material_name = models.CharField(max_length=200, blank=True)
    material_type = models.CharField(max_length=100, blank=True)
    reflection_due = models.DateField("心得提交截止")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-activity__starts_at", "-id"]

    def __str__(self):
        return self.topic


class Reflection(models.Model):
    """A member's 心得 on a session: one per member and session (the database holds it)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(StudySession, on_delete=models.PROTECT, related_name="reflections")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="study_reflections")
    text = models.TextField("心得体会")
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="study_reflection_once_a_session")
        ]

    def __str__(self):
        return f"{self.member} 《{self.session}》心得"


class ReadingLog(models.Model):
    """A book a member read in the 读书活动, with their 心得."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reading_logs")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("书名", max_length=100)
    author = models.CharField("作者", max_length=100, blank=True)
    finished_on = models.DateField("读完日期")
    reflection = models.TextField("读书心得")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-finished_on", "-id"]
        indexes = [models.Index(fields=["org", "year"], name="reading_org_year")]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "title"], name="reading_book_once_a_year"),
        ]

    def __str__(self):
        return f"{self.member}《{self.title}》"


class ReadingAward(models.Model):
    """A 读书活动先进个人 of a year, selected by the chair."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reading_awards")
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "member__name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "member"], name="reading_award_once_a_year")
        ]

    def __str__(self):
        return f"{self.year}年读书活动先进个人 {self.member}"
