"""Activities: every write goes through here (the pages and the API both call these).

Sign-ups lock the activity's row (SELECT … FOR UPDATE; SQLite runs IMMEDIATE transactions, which
take the write lock at BEGIN), so that counting the confirmed places and adding a sign-up are one
step: twenty members pressing 报名 at once for ten places give ten confirmed and ten waitlisted,
in the order they got the lock; a confirmed member cancelling confirms the first one waiting.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.activities import recurrence
from jiaogong.activities.models import Activity, Attendance, Photo, Registration
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.money import parse_yuan
from jiaogong.core.parsing import clean_text
from jiaogong.core.rules import value_for
from jiaogong.core.uploads import KINDS as UPLOAD_KINDS

# QR check-in is open from this long before an occurrence starts until this long after it ends.
MAX_PHOTO = UPLOAD_KINDS["activity_photo"].max_bytes  # core/uploads.py: one table of upload points
MAX_SKIP_DATES = 200
# 职工活动支出's subcategories an activity's cost goes under (funds.models.EXPENSE_CATEGORIES).
COST_CATEGORY = "职工活动支出"
COST_SUBCATEGORIES = ["文体活动", "职工教育活动", "宣传活动", "集体福利"]


def _default_subcategory(kind: str) -> str:
    if kind in {"political_study", "professional_study", "training", "reading", "essay"}:
        return "职工教育活动"
    if kind in {"festival", "social", "visit"}:
        return "集体福利"
    if kind in {"volunteer", "blood_donation"}:
        return "宣传活动"
    return "文体活动"


def _clean(
    *,
    title,
    kind,
    starts_at,
    ends_at,
    capacity,
    rrule,
    registration_deadline,
    location,
    description,
    skip_dates,
) -> tuple[dict, dict]:
    """The fields cleaned, and {field: Chinese message} for those that are not acceptable."""
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
    elif "starts_at" not in errors and ends_at - starts_at > datetime.timedelta(days=31):
        errors["ends_at"] = "一次活动不能超过 31 天；长期活动请设为重复。"
    if capacity is not None and (
        isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1 or capacity > 100000
    ):
        errors["capacity"] = "名额应为 1 以上的整数；不限名额请留空。"
    if registration_deadline is not None and "starts_at" not in errors:
        if not isinstance(registration_deadline, datetime.datetime) or timezone.is_naive(
            registration_deadline
        ):
            errors["registration_deadline"] = "请填写报名截止的日期和时刻。"
        elif not rrule and registration_deadline > starts_at:
            errors["registration_deadline"] = "报名截止不能晚于活动开始。"
    if "starts_at" not in errors:
        try:
            rrule = recurrence.validate(rrule, timezone.localtime(starts_at))
        except recurrence.BadRule as e:
            errors["rrule"] = str(e)
    days: list[str] = []
    for value in skip_dates or ():
        if isinstance(value, datetime.datetime):
            value = value.date()
        try:
            day = (
                value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value).strip())
            )
        except ValueError:
            errors["skip_dates"] = f"“{str(value)[:20]}”不是有效日期，请写成 2026-10-02。"
            break
        days.append(day.isoformat())
    days = sorted(set(days))
    if len(days) > MAX_SKIP_DATES:
        errors["skip_dates"] = f"不举行的日期最多 {MAX_SKIP_DATES} 个。"
    if days and not rrule and "skip_dates" not in errors:
        errors["skip_dates"] = "只有重复的活动才能设置不举行的日期。"
    fields = {
        "title": title,
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "rrule": rrule,
        "registration_deadline": registration_deadline,
        "location": location,
        "description": description,
        "skip_dates": days,
    }
    return fields, errors


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
    skip_dates=(),
) -> Activity:
    """Create an activity (a series when `rrule` is given). Asking for a capacity or a deadline
    means it takes sign-ups. `skip_dates`: dates of the series that do not take place."""
    fields, errors = _clean(
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        rrule=rrule,
        registration_deadline=registration_deadline,
        location=location,
        description=description,
        skip_dates=skip_dates,
    )
    if errors:
        raise InvalidInput(errors)
    if registration is None:
        registration = capacity is not None or registration_deadline is not None
    activity = Activity.objects.create(org=org, registration=bool(registration), created_by=actor, **fields)
    audit.record(
        actor=actor,
        org=org,
        action="activities.activity.create",
        obj=activity,
        changes={
            "title": fields["title"],
            "kind": kind,
            "starts_at": starts_at.isoformat(),
            "capacity": capacity,
            "rrule": fields["rrule"],
        },
    )
    return activity


EDITABLE = [
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "capacity",
    "rrule",
    "registration",
    "registration_deadline",
    "location",
    "description",
    "skip_dates",
]


@transaction.atomic
def update_activity(*, actor, org, activity: Activity, **changes) -> Activity:
    """Edit an activity (any of EDITABLE). A larger capacity confirms waitlisted members in order;
    a smaller one below the confirmed sign-ups is refused (nobody loses a confirmed place)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput({name: "这一项不能修改。" for name in sorted(unknown)})
    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    if locked.status == Activity.Status.CANCELLED:
        raise Conflict("activity_cancelled", "活动已取消，不能再修改。")
    values = {name: changes.get(name, getattr(locked, name)) for name in EDITABLE}
    registration = values.pop("registration")
    fields, errors = _clean(**values)
    confirmed = locked.registrations.filter(status=Registration.Status.CONFIRMED).count()
    if fields["capacity"] is not None and "capacity" not in errors and fields["capacity"] < confirmed:
        errors["capacity"] = f"已有 {confirmed} 人报名成功，名额不能少于 {confirmed}。"
    if errors:
        raise InvalidInput(errors)
    if "registration" not in changes and ("capacity" in changes or "registration_deadline" in changes):
        registration = (
            registration or fields["capacity"] is not None or fields["registration_deadline"] is not None
        )
    if not registration and locked.registrations.exclude(status=Registration.Status.CANCELLED).exists():
        raise InvalidInput({"registration": "已有会员报名，不能取消报名环节。"})
    before = audit.snapshot(locked, EDITABLE)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.registration = bool(registration)
    locked.save()
    promoted = _promote(locked)
    _tell_promoted(org, locked, promoted)
    audit.record(
        actor=actor,
        org=org,
        action="activities.activity.update",
        obj=locked,
        changes={
            **audit.diff(before, audit.snapshot(locked, EDITABLE)),
            "promoted": [r.member_id for r in promoted],
        },
    )
    return locked


