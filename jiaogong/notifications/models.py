"""Reminders: one notification per (user, due item), and each user's choice of what to receive."""

from django.conf import settings
from django.db import models

from jiaogong.notifications.sources import KINDS


class Notification(models.Model):
    """A due item told to one user, in the inbox and/or by e-mail.

    `key` is the DueItem's key: the unique constraint on (user, key) is what makes the daily job
    create each reminder once, however often it runs. A row exists whenever the user wants the
    kind in-app or by e-mail; `in_app` says whether the inbox shows it. The e-mail is sent at most
    once: `emailed_at` is set after a successful send, `email_claimed_at` guards a send in progress
    against a second worker, a failure is counted and retried on the next run.
    """

    org = models.ForeignKey("core.Org", on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField("提醒标识", max_length=200)
    kind = models.CharField("类型", max_length=30)  # a key of sources.KINDS
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    due_on = models.DateField("到期日", null=True, blank=True)
    overdue = models.BooleanField("已逾期", default=False)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    in_app = models.BooleanField("站内显示", default=True)
    email_wanted = models.BooleanField("需发送邮件", default=False)
    email_to = models.EmailField("收件地址", blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("邮件发送次数", default=0)
    email_error = models.CharField("邮件发送错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user_key")]
        indexes = [
            models.Index(fields=["user", "org", "read_at"], name="notification_inbox"),
            models.Index(
                fields=["email_wanted", "emailed_at"],
                name="notification_email_pending",
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def kind_short(self) -> str:
        return self.kind_label.split("（")[0]


class NotificationPreference(models.Model):
    """A user's choice for one kind; without a row: in-app on, e-mail on when the user has an address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField("类型", max_length=30)  # a key of sources.KINDS
    in_app = models.BooleanField("站内提醒", default=True)
    email = models.BooleanField("邮件提醒", default=True)

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)
