"""疗休养 writes: the yearly plan and its batches, applying and withdrawing, approval within the
quota (one or the top of the queue at once), rejection, and the record of a trip. Every write is
checked first, written whole or not at all, and audited."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.parsing import clean_text
from jiaogong.members.models import Member
from jiaogong.recuperation import selectors
from jiaogong.recuperation.models import Application, Batch, Plan, Trip


def _positive(value, *, label, errors, field) -> int | None:
    text = "" if value is None else str(value).strip()
    if not text:
        errors[field] = f"请填写{label}。"
        return None
    if not text.isdigit() or int(text) <= 0:
        errors[field] = f"{label}应为正整数。"
        return None
    if int(text) > 10000:
        errors[field] = f"{label}过大。"
        return None
    return int(text)


def _locked(plan: Plan) -> Plan:
    """The plan row locked: two approvals of the same plan never both take the last place."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


# ---- plans and batches ------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *, actor, org, year, quota, opens_on, closes_on, title: str = "", destination: str = "", note: str = ""
) -> Plan:
    errors: dict[str, str] = {}
    year_n = _positive(year, label="年度", errors=errors, field="year")
    if year_n is not None and not 2000 <= year_n <= 2100:
        errors["year"] = "年度应为四位年份，如 2026。"
    quota_n = _positive(quota, label="名额", errors=errors, field="quota")
    title = clean_text(title, label="名称", max_length=100, required=False, errors=errors, field="title")
    destination = clean_text(
        destination, label="疗休养地点", max_length=100, required=False, errors=errors, field="destination"
    )
    note = clean_text(note, label="说明", max_length=500, required=False, errors=errors, field="note")
    if not isinstance(opens_on, datetime.date):
        errors["opens_on"] = "请填写报名开始日期。"
    if not isinstance(closes_on, datetime.date):
        errors["closes_on"] = "请填写报名截止日期。"
    elif isinstance(opens_on, datetime.date) and closes_on < opens_on:
        errors["closes_on"] = "报名截止日期不能早于开始日期。"
    if "year" not in errors and Plan.objects.filter(org=org, year=year_n).exists():
        errors["year"] = f"{year_n} 年度的疗休养计划已经建立。"
    if errors:
        raise InvalidInput(errors, "疗休养计划有误，未创建。")
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                org=org,
                year=year_n,
                title=title or f"{year_n}年度职工疗休养",
                quota=quota_n,
                destination=destination,
                opens_on=opens_on,
                closes_on=closes_on,
                note=note,
                created_by=actor,
            )
    except IntegrityError:
        raise InvalidInput(
            {"year": f"{year_n} 年度的疗休养计划已经建立。"}, "疗休养计划有误，未创建。"
        ) from None
    audit.record(
        actor=actor, org=org, action="recuperation.plan.create", obj=plan, changes=audit.snapshot(plan)
    )
    return plan


@transaction.atomic
def add_batch(*, actor, plan: Plan, name, starts_on, ends_on, places) -> Batch:
    errors: dict[str, str] = {}
    name = clean_text(name, label="批次名称", max_length=50, required=True, errors=errors, field="name")
    places_n = _positive(places, label="批次名额", errors=errors, field="places")
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = "请填写出发日期。"
    if not isinstance(ends_on, datetime.date):
        errors["ends_on"] = "请填写返回日期。"
    elif isinstance(starts_on, datetime.date) and ends_on < starts_on:
        errors["ends_on"] = "返回日期不能早于出发日期。"
    if name and "name" not in errors and plan.batches.filter(name=name).exists():
        errors["name"] = f"已有名为“{name}”的批次。"
    if places_n is not None and "places" not in errors:
        others = sum(plan.batches.values_list("places", flat=True))
        if others + places_n > plan.quota:
            errors["places"] = f"各批次名额合计 {others + places_n} 人，超过计划名额 {plan.quota} 人。"
    if errors:
        raise InvalidInput(errors, "批次有误，未添加。")
    batch = Batch.objects.create(plan=plan, name=name, starts_on=starts_on, ends_on=ends_on, places=places_n)
    audit.record(
        actor=actor,
        org=plan.org,
        action="recuperation.batch.create",
        obj=batch,
        changes=audit.snapshot(batch),
    )
    return batch