@transaction.atomic
def cancel_activity(*, actor, org, activity: Activity, reason: str = "") -> Activity:
    """Call the activity off: it leaves the calendar and the feeds; its sign-ups stay as they were."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    if locked.status == Activity.Status.CANCELLED:
        raise Conflict("activity_cancelled", "活动已经取消了。")
    if locked.status == Activity.Status.HELD:
        raise Conflict("activity_held", "活动已经举行，不能取消。")
    if locked.attendances.exists():
        raise Conflict(
            "activity_attended", "活动已有签到记录，不能取消；如某次不举行，请设置“不举行的日期”。"
        )
    errors: dict[str, str] = {}
    reason = clean_text(
        reason, label="取消原因", max_length=200, required=False, errors=errors, field="reason"
    )
    if errors:
        raise InvalidInput(errors)
    locked.status = Activity.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor, org=org, action="activities.activity.cancel", obj=locked, changes={"reason": reason}
    )
    return locked


@transaction.atomic
def mark_held(*, actor, org, activity: Activity, now: datetime.datetime | None = None) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    if locked.status == Activity.Status.CANCELLED:
        raise Conflict("activity_cancelled", "活动已取消，不能标记为已举行。")
    if locked.status == Activity.Status.HELD:
        raise Conflict("activity_held", "活动已经标记为已举行。")
    if locked.starts_at > (now or timezone.now()):
        raise Conflict("activity_not_started", "活动还没有开始，不能标记为已举行。")
    locked.status = Activity.Status.HELD
    locked.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, org=org, action="activities.activity.held", obj=locked)
    return locked


# ---- sign-ups ------------------------------------------------------------------------------------------


def _member_for(actor, org):
    member = getattr(actor, "member", None) if actor is not None and actor.is_authenticated else None
    if member is None or member.org_id != org.pk:
        raise DomainError(
            "not_a_member", "您的账号没有关联本校会员档案，不能报名或签到；请联系工会组织委员。"
        )
    if not member.is_member:
        raise DomainError("not_a_member", f"{member.name}目前不是本会在册会员，不能报名或签到。")
    return member


def _promote(activity: Activity) -> list[Registration]:
    """Confirm waitlisted members, first come first served, while places are free (the row is locked)."""
    if activity.capacity is None:
        free = None
    else:
        free = activity.capacity - activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
    waiting = activity.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "registered_at", "id"
    )
    promoted = []
    for reg in waiting if free is None else waiting[: max(free, 0)]:
        reg.status = Registration.Status.CONFIRMED
        reg.promoted_at = timezone.now()
        reg.save(update_fields=["status", "promoted_at"])
        promoted.append(reg)
    return promoted


def _tell_promoted(org, activity: Activity, promoted: list[Registration]) -> None:
    """A notification to each member confirmed from the waitlist (in the same transaction)."""
    from django.urls import reverse

    from jiaogong.accounts.models import User
    from jiaogong.notifications import services as notifications
    from jiaogong.notifications.sources import DueItem

    if not promoted:
        return
    users = dict(
        User.objects.filter(member_id__in=[r.member_id for r in promoted], is_active=True).values_list(
            "member_id", "pk"
        )
    )
    start = timezone.localtime(activity.starts_at)
    where = f"，{activity.location}" if activity.location else ""
    items = [
        DueItem(
            key=f"activities.promoted:{r.pk}",
            kind="activities",
            org_id=org.pk,
            title=f"候补转正：您已报名成功“{activity.title}”",
            body=f"{start.month}月{start.day}日 {start:%H:%M}{where}。",
            url=reverse("activities:detail", args=[org.pk, activity.pk]),
            recipients=(users[r.member_id],),
            due_on=start.date(),
        )
        for r in promoted
        if r.member_id in users
    ]
    if items:
        notifications.notify(org=org, items=items)


def register(
    *, actor, org, activity: Activity, member=None, now: datetime.datetime | None = None
) -> Registration:
    """Sign the actor's own member record up (or, for an organiser, `member`): confirmed while
    places remain, else waitlisted. Refused once the deadline has passed, when the activity is
    cancelled, held or does not take sign-ups, for someone who is not a member here, and twice."""
    member = member if member is not None else _member_for(actor, org)
    if member.org_id != org.pk or not member.is_member:
        raise DomainError("not_a_member", f"{member.name}不是本会在册会员，不能报名。")
    try:
        with transaction.atomic():
            return _register(actor=actor, org=org, activity_id=activity.pk, member=member, now=now)
    except IntegrityError:
        # The one-live-sign-up constraint: the same member pressing twice at the same moment.
        raise Conflict("already_registered", "您已经报过名了。") from None


def _register(*, actor, org, activity_id, member, now) -> Registration:
    activity = Activity.objects.select_for_update().get(pk=activity_id, org=org)
    backfill, now = now is not None, now or timezone.now()
    if activity.status == Activity.Status.CANCELLED:
        raise Conflict("activity_cancelled", f"“{activity.title}”已取消，不能报名。")
    if not activity.registration:
        raise Conflict("no_registration", f"“{activity.title}”不需要报名，届时直接参加即可。")
    if activity.status == Activity.Status.HELD and not activity.rrule:
        raise Conflict("activity_held", f"“{activity.title}”已经举行，不能再报名。")
    if activity.registration_deadline is not None and now > activity.registration_deadline:
        deadline = timezone.localtime(activity.registration_deadline)
        raise Conflict("deadline_passed", f"报名已于 {deadline:%Y-%m-%d %H:%M} 截止，不能再报名。")
    if not activity.rrule and now >= activity.starts_at:
        raise Conflict("activity_started", f"“{activity.title}”已经开始，不能再报名。")
    if activity.registrations.filter(member=member).exclude(status=Registration.Status.CANCELLED).exists():
        raise Conflict("already_registered", "您已经报过名了。")
    status = Registration.Status.CONFIRMED
    if activity.capacity is not None:
        confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
        waiting = activity.registrations.filter(status=Registration.Status.WAITLISTED).exists()
        if confirmed >= activity.capacity or waiting:
            status = Registration.Status.WAITLISTED
    reg = Registration.objects.create(org=org, activity=activity, member=member, status=status)
    if backfill:  # a sign-up recorded afterwards (the demo's past term) keeps its own time
        Registration.objects.filter(pk=reg.pk).update(registered_at=now)
        reg.registered_at = now
    audit.record(
        actor=actor,
        org=org,
        action="activities.registration.create",
        obj=reg,
        changes={"activity": activity.pk, "member": member.pk, "status": status},
    )
    return reg


@transaction.atomic
def cancel_registration(*, actor, org, activity: Activity, member=None) -> Registration | None:
    """Withdraw the actor's (or an organiser's: `member`'s) sign-up. If it held a place, the first
    waitlisted member is confirmed; that registration is returned (else None)."""
    by_organiser = member is not None
    member = member if by_organiser else _member_for(actor, org)
    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    reg = locked.registrations.filter(member=member).exclude(status=Registration.Status.CANCELLED).first()
    if reg is None:
        who = f"{member.name}现在" if by_organiser else "您"
        raise Conflict("not_registered", f"{who}没有报名这项活动。")
    if locked.status != Activity.Status.PLANNED and not locked.rrule:
        raise Conflict("activity_closed", "活动已经举行或取消，报名记录不能再改。")
    was = reg.status
    reg.status = Registration.Status.CANCELLED
    reg.cancelled_at = timezone.now()
    reg.save(update_fields=["status", "cancelled_at"])
    promoted = _promote(locked) if was == Registration.Status.CONFIRMED else []
    _tell_promoted(org, locked, promoted)
    audit.record(
        actor=actor,
        org=org,
        action="activities.registration.cancel",
        obj=reg,
        changes={"was": was, "promoted": [r.member_id for r in promoted]},
    )
    return promoted[0] if promoted else None


# ---- check-in and attendance --------------------------------------------------------------------------


def checkin_window(occurrence) -> tuple[datetime.datetime, datetime.datetime]:
    """When a QR check-in is taken: the parameters activities.checkin_opens_before_minutes before the
    occurrence starts to activities.checkin_closes_after_minutes after it ends."""
    org = occurrence.activity.org
    before = datetime.timedelta(minutes=value_for(org, "activities.checkin_opens_before_minutes"))
    after = datetime.timedelta(minutes=value_for(org, "activities.checkin_closes_after_minutes"))
    return occurrence.starts_at - before, occurrence.ends_at + after


def _mark_held_if_planned(activity: Activity) -> None:
    if activity.status == Activity.Status.PLANNED:
        activity.status = Activity.Status.HELD
        activity.save(update_fields=["status", "updated_at"])


@transaction.atomic
def check_in(*, actor, org, activity: Activity, now: datetime.datetime | None = None) -> Attendance:
    """The actor checks themself in by the QR code: only within the window around today's
    occurrence, once a day. The activity counts as held from its first attendance."""
    from jiaogong.activities.selectors import occurrence_on

    member = _member_for(actor, org)
    backfill, now = now is not None, now or timezone.now()
    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    if locked.status == Activity.Status.CANCELLED:
        raise Conflict("activity_cancelled", f"“{locked.title}”已取消。")
    today = timezone.localtime(now).date()
    occurrence = occurrence_on(locked, today)
    if occurrence is None:
        raise Conflict("not_today", f"“{locked.title}”今天没有安排，只能在活动当天签到。")
    opens, closes = checkin_window(occurrence)
    if now < opens:
        raise Conflict("too_early", f"签到将于 {timezone.localtime(opens):%H:%M} 开始。")
    if now > closes:
        raise Conflict(
            "too_late", f"签到已于 {timezone.localtime(closes):%H:%M} 结束；如确已参加，请联系组织者登记。"
        )
    if Attendance.objects.filter(activity=locked, occurs_on=today, member=member).exists():
        raise Conflict("already_checked_in", f"{member.name}，您今天已经签到过了。")
    attendance = Attendance.objects.create(
        org=org,
        activity=locked,
        occurs_on=today,
        member=member,
        method=Attendance.Method.QR,
        recorded_by=actor,
    )
    if backfill:  # recorded afterwards (the demo's past term): the scan's own time
        Attendance.objects.filter(pk=attendance.pk).update(checked_in_at=now)
        attendance.checked_in_at = now
    _mark_held_if_planned(locked)
    audit.record(
        actor=actor,
        org=org,
        action="activities.attendance.checkin",
        obj=attendance,
        changes={"activity": locked.pk, "day": today.isoformat()},
    )
    return attendance


@transaction.atomic
def set_attendance(
    *, actor, org, activity: Activity, day: datetime.date, member_ids, today: datetime.date | None = None
) -> dict:
    """The organiser's roster for one occurrence: the ticked members are present (added as
    组织者登记), the unticked ones are not (their records for that day are removed)."""
    from jiaogong.activities.selectors import occurrence_on
    from jiaogong.members.models import Member

    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    if locked.status == Activity.Status.CANCELLED:
        raise Conflict("activity_cancelled", "活动已取消，不能登记出勤。")
    if not isinstance(day, datetime.date) or occurrence_on(locked, day) is None:
        raise InvalidInput({"day": "这一天没有这项活动。"})
    if day > (today or timezone.localdate()):
        raise InvalidInput({"day": "活动还没有举行，不能登记出勤。"})
    try:
        wanted = {int(i) for i in member_ids}
    except (TypeError, ValueError):
        raise InvalidInput({"members": "名单有误，请刷新后重试。"}) from None
    found = set(Member.objects.filter(org=org, pk__in=wanted).values_list("pk", flat=True))
    if found != wanted:
        raise InvalidInput({"members": "名单中有不属于本会的人员。"})
    present = set(
        Attendance.objects.filter(activity=locked, occurs_on=day).values_list("member_id", flat=True)
    )
    added, removed = sorted(wanted - present), sorted(present - wanted)
    Attendance.objects.filter(activity=locked, occurs_on=day, member_id__in=removed).delete()
    Attendance.objects.bulk_create(
        Attendance(
            org=org,
            activity=locked,
            occurs_on=day,
            member_id=m,
            method=Attendance.Method.MANUAL,
            recorded_by=actor,
        )
        for m in added
    )
    if wanted:
        _mark_held_if_planned(locked)
    audit.record(
        actor=actor,
        org=org,
        action="activities.attendance.set",
        obj=locked,
        changes={"day": day.isoformat(), "added": added, "removed": removed},
    )
    return {"added": added, "removed": removed, "present": len(wanted)}


# ---- photos, summary, cost ----------------------------------------------------------------------------


@transaction.atomic
def add_photo(*, actor, org, activity: Activity, upload, caption: str = "") -> Photo:
    from jiaogong.funds.books import sniff

    errors: dict[str, str] = {}
    caption = clean_text(
        caption, label="照片说明", max_length=100, required=False, errors=errors, field="caption"
    )
    content_type = None
    if upload is None:
        errors["image"] = "请选择照片（JPG 或 PNG）。"
    elif upload.size > MAX_PHOTO:
        errors["image"] = "照片不能超过 10 MB。"
    elif upload.size == 0:
        errors["image"] = "照片文件是空的。"
    else:
        head = upload.read(8)
        upload.seek(0)
        content_type = sniff(head)
        if content_type not in ("image/jpeg", "image/png"):
            errors["image"] = "照片只能是 JPG 或 PNG 图片。"
    if activity.org_id != org.pk:
        raise InvalidInput({"activity": "没有这项活动。"})
    if errors:
        raise InvalidInput(errors)
    ext = "png" if content_type == "image/png" else "jpg"
    photo = Photo(org=org, activity=activity, caption=caption, content_type=content_type, uploaded_by=actor)
    photo.image.save(f"photo.{ext}", upload, save=False)
    photo.save()
    audit.record(
        actor=actor, org=org, action="activities.photo.add", obj=photo, changes={"activity": activity.pk}
    )
    return photo


@transaction.atomic
def save_summary(*, actor, org, activity: Activity, summary: str) -> Activity:
    errors: dict[str, str] = {}
    text = clean_text(
        summary, label="活动小结", max_length=5000, required=False, errors=errors, field="summary"
    )
    if errors:
        raise InvalidInput(errors)
    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    before = locked.summary
    locked.summary = text
    locked.save(update_fields=["summary", "updated_at"])
    audit.record(
        actor=actor,
        org=org,
        action="activities.activity.summary",
        obj=locked,
        changes={"summary": [before, text]},
    )
    return locked


@transaction.atomic
def set_cost(*, actor, org, activity: Activity, cost) -> Activity:
    """The organiser enters what the activity cost (blank: none). Fixed once it is in the ledger."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    if locked.ledger_entry_id:
        raise Conflict("cost_posted", f"费用已记入账簿（第 {locked.ledger_entry_id} 号凭证），不能再改。")
    amount: Decimal | None = None
    if cost not in (None, ""):
        amount, problem = parse_yuan(cost, label="活动费用")
        if problem:
            raise InvalidInput({"cost": problem})
    before = locked.cost
    locked.cost = amount
    locked.save(update_fields=["cost", "updated_at"])
    audit.record(
        actor=actor,
        org=org,
        action="activities.activity.cost",
        obj=locked,
        changes={
            "cost": [str(before) if before is not None else None, str(amount) if amount is not None else None]
        },
    )
    return locked


