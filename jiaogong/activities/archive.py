"""The 台帐 entries of the activities held in a year: one an activity, under its 建家 category, with
its 签到表 (.xlsx and .docx) and its photos as files."""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from jiaogong.activities import exporting
from jiaogong.activities.models import Activity, Attendance
from jiaogong.reports.archive import ArchiveEntry, ArchiveFile

CATEGORY_OF_KIND = {
    "sports": "culture",
    "recreation": "culture",
    "festival": "culture",
    "social": "culture",
    "club": "culture",
    "visit": "culture",
    "political_study": "study",
    "professional_study": "study",
    "training": "study",
    "reading": "study",
    "essay": "study",
    "women": "women",
    "volunteer": "other",
    "blood_donation": "other",
    "other": "other",
}


def _file_name(text: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in text)[:60]


def _photo_file(photo) -> ArchiveFile:
    ext = "png" if photo.content_type == "image/png" else "jpg"

    def content(photo=photo) -> bytes:
        with photo.image.open("rb") as handle:
            return handle.read()

    return ArchiveFile(f"{_file_name(photo.activity.title)}-照片{photo.pk}.{ext}", content)


def archive_entries(org, year: int) -> Iterable[ArchiveEntry]:
    """Each activity that took place in `year`: attendance recorded on a date of the year, or
    marked held with its (first) date in the year."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    activities = (
        Activity.objects.filter(org=org)
        .exclude(status=Activity.Status.CANCELLED)
        .filter(
            Q(attendances__occurs_on__year=year)
            | Q(status=Activity.Status.HELD, starts_at__gte=start, starts_at__lt=end)
        )
        .distinct()
        .select_related("org")
        .prefetch_related("photos")
        .order_by("starts_at", "id")
    )
    for activity in activities:
        stats = Attendance.objects.filter(activity=activity, occurs_on__year=year).aggregate(
            times=Count("id"), people=Count("member", distinct=True), first=Min("occurs_on")
        )
        day = stats["first"] or timezone.localtime(activity.starts_at).date()
        parts = [activity.get_kind_display()]
        if stats["times"]:
            parts.append(f"{stats['people']} 人参加" + (f"，{stats['times']} 人次" if activity.rrule else ""))
        if activity.location:
            parts.append(activity.location)
        if activity.ledger_entry_id:
            parts.append(f"费用 {activity.cost} 元（第 {activity.ledger_entry_id} 号凭证）")
        name = _file_name(f"{day:%Y%m%d}-{activity.title}")
        files = [
            ArchiveFile(f"{name}-签到表.xlsx", lambda a=activity: exporting.signin_xlsx(a)),
            ArchiveFile(f"{name}-签到表.docx", lambda a=activity: exporting.signin_docx(a)),
        ]
        files += [_photo_file(p) for p in activity.photos.all()]
        yield ArchiveEntry(
            category=CATEGORY_OF_KIND.get(activity.kind, "other"),
            date=day,
            title=activity.title,
            kind="活动",
            url=reverse("activities:detail", args=[org.pk, activity.pk]),
            detail="；".join(parts) + (f"。{activity.summary[:80]}" if activity.summary else ""),
            files=files,
        )
