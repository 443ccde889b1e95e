"""Activities: reads, always scoped by org (another org's activity is a 404)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiaogong.activities import recurrence
from jiaogong.activities.models import Activity, Attendance, Registration


@dataclass(frozen=True)
class Occurrence:
    """One time an activity takes place: a single activity has one, a series one per date."""

    activity: Activity
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def weekday(self) -> str:
        return "一二三四五六日"[self.date.weekday()]


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def skip_dates_of(activity: Activity) -> frozenset[datetime.date]:
    days = set()
    for text in activity.skip_dates or []:
        try:
            days.add(datetime.date.fromisoformat(str(text)))
        except ValueError:
            continue
    return frozenset(days)


def occurrences_of(
    activity: Activity, window_start: datetime.datetime, window_end: datetime.datetime
) -> list[Occurrence]:
    """The occurrences of one activity starting in [window_start, window_end) (skip dates left out)."""
    first = timezone.localtime(activity.starts_at)
    pairs = recurrence.expand(
        activity.rrule,
        first,
        activity.ends_at - activity.starts_at,
        window_start,
        window_end,
        skip_dates=skip_dates_of(activity),
    )
    return [Occurrence(activity, s, e) for s, e in pairs]


def occurrences_between(org, start: datetime.date, end: datetime.date) -> list[Occurrence]:
    """Every occurrence of the org's activities on the local dates start..end (both included),
    series expanded, cancelled activities left out, in time order."""
    window_start = _local_midnight(start)
    window_end = _local_midnight(end + datetime.timedelta(days=1))
    candidates = (
        Activity.objects.filter(org=org, starts_at__lt=window_end)
        .exclude(status=Activity.Status.CANCELLED)
        .filter(Q(starts_at__gte=window_start) | ~Q(rrule=""))
    )
    found: list[Occurrence] = []
    for activity in candidates:
        found.extend(occurrences_of(activity, window_start, window_end))
    found.sort(key=lambda o: (o.starts_at, o.activity.pk))
    return found


def occurrence_on(activity: Activity, day: datetime.date) -> Occurrence | None:
    """The activity's occurrence on that local date, if it takes place that day."""
    hits = occurrences_of(activity, _local_midnight(day), _local_midnight(day + datetime.timedelta(days=1)))
    return hits[0] if hits else None


def next_occurrence(activity: Activity, after: datetime.datetime) -> Occurrence | None:
    """The first occurrence that has not ended by `after` (the current one while it runs)."""
    duration = activity.ends_at - activity.starts_at
    hits = occurrences_of(activity, after - duration, after + datetime.timedelta(days=800))
    for o in hits:
        if o.ends_at > after:
            return o
    return None


def last_occurrence(activity: Activity) -> Occurrence | None:
    """The last occurrence of a bounded series (or the single one); None for an endless series."""
    if not activity.rrule:
        return Occurrence(activity, activity.starts_at, activity.ends_at)
    if "UNTIL=" not in activity.rrule and "COUNT=" not in activity.rrule:
        return None
    hits = occurrences_of(activity, activity.starts_at, activity.starts_at + datetime.timedelta(days=3660))
    return hits[-1] if hits else None


# ---- activities and their sign-ups ------------------------------------------------------------------


def activities_of(org, *, status: str = "", kind: str = "", year: int | None = None):
    qs = Activity.objects.filter(org=org).select_related("ledger_entry")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(starts_at__gte=_local_midnight(datetime.date(year, 1, 1))).filter(
            starts_at__lt=_local_midnight(datetime.date(year + 1, 1, 1))
        )
    return qs.order_by("-starts_at", "-id")


def activity_for(org, activity_id) -> Activity:
    """The org's activity, or 404 (another org's activity does not exist here)."""
    return get_object_or_404(
        Activity.objects.select_related("ledger_entry", "created_by"), org=org, pk=activity_id
    )


def activity_by_token(org, token: str) -> Activity:
    return get_object_or_404(Activity, org=org, checkin_token=str(token or ""))


