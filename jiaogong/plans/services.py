"""Every write of 工作计划: start an empty plan, copy last year's, import pasted text (previewed,
then saved all-or-nothing), edit the plan, its sections, items and remainder, publish it, and link
an item to the record that fulfils it. Every write leaves an audit row."""

import datetime
import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.parsing import clean_text
from jiaogong.plans import links, periods
from jiaogong.plans.models import Item, Plan, Section
from jiaogong.plans.parsing import ParsedPlan, parse_plan

MAX_PASTE = 200_000
MIN_YEAR, MAX_YEAR = 2000, 2100
PLAN_FIELDS = ["title", "kind", "year", "season", "starts_on", "guidance", "remainder", "status"]
ITEM_FIELDS = ["period_kind", "period_start", "period_end", "text", "position", "manual_status"]


# ---- validation -----------------------------------------------------------------------------------


def _int_or_none(value, *, field: str, label: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = f"{label}应是数字。"
        return None


def _plan_head(*, title, kind, year, season, starts_on, errors: dict) -> dict:
    """The fields naming a plan and its dates, checked; defaults for season and starts_on."""
    title = clean_text(title, label="标题", max_length=200, required=True, errors=errors, field="title")
    if kind not in Plan.Kind.values:
        errors["kind"] = "请选择计划类型：年度、学年或学期。"
    year_value = _int_or_none(year, field="year", label="年度", errors=errors)
    if year_value is None and "year" not in errors:
        errors["year"] = "请填写年度。"
    elif year_value is not None and not MIN_YEAR <= year_value <= MAX_YEAR:
        errors["year"] = f"年度应在 {MIN_YEAR}—{MAX_YEAR} 之间。"
    season = season or ""
    if kind == Plan.Kind.SEMESTER:
        if season not in Plan.Season.values:
            errors["season"] = "学期计划请选择春季学期或秋季学期。"
    else:
        season = ""
    if starts_on not in (None, "") and not isinstance(starts_on, datetime.date):
        errors["starts_on"] = "开学日期格式应为 2025-09-01。"
    if errors:
        return {}
    if not starts_on:
        starts_on = periods.default_start(kind, year_value, season)
    elif abs(starts_on.year - year_value) > 1:
        errors["starts_on"] = "开学日期应在计划年度内。"
        return {}
    return {"title": title, "kind": kind, "year": year_value, "season": season, "starts_on": starts_on}


def _period(period_kind, period_start, period_end, errors: dict) -> tuple[str, int | None, int | None]:
    period_kind = period_kind or ""
    start = _int_or_none(period_start, field="period_start", label="时间", errors=errors)
    end = _int_or_none(period_end, field="period_end", label="结束时间", errors=errors)
    if not errors:
        errors.update(periods.check_period(period_kind, start, end))
    return period_kind, start, end


def _next_position(qs) -> int:
    return (qs.aggregate(m=Max("position"))["m"] or 0) + 1


# ---- plans ----------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, actor, org, title, kind, year, season="", starts_on=None, guidance="") -> Plan:
    """A new, empty plan (a draft)."""
    errors: dict[str, str] = {}
    head = _plan_head(title=title, kind=kind, year=year, season=season, starts_on=starts_on, errors=errors)
    guidance = clean_text(
        guidance, label="指导思想", max_length=20000, required=False, errors=errors, field="guidance"
    )
    if errors:
        raise InvalidInput(errors, "计划内容有误，未保存。")
    plan = Plan.objects.create(org=org, created_by=actor, guidance=guidance, **head)
    audit.record(
        actor=actor, org=org, action="plans.plan.create", obj=plan, changes=audit.snapshot(plan, PLAN_FIELDS)
    )
    return plan


@transaction.atomic
def update_plan(
    *, actor, plan: Plan, title, kind, year, season="", starts_on=None, guidance="", remainder=""
) -> Plan:
    errors: dict[str, str] = {}
    head = _plan_head(title=title, kind=kind, year=year, season=season, starts_on=starts_on, errors=errors)
    guidance = clean_text(
        guidance, label="指导思想", max_length=20000, required=False, errors=errors, field="guidance"
    )
    remainder = clean_text(
        remainder,
        label="待归类的文字",
        max_length=MAX_PASTE,
        required=False,
        errors=errors,
        field="remainder",
    )
    if errors:
        raise InvalidInput(errors, "计划内容有误，未保存。")
    before = audit.snapshot(plan, PLAN_FIELDS)
    for name, value in {**head, "guidance": guidance, "remainder": remainder}.items():
        setattr(plan, name, value)
    plan.save()
    audit.record(
        actor=actor,
        org=plan.org,
        action="plans.plan.update",
        obj=plan,
        changes=audit.diff(before, audit.snapshot(plan, PLAN_FIELDS)),
    )
    return plan


@transaction.atomic
def publish_plan(*, actor, plan: Plan) -> Plan:
    if plan.status == Plan.Status.PUBLISHED:
        raise Conflict("already_published", "该计划已发布。")
    if not plan.items.exists() and not plan.sections.exists():
        raise DomainError("empty_plan", "计划还没有任何工作内容或安排，不能发布。")
    plan.status = Plan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        org=plan.org,
        action="plans.plan.publish",
        obj=plan,
        changes={"status": ["draft", "published"]},
    )
    return plan


