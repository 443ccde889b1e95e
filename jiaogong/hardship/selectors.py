"""困难职工档案 reads, scoped by org. Opening one file is itself recorded (FileRead): every read
of a file — page, API, export — leaves a row saying who, when and how."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jiaogong.core.permissions import can
from jiaogong.hardship import rules
from jiaogong.hardship.models import Category, FileRead, HardshipFile, Review
from jiaogong.members.models import Member

HARDSHIP = (Category.DEEP, Category.RELATIVE, Category.ACCIDENT)


def open_on(on: datetime.date) -> Q:
    """Files open on `on`: opened by then and not closed by then."""
    return Q(opened_on__lte=on) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))


def members_with_open_files(org, on: datetime.date) -> QuerySet[Member]:
    """The 困难职工家庭 (interfaces §2): members of `org` whose file is open on `on` and whose
    category, as last computed, is deep, relative or accident."""
    files = HardshipFile.objects.filter(open_on(on), org=org, member=OuterRef("pk"), category__in=HARDSHIP)
    return Member.objects.filter(org=org).filter(Exists(files))


def files(org, *, include_closed: bool = False, year: int | None = None) -> QuerySet[HardshipFile]:
    """The org's files with `last_review_on` and `reviewed_this_year` (for `year`)."""
    year = year or timezone.localdate().year
    qs = (
        HardshipFile.objects.filter(org=org)
        .select_related("member", "member__union_group")
        .annotate(
            last_review_on=Max("reviews__reviewed_on"),
            reviewed_in_year=Exists(Review.objects.filter(file=OuterRef("pk"), year=year)),
        )
        .order_by("closed_on", "member__name_pinyin", "id")
    )
    if not include_closed:
        qs = qs.filter(closed_on__isnull=True)
    return qs


def checked_in(file: HardshipFile, year: int) -> bool:
    """Opened or reviewed in `year` (the year's 摸底 is done)."""
    if file.opened_on.year >= year:
        return True
    reviewed = getattr(file, "reviewed_in_year", None)
    if reviewed is None:
        reviewed = file.reviews.filter(year=year).exists()
    return bool(reviewed)


def due_for_review(org, year: int) -> QuerySet[HardshipFile]:
    """Open files not checked in `year`: opened before it and without a review of that year."""
    return (
        HardshipFile.objects.filter(org=org, closed_on__isnull=True, opened_on__year__lt=year)
        .exclude(Exists(Review.objects.filter(file=OuterRef("pk"), year=year)))
        .select_related("member")
        .order_by("member__name_pinyin", "id")
    )


def get_file(user, org, file_id) -> HardshipFile:
    """The file, if `user` may open it: else 404 — never 403, so a file's existence is not
    revealed to anyone but the chair and the welfare member. Does not log (see open_file)."""
    if not can(user, org, "hardship.view"):
        raise Http404("没有找到该档案。")
    try:
        return HardshipFile.objects.select_related("member", "member__union_group").get(
            org=org, pk=int(file_id)
        )
    except (HardshipFile.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该档案。") from None


def open_file(user, org, file_id, *, via: str) -> HardshipFile:
    """The file for reading, and the read recorded (who, when, which file, via web/api/export)."""
    file = get_file(user, org, file_id)
    log_read(user, file, via=via)
    return file


def log_read(user, file: HardshipFile, *, via: str) -> FileRead:
    if via not in FileRead.Via.values:
        raise ValueError(via)
    return FileRead.objects.create(org_id=file.org_id, file=file, user=user, via=via)


def reads(file: HardshipFile, limit: int = 50):
    return file.reads.select_related("user").order_by("-at", "-id")[:limit]


def file_org_for(user, org_id, capability: str):
    """org_for for a file's page or endpoint: a wrong role is 404 too (not 403)."""
    from jiaogong.core.permissions import org_for

    try:
        return org_for(user, org_id, capability)
    except PermissionDenied:
        raise Http404("没有找到该档案。") from None


def category_history(file: HardshipFile):
    return file.category_history.select_related("actor").order_by("-at", "-id")


def last_checked_year(file: HardshipFile) -> int:
    reviewed = file.reviews.aggregate(y=Max("year"))["y"]
    return max(file.opened_on.year, reviewed or 0)


def review_due(file: HardshipFile, year: int) -> bool:
    return file.is_open and rules.review_due(last_checked_year=last_checked_year(file), year=year)