def member_of(user, org):
    """The user's own Member record in this org, or None (a login not linked to a member here)."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is None or member.org_id != org.pk:
        return None
    return member


def registration_of(activity: Activity, member) -> Registration | None:
    if member is None:
        return None
    return (
        Registration.objects.filter(activity=activity, member=member)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def registrations(activity: Activity, status: str | None = None):
    qs = Registration.objects.filter(activity=activity).select_related("member", "member__union_group")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("registered_at", "id")


def counts(activity: Activity) -> dict[str, int]:
    rows = Registration.objects.filter(activity=activity).values_list("status", flat=True)
    tally = {s: 0 for s in Registration.Status.values}
    for s in rows:
        tally[s] += 1
    return tally


def attendance_on(activity: Activity, day: datetime.date):
    return Attendance.objects.filter(activity=activity, occurs_on=day).select_related("member")


def attendance_days(activity: Activity) -> list[tuple[datetime.date, int]]:
    from django.db.models import Count

    return list(
        Attendance.objects.filter(activity=activity)
        .values_list("occurs_on")
        .annotate(n=Count("id"))
        .order_by("occurs_on")
    )


def my_registrations(org, member):
    if member is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(org=org, member=member)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("activity")
        .order_by("activity__starts_at")
    )


# ---- participation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberParticipation:
    member: object
    activities: int  # distinct activities attended
    times: int  # attendances (each occurrence of a series counts)


@dataclass(frozen=True)
class GroupParticipation:
    group: object  # a UnionGroup, or None for members in no 工会小组
    members: int
    participants: int

    @property
    def rate(self) -> float:
        return self.participants / self.members if self.members else 0.0

    @property
    def name(self) -> str:
        return self.group.name if self.group is not None else "未分组"


@dataclass(frozen=True)
class Participation:
    year: int
    members: list  # MemberParticipation of every active member, most active first
    groups: list  # GroupParticipation, by group name
    non_participants: list  # active members with no attendance in the year
    activities_held: int

    @property
    def total_members(self) -> int:
        return len(self.members)

    @property
    def participants(self) -> int:
        return sum(1 for row in self.members if row.activities)

    @property
    def rate(self) -> float:
        return self.participants / self.total_members if self.total_members else 0.0


def participation(org, year: int, *, group_id: int | None = None) -> Participation:
    """Who took part in the union's activities in `year` (attendance recorded on a date of the year):
    per active member (activities attended, times), per 工会小组 (share of its active members who
    came at least once), and the active members who took part in nothing. `group_id` narrows every
    figure to one group (0: members in no group)."""
    from django.db.models import Count

    from jiaogong.members.models import Member

    members = Member.objects.filter(org=org, status=Member.Status.ACTIVE).select_related("union_group")
    if group_id is not None:
        members = (
            members.filter(union_group__isnull=True)
            if group_id == 0
            else members.filter(union_group_id=group_id)
        )
    members = list(members)
    attended = (
        Attendance.objects.filter(org=org, occurs_on__year=year, member__in=[m.pk for m in members])
        .values("member_id")
        .annotate(n=Count("id"), distinct=Count("activity_id", distinct=True))
    )
    by_member = {row["member_id"]: (row["distinct"], row["n"]) for row in attended}
    rows = [MemberParticipation(m, *by_member.get(m.pk, (0, 0))) for m in members]
    rows.sort(key=lambda r: (-r.activities, -r.times, r.member.name_pinyin, r.member.pk))
    groups: dict = {}
    for row in rows:
        key = row.member.union_group_id or 0
        group, total, came = groups.get(key, (row.member.union_group, 0, 0))
        groups[key] = (group, total + 1, came + (1 if row.activities else 0))
    group_rows = sorted(
        (GroupParticipation(g, total, came) for g, total, came in groups.values()),
        key=lambda g: (g.group is None, g.name),
    )
    held = (
        Activity.objects.filter(org=org, attendances__occurs_on__year=year)
        .exclude(status=Activity.Status.CANCELLED)
        .distinct()
        .count()
    )
    return Participation(
        year=year,
        members=rows,
        groups=group_rows,
        non_participants=[r.member for r in rows if not r.activities],
        activities_held=held,
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first one waiting; None for a confirmed or cancelled sign-up."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        activity_id=registration.activity_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, id__lt=registration.pk)
    )
    return ahead.count() + 1


def day_marks(start: datetime.date, end: datetime.date) -> dict:
    """The 行事历's holiday and 调休 marks for start..end: chinese_calendar's table with the admin's
    节假日与调休 rows taking precedence (their own names shown)."""
    from jiaogong.activities import calendars
    from jiaogong.core.models import Holiday

    rows = list(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day", "name")
    )
    marks = calendars.marks_between(start, end, {d: working for d, working, _name in rows})
    for day, _working, name in rows:
        if day in marks and name:
            marks[day] = calendars.DayMark(marks[day].off, name)
    return marks