@transaction.atomic
def unpublish_plan(*, actor, plan: Plan) -> Plan:
    if plan.status != Plan.Status.PUBLISHED:
        raise Conflict("not_published", "该计划尚未发布。")
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        org=plan.org,
        action="plans.plan.unpublish",
        obj=plan,
        changes={"status": ["published", "draft"]},
    )
    return plan


@transaction.atomic
def delete_plan(*, actor, plan: Plan) -> None:
    if plan.status == Plan.Status.PUBLISHED:
        raise Conflict("published", "已发布的计划不能删除，请先撤回发布。")
    if plan.items.exclude(link_kind="").exists():
        raise Conflict("linked", "计划中有已关联记录的项目，不能删除。")
    audit.record(
        actor=actor,
        org=plan.org,
        action="plans.plan.delete",
        obj=plan,
        changes=audit.snapshot(plan, PLAN_FIELDS),
    )
    plan.delete()


def _next_title(title: str, year: int) -> str:
    """ "2024年工会工作计划" → "2025年…", "2024—2025学年" → "2025—2026学年"."""
    return re.sub(
        r"(?<!\d)(\d{4})(?!\d)",
        lambda m: str(int(m.group(1)) + 1) if int(m.group(1)) in (year, year + 1) else m.group(1),
        title,
    )


@transaction.atomic
def copy_plan(*, actor, plan: Plan) -> Plan:
    """Next year's plan from this one: same sections and schedule (its dates move a year on, the
    term start to the same weekday), no links, every item planned again; a draft."""
    org = plan.org
    if Plan.objects.filter(org=org, copied_from=plan, year=plan.year + 1).exists():
        raise Conflict("already_copied", "这份计划已复制到下一年度，请在计划列表中打开它。")
    if plan.year + 1 > MAX_YEAR:
        raise DomainError("year", "年度超出范围。")
    starts_on = plan.starts_on
    try:
        moved = starts_on.replace(year=starts_on.year + 1)
    except ValueError:  # 2月29日
        moved = starts_on.replace(year=starts_on.year + 1, day=28)
    # The nearest same weekday a year on: a term that began on a Tuesday begins on a Tuesday.
    shift = (starts_on.weekday() - moved.weekday()) % 7
    moved += datetime.timedelta(days=shift - 7 if shift > 3 else shift)
    new = Plan.objects.create(
        org=org,
        title=_next_title(plan.title, plan.year),
        kind=plan.kind,
        year=plan.year + 1,
        season=plan.season,
        starts_on=moved,
        guidance=plan.guidance,
        remainder=plan.remainder,
        copied_from=plan,
        created_by=actor,
    )
    Section.objects.bulk_create(
        Section(plan=new, title=s.title, text=s.text, position=s.position) for s in plan.sections.all()
    )
    Item.objects.bulk_create(
        Item(
            org=org,
            plan=new,
            period_kind=i.period_kind,
            period_start=i.period_start,
            period_end=i.period_end,
            text=i.text,
            position=i.position,
        )
        for i in plan.items.all()
    )
    audit.record(
        actor=actor,
        org=org,
        action="plans.plan.copy",
        obj=new,
        changes={"copied_from": plan.pk, "year": [plan.year, new.year], "items": new.items.count()},
    )
    return new


