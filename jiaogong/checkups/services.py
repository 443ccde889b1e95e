"""体检 writes: open a round (its list computed by the eligibility rule), add people who became
eligible since, and mark each person done / not done / declined with the date. Checked first,
written whole or not at all, audited.

A round's cost per person is shown as the total due only: paying the hospital is a finance
posting made by the finance member, not here.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.checkups import rules
from jiaogong.checkups.models import Entry, Round
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.money import parse_yuan
from jiaogong.core.parsing import clean_text
from jiaogong.members.models import Member


def eligible_members(org, *, kind: str, include_retirees: bool) -> list[Member]:
    statuses = ["active", "retired"] if include_retirees else ["active"]
    return [
        m
        for m in Member.objects.filter(org=org, status__in=statuses).order_by("name_pinyin", "pk")
        if rules.is_eligible(kind=kind, status=m.status, gender=m.gender, include_retirees=include_retirees)
    ]


@transaction.atomic
def create_round(
    *,
    actor,
    org,
    title: str,
    kind: str,
    year,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    provider: str,
    cost_per_person=None,
    include_retirees: bool = False,
    note: str = "",
) -> Round:
    """Open a round and put everyone eligible on its list (e.g. 2026年女职工两癌筛查 at 县妇幼保健院)."""
    errors: dict[str, str] = {}
    title = clean_text(title, label="名称", max_length=100, required=True, errors=errors, field="title")
    provider = clean_text(
        provider, label="体检机构", max_length=100, required=True, errors=errors, field="provider"
    )
    note = clean_text(note, label="说明", max_length=500, required=False, errors=errors, field="note")
    if kind not in Round.Kind.values:
        errors["kind"] = "请选择类别：体检、妇检或两癌筛查。"
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = "请填写年度，例如 2026。"
    else:
        if not 2000 <= year <= 2100:
            errors["year"] = "年度应在 2000 至 2100 之间。"
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = "请填写开始日期。"
    if not isinstance(ends_on, datetime.date):
        errors["ends_on"] = "请填写结束日期。"
    elif isinstance(starts_on, datetime.date) and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    cost = None
    if cost_per_person not in (None, ""):
        cost, problem = parse_yuan(cost_per_person, label="人均费用")
        if problem:
            errors["cost_per_person"] = problem
    if title and "title" not in errors and Round.objects.filter(org=org, title=title).exists():
        errors["title"] = f"本单位已有名为“{title}”的体检安排。"
    if errors:
        raise InvalidInput(errors, "体检安排有误，未创建。")
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                org=org,
                title=title,
                kind=kind,
                year=year,
                starts_on=starts_on,
                ends_on=ends_on,
                provider=provider,
                cost_per_person=cost,
                include_retirees=bool(include_retirees),
                note=note,
                created_by=actor,
            )
    except IntegrityError:
        raise InvalidInput(
            {"title": f"本单位已有名为“{title}”的体检安排。"}, "体检安排有误，未创建。"
        ) from None
    people = eligible_members(org, kind=kind, include_retirees=bool(include_retirees))
    Entry.objects.bulk_create([Entry(org=org, round=round_, member=m) for m in people])
    changes = audit.snapshot(round_)
    changes["listed"] = len(people)
    audit.record(actor=actor, org=org, action="checkups.round.create", obj=round_, changes=changes)
    return round_


@transaction.atomic
def add_newly_eligible(*, actor, round_: Round) -> int:
    """Put on the list those who became eligible since the round opened (a new member joined);
    nobody already on it is removed or changed. Returns how many were added."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    listed = set(Entry.objects.filter(round=round_).values_list("member_id", flat=True))
    people = [
        m
        for m in eligible_members(round_.org, kind=round_.kind, include_retirees=round_.include_retirees)
        if m.pk not in listed
    ]
    Entry.objects.bulk_create([Entry(org_id=round_.org_id, round=round_, member=m) for m in people])
    if people:
        audit.record(
            actor=actor,
            org=round_.org_id,
            action="checkups.round.add_eligible",
            obj=round_,
            changes={"added": [m.pk for m in people]},
        )
    return len(people)


@transaction.atomic
def set_status(*, actor, entry: Entry, status: str, on: datetime.date | None = None) -> Entry:
    """Mark one person: done (已检) or declined (放弃) on a date, or back to not done (未检)."""
    entry = Entry.objects.select_for_update().select_related("round", "member").get(pk=entry.pk)
    round_ = entry.round
    errors: dict[str, str] = {}
    if status not in Entry.Status.values:
        errors["status"] = "请选择状态：已检、未检或放弃。"
    elif status == Entry.Status.PENDING:
        on = None
    elif not isinstance(on, datetime.date):
        errors["on"] = "请填写日期。"
    elif on > timezone.localdate():
        errors["on"] = "日期不能晚于今天。"
    elif status == Entry.Status.DONE and not round_.starts_on <= on <= round_.ends_on:
        errors["on"] = (
            f"体检日期应在本次安排的时间内（{round_.starts_on:%Y-%m-%d} 至 {round_.ends_on:%Y-%m-%d}）。"
        )
    if errors:
        raise InvalidInput(errors, f"{entry.member.name}的状态未修改。")
    if entry.status == status and entry.status_on == on:
        raise Conflict("unchanged", f"{entry.member.name}已经是“{entry.get_status_display()}”。")
    before = {"status": entry.status, "status_on": str(entry.status_on) if entry.status_on else None}
    entry.status = status
    entry.status_on = on
    entry.updated_by = actor
    entry.save(update_fields=["status", "status_on", "updated_by", "updated_at"])
    after = {"status": entry.status, "status_on": str(on) if on else None}
    audit.record(
        actor=actor,
        org=entry.org_id,
        action="checkups.entry.set_status",
        obj=entry,
        changes=audit.diff(before, after),
    )
    return entry