@transaction.atomic
def post_cost(
    *,
    actor,
    org,
    activity: Activity,
    subcategory: str = "",
    date: datetime.date | None = None,
    payee: str = "",
    confirm_warnings: bool = False,
):
    """The finance member posts the entered cost to the ledger as 职工活动支出 (one voucher through
    funds.services.record_entry, whose own rules apply: a banned use waits for the finance
    member's own confirmation); the activity keeps the voucher."""
    from jiaogong.core.permissions import can
    from jiaogong.funds import services as funds

    if not can(actor, org, "funds.write"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有财务委员可以把活动费用记入账簿。")
    locked = Activity.objects.select_for_update().get(pk=activity.pk, org=org)
    if locked.ledger_entry_id:
        raise Conflict("cost_posted", f"费用已记入账簿（第 {locked.ledger_entry_id} 号凭证）。")
    if not locked.cost:
        raise InvalidInput({"cost": "请先由组织者填写活动费用。"})
    subcategory = subcategory or _default_subcategory(locked.kind)
    if subcategory not in COST_SUBCATEGORIES:
        raise InvalidInput({"subcategory": "请选择支出明细：文体活动、职工教育活动、宣传活动或集体福利。"})
    date = date or timezone.localdate()
    entry = funds.record_entry(
        actor=actor,
        org=org,
        date=date,
        kind="expense",
        category=COST_CATEGORY,
        subcategory=subcategory,
        amount=locked.cost,
        memo=f"{locked.title}（{timezone.localtime(locked.starts_at):%Y-%m-%d}）活动费用"[:200],
        payee=payee,
        confirm_warnings=confirm_warnings,
    )
    locked.ledger_entry = entry
    locked.save(update_fields=["ledger_entry", "updated_at"])
    audit.record(
        actor=actor,
        org=org,
        action="activities.activity.post_cost",
        obj=locked,
        changes={"entry": entry.pk, "amount": str(locked.cost), "subcategory": subcategory},
    )
    return entry


# ---- the private calendar feed ------------------------------------------------------------------------


@transaction.atomic
def calendar_feed(*, actor, org, reset: bool = False):
    """The actor's private feed (made on first use). `reset` gives it a new secret: the old
    address stops working at once (a lost phone, a link shared by mistake)."""
    from jiaogong.activities.models import CalendarFeed, new_checkin_token

    member = _member_for(actor, org)
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        member=member, defaults={"org": org}
    )
    if reset and not created:
        feed.token = new_checkin_token()
        feed.save(update_fields=["token"])
        audit.record(actor=actor, org=org, action="activities.feed.reset", obj=feed)
    elif created:
        audit.record(actor=actor, org=org, action="activities.feed.create", obj=feed)
    return feed