# ---- import ---------------------------------------------------------------------------------------


def preview_import(text: str) -> ParsedPlan:
    """Parse pasted text without saving anything; an empty or oversize paste is refused."""
    text = text or ""
    if not text.strip():
        raise InvalidInput({"text": "请粘贴计划的文字。"}, "没有可导入的内容。")
    if len(text) > MAX_PASTE:
        raise InvalidInput(
            {"text": f"粘贴的文字太长（超过 {MAX_PASTE} 字），请分次导入。"}, "没有可导入的内容。"
        )
    return parse_plan(text)


@transaction.atomic
def import_plan(*, actor, org, text: str, title="", kind="", year=None, season="", starts_on=None) -> Plan:
    """Save pasted text as a new draft plan: title, 指导思想, sections, schedule, remainder — all or
    nothing. The title, kind and year default to what the parser found."""
    parsed = preview_import(text)
    errors: dict[str, str] = {}
    head = _plan_head(
        title=title or parsed.title or "工会工作计划",
        kind=kind or parsed.kind,
        year=year if year not in (None, "") else parsed.year,
        season=season,
        starts_on=starts_on,
        errors=errors,
    )
    if errors:
        raise InvalidInput(errors, "导入失败：请检查标题、类型和年度，未保存任何内容。")
    plan = Plan.objects.create(
        org=org, created_by=actor, guidance=parsed.guidance, remainder=parsed.remainder_text, **head
    )
    Section.objects.bulk_create(
        Section(plan=plan, title=s.title[:300] or "（无标题）", text=s.text, position=n)
        for n, s in enumerate(parsed.sections, start=1)
    )
    Item.objects.bulk_create(
        Item(
            org=org,
            plan=plan,
            period_kind=i.period.kind,
            period_start=i.period.start,
            period_end=i.period.end,
            text=i.text,
            position=n,
        )
        for n, i in enumerate(parsed.items, start=1)
    )
    audit.record(
        actor=actor,
        org=org,
        action="plans.plan.import",
        obj=plan,
        changes={
            **audit.snapshot(plan, ["title", "kind", "year", "season"]),
            "sections": len(parsed.sections),
            "items": len(parsed.items),
            "remainder_lines": len(parsed.remainder),
        },
    )
    return plan


# ---- sections ------------------------------------------------------------------------------------


def _section_fields(title, text, errors):
    title = clean_text(title, label="标题", max_length=300, required=True, errors=errors, field="title")
    text = clean_text(text, label="内容", max_length=20000, required=False, errors=errors, field="text")
    return title, text


@transaction.atomic
def add_section(*, actor, plan: Plan, title, text="") -> Section:
    errors: dict[str, str] = {}
    title, text = _section_fields(title, text, errors)
    if errors:
        raise InvalidInput(errors, "内容有误，未保存。")
    section = Section.objects.create(
        plan=plan, title=title, text=text, position=_next_position(plan.sections)
    )
    audit.record(
        actor=actor, org=plan.org, action="plans.section.create", obj=section, changes={"title": title}
    )
    return section


@transaction.atomic
def update_section(*, actor, section: Section, title, text="") -> Section:
    errors: dict[str, str] = {}
    title, text = _section_fields(title, text, errors)
    if errors:
        raise InvalidInput(errors, "内容有误，未保存。")
    before = audit.snapshot(section, ["title", "text"])
    section.title, section.text = title, text
    section.save()
    audit.record(
        actor=actor,
        org=section.plan.org,
        action="plans.section.update",
        obj=section,
        changes=audit.diff(before, audit.snapshot(section, ["title", "text"])),
    )
    return section


@transaction.atomic
def delete_section(*, actor, section: Section) -> None:
    audit.record(
        actor=actor,
        org=section.plan.org,
        action="plans.section.delete",
        obj=section,
        changes=audit.snapshot(section, ["title", "text"]),
    )
    section.delete()


