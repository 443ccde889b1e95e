"""Activities: every write goes through here (the pages and the API both call these)."""

import datetime

from django.db import transaction
from django.utils import timezone

from jiaogong.activities import recurrence
from jiaogong.activities.models import Activity
from jiaogong.core import audit
from jiaogong.core.errors import InvalidInput
from jiaogong.core.parsing import clean_text


@transaction.atomic
def create_activity(
    *,
    actor,
    org,
    title: str,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int | None = None,
    rrule: str = "",
    registration: bool | None = None,
    registration_deadline: datetime.datetime | None = None,
    location: str = "",
    description: str = "",
) -> Activity:
    """Create an activity (a series when `rrule` is given). Asking for a capacity or a deadline
    means it takes sign-ups."""
    errors: dict[str, str] = {}
    title = clean_text(title, label="活动名称", max_length=100, required=True, errors=errors, field="title")
    location = clean_text(
        location, label="地点", max_length=100, required=False, errors=errors, field="location"
    )
    description = str(description or "").strip()
    if kind not in Activity.Kind.values:
        errors["kind"] = "请选择活动类型。"
    if not isinstance(starts_at, datetime.datetime) or timezone.is_naive(starts_at):
        errors["starts_at"] = "请填写开始时间（含日期和时刻）。"
    if not isinstance(ends_at, datetime.datetime) or timezone.is_naive(ends_at):
        errors["ends_at"] = "请填写结束时间（含日期和时刻）。"
    elif "starts_at" not in errors and ends_at < starts_at:
        errors["ends_at"] = "结束时间不能早于开始时间。"
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1 or capacity > 100000):
        errors["capacity"] = "名额应为 1 以上的整数；不限名额请留空。"
    if registration_deadline is not None and "starts_at" not in errors:
        if timezone.is_naive(registration_deadline):
            errors["registration_deadline"] = "请填写报名截止的日期和时刻。"
        elif not rrule and registration_deadline > starts_at:
            errors["registration_deadline"] = "报名截止不能晚于活动开始。"
    if "starts_at" not in errors:
        try:
            rrule = recurrence.validate(rrule, timezone.localtime(starts_at))
        except recurrence.BadRule as e:
            errors["rrule"] = str(e)
    if errors:
        raise InvalidInput(errors)
    if registration is None:
        registration = capacity is not None or registration_deadline is not None
    activity = Activity.objects.create(
        org=org,
        title=title,
        kind=kind,
        description=description,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
        rrule=rrule,
        registration=bool(registration),
        capacity=capacity,
        registration_deadline=registration_deadline,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        org=org,
        action="activities.activity.create",
        obj=activity,
        changes={
            "title": title,
            "kind": kind,
            "starts_at": starts_at.isoformat(),
            "capacity": capacity,
            "rrule": rrule,
        },
    )
    return activity