# ---- applying ----------------------------------------------------------------------------------------


@transaction.atomic
def apply(*, actor, plan: Plan, member: Member, today: datetime.date, note: str = "") -> Application:
    """A member asks for a place: only within the window, only if eligible (the reasons why not
    are the message), once."""
    if member.org_id != plan.org_id:
        raise DomainError("not_in_org", "该会员不属于本单位。")
    errors: dict[str, str] = {}
    note = clean_text(note, label="申请说明", max_length=200, required=False, errors=errors, field="note")
    if errors:
        raise InvalidInput(errors, "申请有误，未提交。")
    if not plan.is_open(today):
        raise DomainError(
            "window_closed",
            f"{plan.title}的报名时间是 {plan.opens_on:%Y-%m-%d} 至 {plan.closes_on:%Y-%m-%d}，现在不能申请。",
        )
    ok, reasons = selectors.eligibility(member, today)
    if not ok:
        raise DomainError(
            "not_eligible", "暂不符合疗休养条件：" + "".join(reasons), extra={"reasons": reasons}
        )
    if plan.applications.filter(
        member=member, status__in=[Application.Status.APPLIED, Application.Status.APPROVED]
    ).exists():
        raise Conflict("already_applied", "您已经申请过本年度的疗休养。")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                org=plan.org, plan=plan, member=member, applied_at=timezone.now(), note=note
            )
    except IntegrityError:
        raise Conflict("already_applied", "您已经申请过本年度的疗休养。") from None
    audit.record(
        actor=actor,
        org=plan.org,
        action="recuperation.application.create",
        obj=application,
        changes={"plan": plan.pk, "member": member.pk, "note": note},
    )
    return application