def _move(obj, siblings, direction: str):
    ordered = list(siblings.order_by("position", "id"))
    index = next(n for n, o in enumerate(ordered) if o.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise InvalidInput({"direction": "只能上移或下移。"})
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for n, o in enumerate(ordered, start=1):
        if o.position != n:
            o.position = n
            o.save(update_fields=["position"])
    return True


@transaction.atomic
def move_section(*, actor, section: Section, direction: str) -> Section:
    if _move(section, section.plan.sections.all(), direction):
        audit.record(
            actor=actor,
            org=section.plan.org,
            action="plans.section.move",
            obj=section,
            changes={"direction": direction},
        )
    return section


# ---- items ----------------------------------------------------------------------------------------


def _item_fields(period_kind, period_start, period_end, text, errors):
    kind, start, end = _period(period_kind, period_start, period_end, errors)
    text = clean_text(text, label="工作内容", max_length=2000, required=True, errors=errors, field="text")
    return kind, start, end, text


@transaction.atomic
def add_item(*, actor, plan: Plan, text, period_kind="", period_start=None, period_end=None) -> Item:
    errors: dict[str, str] = {}
    kind, start, end, text = _item_fields(period_kind, period_start, period_end, text, errors)
    if errors:
        raise InvalidInput(errors, "安排有误，未保存。")
    item = Item.objects.create(
        org=plan.org,
        plan=plan,
        period_kind=kind,
        period_start=start,
        period_end=end,
        text=text,
        position=_next_position(plan.items),
    )
    audit.record(
        actor=actor,
        org=plan.org,
        action="plans.item.create",
        obj=item,
        changes=audit.snapshot(item, ITEM_FIELDS),
    )
    return item


@transaction.atomic
def update_item(*, actor, item: Item, text, period_kind="", period_start=None, period_end=None) -> Item:
    errors: dict[str, str] = {}
    kind, start, end, text = _item_fields(period_kind, period_start, period_end, text, errors)
    if errors:
        raise InvalidInput(errors, "安排有误，未保存。")
    before = audit.snapshot(item, ITEM_FIELDS)
    item.period_kind, item.period_start, item.period_end, item.text = kind, start, end, text
    item.save()
    audit.record(
        actor=actor,
        org=item.org,
        action="plans.item.update",
        obj=item,
        changes=audit.diff(before, audit.snapshot(item, ITEM_FIELDS)),
    )
    return item


@transaction.atomic
def move_item(*, actor, item: Item, direction: str) -> Item:
    if _move(item, item.plan.items.all(), direction):
        audit.record(
            actor=actor, org=item.org, action="plans.item.move", obj=item, changes={"direction": direction}
        )
    return item


@transaction.atomic
def delete_item(*, actor, item: Item) -> None:
    audit.record(
        actor=actor,
        org=item.org,
        action="plans.item.delete",
        obj=item,
        changes=audit.snapshot(item, ITEM_FIELDS),
    )
    item.delete()


@transaction.atomic
def set_item_status(*, actor, item: Item, status: str, today: datetime.date | None = None) -> Item:
    """By hand, for an item with no linked record: done or cancelled once its time has come, or
    back to planned."""
    from jiaogong.plans.selectors import item_range

    today = today or timezone.localdate()
    if item.link_kind:
        raise DomainError(
            "linked", "该项目已关联记录，完成情况随关联的记录变化；如需手动填写，请先取消关联。"
        )
    if status not in (Item.Status.PLANNED, Item.Status.DONE, Item.Status.CANCELLED):
        raise InvalidInput({"status": "完成情况只能是计划中、已完成或已取消。"})
    span = item_range(item)
    if status == Item.Status.DONE and span is not None and span[0] > today:
        raise DomainError("not_yet", f"该项目安排在 {span[0]:%Y-%m-%d} 以后，时间未到，不能标记为已完成。")
    before = item.manual_status
    item.manual_status = status
    item.save(update_fields=["manual_status"])
    audit.record(
        actor=actor,
        org=item.org,
        action="plans.item.status",
        obj=item,
        changes={"manual_status": [before, status]},
    )
    return item


@transaction.atomic
def link_item(*, actor, item: Item, kind: str, record_id) -> Item:
    """Link the item to the record that fulfils it; its status then follows that record."""
    link_kind = links.kind_for(kind or "")
    if link_kind is None:
        raise InvalidInput(
            {"kind": "请选择关联记录的类型：" + "、".join(k.label for k in links.REGISTRY.values()) + "。"}
        )
    errors: dict[str, str] = {}
    pk = _int_or_none(record_id, field="record_id", label="关联记录", errors=errors)
    if errors or pk is None:
        raise InvalidInput(errors or {"record_id": "请选择要关联的记录。"})
    record = link_kind.get(item.org, pk)
    if record is None:
        raise InvalidInput({"record_id": f"没有找到本工会的这条{link_kind.label}记录。"})
    before = [item.link_kind, item.link_id]
    item.link_kind, item.link_id = link_kind.key, record.pk
    item.linked_by, item.linked_at = actor, timezone.now()
    item.save(update_fields=["link_kind", "link_id", "linked_by", "linked_at"])
    audit.record(
        actor=actor,
        org=item.org,
        action="plans.item.link",
        obj=item,
        changes={"link": [before, [item.link_kind, item.link_id]]},
    )
    return item


@transaction.atomic
def unlink_item(*, actor, item: Item) -> Item:
    if not item.link_kind:
        raise Conflict("not_linked", "该项目没有关联记录。")
    before = [item.link_kind, item.link_id]
    item.link_kind, item.link_id, item.linked_by, item.linked_at = "", None, None, None
    item.save(update_fields=["link_kind", "link_id", "linked_by", "linked_at"])
    audit.record(
        actor=actor, org=item.org, action="plans.item.unlink", obj=item, changes={"link": [before, None]}
    )
    return item


# ---- the remainder -------------------------------------------------------------------------------


@transaction.atomic
def place_remainder(
    *,
    actor,
    plan: Plan,
    line: int,
    target: str,
    section_id=None,
    period_kind="",
    period_start=None,
    period_end=None,
):
    """Move one line of the remainder into the plan: as 指导思想, into a section (appended to its
    text), as a new section (the line is its title), or as a schedule item. The line leaves the
    remainder."""
    lines = [x for x in plan.remainder.split("\n")]
    if not isinstance(line, int) or not 0 <= line < len(lines) or not lines[line].strip():
        raise InvalidInput({"line": "请选择待归类文字中的一行。"})
    text = lines[line].strip()
    if target == "guidance":
        plan.guidance = (plan.guidance + "\n" + text).strip()
        made = plan
    elif target == "section":
        section = plan.sections.filter(pk=section_id).first() if section_id not in (None, "") else None
        if section is None:
            raise InvalidInput({"section_id": "请选择要放入的部分。"})
        section.text = (section.text + "\n" + text).strip()
        section.save(update_fields=["text"])
        made = section
    elif target == "new_section":
        made = Section.objects.create(
            plan=plan, title=text[:300], text="", position=_next_position(plan.sections)
        )
    elif target == "item":
        errors: dict[str, str] = {}
        kind, start, end = _period(period_kind, period_start, period_end, errors)
        if errors:
            raise InvalidInput(errors, "安排有误，未保存。")
        from jiaogong.plans.parsing import strip_item

        made = Item.objects.create(
            org=plan.org,
            plan=plan,
            period_kind=kind,
            period_start=start,
            period_end=end,
            text=strip_item(text) or text,
            position=_next_position(plan.items),
        )
    elif target == "discard":
        made = plan
    else:
        raise InvalidInput({"target": "请选择放到哪里：指导思想、某一部分、新的部分、工作安排或删除。"})
    del lines[line]
    plan.remainder = "\n".join(lines).strip("\n")
    plan.save(update_fields=["remainder", "guidance", "updated_at"])
    audit.record(
        actor=actor,
        org=plan.org,
        action="plans.remainder.place",
        obj=plan,
        changes={"line": text[:200], "target": target, "into": str(made.pk)},
    )
    return made


@transaction.atomic
def create_activity_for_item(*, actor, item: Item, **activity) -> "object":
    """Turn a schedule item into the activity that fulfils it: create the activity
    (activities.services.create_activity, same arguments) and link the item to it, together."""
    from jiaogong.activities import services as activities

    created = activities.create_activity(actor=actor, org=item.org, **activity)
    link_item(actor=actor, item=item, kind="activity", record_id=created.pk)
    return created
