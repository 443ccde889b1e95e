"""The calendar feeds (RFC 5545), written with the icalendar library.

A series is one VEVENT with its RRULE unchanged and its skip dates as EXDATE, times with
TZID=Asia/Shanghai and the VTIMEZONE, so the phone's calendar expands the series as we do (the
tests read the feed back with vobject, another parser, and compare the expansion with ours).
"""

import datetime

import icalendar
from django.db.models import Q
from django.utils import timezone

from jiaogong.activities.models import Activity, Registration
from jiaogong.activities.selectors import skip_dates_of

# The feed carries the past year and everything after (a phone keeps what it has already seen).
PAST = datetime.timedelta(days=366)


def feed_activities(org, now: datetime.datetime | None = None):
    now = now or timezone.now()
    return (
        Activity.objects.filter(org=org)
        .exclude(status=Activity.Status.CANCELLED)
        .filter(Q(starts_at__gte=now - PAST) | ~Q(rrule=""))
        .order_by("starts_at", "id")
    )


def _event(activity: Activity, *, url: str, prefix: str = "") -> icalendar.Event:
    start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    event = icalendar.Event()
    event.add("uid", f"activity-{activity.pk}@jiaogong")
    event.add("dtstamp", activity.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", prefix + activity.title)
    event.add("categories", [activity.get_kind_display()])
    if activity.location:
        event.add("location", activity.location)
    description = activity.description.strip()
    event.add("description", (description + "\n\n" if description else "") + url)
    event.add("url", url)
    if activity.rrule:
        event.add("rrule", icalendar.vRecur.from_ical(activity.rrule))
        skipped = sorted(skip_dates_of(activity))
        if skipped:
            event.add("exdate", [datetime.datetime.combine(d, start.timetz()) for d in skipped])
    event.add("status", "CONFIRMED")
    return event


def calendar_ics(org, *, name: str, url_for, member=None, now: datetime.datetime | None = None) -> bytes:
    """The org's calendar. `url_for(activity)` gives each activity's absolute page address; with a
    `member`, the events they signed up for say so in their title (their private feed)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//教工之家//行事历//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone.get_current_timezone_name())
    cal.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    statuses = {}
    if member is not None:
        statuses = dict(
            Registration.objects.filter(org=org, member=member)
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("activity_id", "status")
        )
    prefixes = {Registration.Status.CONFIRMED: "【已报名】", Registration.Status.WAITLISTED: "【候补】"}
    for activity in feed_activities(org, now):
        cal.add_component(
            _event(activity, url=url_for(activity), prefix=prefixes.get(statuses.get(activity.pk), ""))
        )
    cal.add_missing_timezones()
    return cal.to_ical()
