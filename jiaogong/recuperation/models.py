"""职工疗休养: the union's yearly rest-and-recuperation places.

- Plan: one a year per union, with its quota of places, an optional destination and the
  application window.
- Batch: an optional 批次 of the plan (name, dates, places).
- Application: a member asks for a place; the welfare member or the chair approves it (within the
  quota), rejects it with a reason, or the member withdraws it.
- Trip: the record that a member went (date, batch). Its date is the member's "last time" for
  the eligibility rule (rules.eligible). Approval writes one; an earlier trip (before the system)
  is recorded by hand on the member's history page.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member


class Plan(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    quota = models.PositiveIntegerField("名额")
    destination = models.CharField("疗休养地点", max_length=100, blank=True)
    opens_on = models.DateField("报名开始")
    closes_on = models.DateField("报名截止")
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="recuperation_plan_one_a_year"),
            models.CheckConstraint(condition=models.Q(quota__gt=0), name="recuperation_plan_quota_positive"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="recuperation_plan_window_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class Batch(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="batches")
    name = models.CharField("批次", max_length=50)
    starts_on = models.DateField("出发日期")
    ends_on = models.DateField("返回日期")
    places = models.PositiveIntegerField("名额")

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="recuperation_batch_unique_name"),
            models.CheckConstraint(
                condition=models.Q(places__gt=0), name="recuperation_batch_places_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="recuperation_batch_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.starts_on:%m-%d}至{self.ends_on:%m-%d}）"


class Application(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "排队中"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"
        WITHDRAWN = "withdrawn", "已撤回"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="applications")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="recuperation_applications")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.APPLIED)
    applied_at = models.DateTimeField("申请时间")
    note = models.CharField("申请说明", max_length=200, blank=True)
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            # One live application a member a plan (a withdrawn or rejected one may be followed by another).
            models.UniqueConstraint(
                fields=["plan", "member"],
                condition=models.Q(status__in=["applied", "approved"]),
                name="recuperation_one_live_application",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reason=""),
                name="recuperation_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.plan} {self.member}"


class Trip(models.Model):
    """A member went: the date is their "last time"."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="recuperation_trips")
    went_on = models.DateField("出发日期")
    destination = models.CharField("地点", max_length=100, blank=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="trips")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="trips")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="trip"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-went_on", "-id"]
        indexes = [models.Index(fields=["org", "member"], name="recuperation_trip_member")]

    def __str__(self):
        return f"{self.member} {self.went_on}"