@transaction.atomic
def withdraw(*, actor, application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.APPLIED:
        raise Conflict("not_waiting", f"申请{application.get_status_display()}，不能撤回。")
    application.status = Application.Status.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    audit.record(
        actor=actor,
        org=application.org,
        action="recuperation.application.withdraw",
        obj=application,
        changes={"status": "withdrawn"},
    )
    return application


# ---- deciding -----------------------------------------------------------------------------------------


def _went_on(plan: Plan, batch: Batch | None, went_on) -> datetime.date:
    if batch is not None:
        return batch.starts_on
    if isinstance(went_on, datetime.date):
        return went_on
    raise InvalidInput({"went_on": "请选择批次，或填写出发日期。"}, "未批准：缺少出发日期。")


@transaction.atomic
def approve(
    *,
    actor,
    plan: Plan,
    applications: list[Application],
    today: datetime.date,
    batch: Batch | None = None,
    went_on: datetime.date | None = None,
) -> list[Trip]:
    """Approve these waiting applications (all or none): within the plan's quota and the batch's
    places, each member still eligible today. Each approval records the trip (date = the batch's
    start, else `went_on`), which becomes the member's last time."""
    plan = _locked(plan)
    if not applications:
        raise DomainError("nothing", "没有选择要批准的申请。")
    if batch is not None and batch.plan_id != plan.pk:
        raise DomainError("batch", "批次不属于本计划。")
    day = _went_on(plan, batch, went_on)
    rows = list(
        Application.objects.select_for_update()
        .filter(pk__in=[a.pk for a in applications], plan=plan)
        .select_related("member")
    )
    if len(rows) != len({a.pk for a in applications}):
        raise DomainError("not_in_plan", "所选申请不属于本计划。")
    rank = {a.pk: i for i, a in enumerate(applications)}
    rows.sort(key=lambda a: rank[a.pk])  # in the order given (the queue's)
    for a in rows:
        if a.status != Application.Status.APPLIED:
            raise Conflict("not_waiting", f"{a.member.name}的申请{a.get_status_display()}，不能再批准。")
    left = plan.quota - selectors.approved_count(plan)
    if len(rows) > left:
        raise DomainError(
            "over_quota",
            f"本年度名额 {plan.quota} 人，已批准 {plan.quota - left} 人，只剩 {left} 个名额，"
            f"不能再批准 {len(rows)} 人。",
        )
    if batch is not None:
        batch_left = batch.places - selectors.batch_taken(batch)
        if len(rows) > batch_left:
            raise DomainError(
                "over_batch",
                f"{batch.name}名额 {batch.places} 人，只剩 {batch_left} 个，不能再批准 {len(rows)} 人。",
            )
    for a in rows:
        ok, reasons = selectors.eligibility(a.member, today)
        if not ok:
            raise DomainError("not_eligible", f"{a.member.name}已不符合条件：" + "".join(reasons))
    now = timezone.now()
    trips = []
    for a in rows:
        a.status = Application.Status.APPROVED
        a.batch = batch
        a.decided_by = actor
        a.decided_at = now
        a.save(update_fields=["status", "batch", "decided_by", "decided_at"])
        trip = Trip.objects.create(
            org=plan.org,
            member=a.member,
            went_on=day,
            destination=plan.destination,
            plan=plan,
            batch=batch,
            application=a,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            org=plan.org,
            action="recuperation.application.approve",
            obj=a,
            changes={"member": a.member_id, "batch": batch.pk if batch else None, "went_on": day.isoformat()},
        )
        trips.append(trip)
    return trips


def approve_top(
    *,
    actor,
    plan: Plan,
    count,
    today: datetime.date,
    batch: Batch | None = None,
    went_on: datetime.date | None = None,
) -> list[Trip]:
    """Approve the first `count` of the fair queue in one step (refused whole if over the quota)."""
    errors: dict[str, str] = {}
    n = _positive(count, label="人数", errors=errors, field="count")
    if errors:
        raise InvalidInput(errors, "未批准：请填写人数。")
    rows = selectors.queue(plan, today)
    if n > len(rows):
        raise DomainError("queue_short", f"排队中只有 {len(rows)} 人，不能批准前 {n} 人。")
    return approve(
        actor=actor,
        plan=plan,
        applications=[r["application"] for r in rows[:n]],
        today=today,
        batch=batch,
        went_on=went_on,
    )


@transaction.atomic
def reject(*, actor, application: Application, reason) -> Application:
    errors: dict[str, str] = {}
    reason = clean_text(
        reason, label="未批准的原因", max_length=200, required=True, errors=errors, field="reason"
    )
    if errors:
        raise InvalidInput(errors, "未处理：请填写原因。")
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.APPLIED:
        raise Conflict("not_waiting", f"申请{application.get_status_display()}，不能再处理。")
    application.status = Application.Status.REJECTED
    application.reason = reason
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        org=application.org,
        action="recuperation.application.reject",
        obj=application,
        changes={"status": "rejected", "reason": reason},
    )
    return application


@transaction.atomic
def record_trip(*, actor, org, member: Member, went_on, destination: str = "", note: str = "") -> Trip:
    """An earlier trip (before the system, or arranged by the 上级工会): it counts as last time."""
    if member.org_id != org.pk:
        raise DomainError("not_in_org", "该会员不属于本单位。")
    errors: dict[str, str] = {}
    destination = clean_text(
        destination, label="地点", max_length=100, required=False, errors=errors, field="destination"
    )
    note = clean_text(note, label="说明", max_length=200, required=False, errors=errors, field="note")
    if not isinstance(went_on, datetime.date):
        errors["went_on"] = "请填写出发日期。"
    elif went_on > timezone.localdate():
        errors["went_on"] = "补登的是已经参加过的疗休养，日期不能晚于今天。"
    if errors:
        raise InvalidInput(errors, "疗休养记录有误，未登记。")
    trip = Trip.objects.create(
        org=org, member=member, went_on=went_on, destination=destination, note=note, recorded_by=actor
    )
    audit.record(
        actor=actor, org=org, action="recuperation.trip.record", obj=trip, changes=audit.snapshot(trip)
    )
    return trip
