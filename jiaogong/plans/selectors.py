"""Reads of 工作计划, always scoped by org: the plans, one plan with its schedule (each item with its
dates, its status and the record it is linked to), link candidates, and the year's progress."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from jiaogong.plans import links, periods
from jiaogong.plans.models import Item, Plan
from jiaogong.plans.parsing import period_label

STATUS_LABELS = dict(Item.Status.choices)


def plans_of(org, *, year: int | None = None):
    qs = Plan.objects.filter(org=org).annotate(
        item_count=Count("items"), linked_count=Count("items", filter=~Q(items__link_kind=""))
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-starts_on", "-id")


def plan_for(org, plan_id) -> Plan:
    plan = Plan.objects.filter(org=org, pk=plan_id).first()
    if plan is None:
        raise Http404("没有找到该计划。")
    return plan


def item_for(org, item_id, *, plan: Plan | None = None) -> Item:
    qs = Item.objects.filter(org=org, pk=item_id).select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    item = qs.first()
    if item is None:
        raise Http404("没有找到该项目。")
    return item


def item_range(item: Item, plan: Plan | None = None):
    plan = plan or item.plan
    return periods.date_range(
        plan_kind=plan.kind,
        year=plan.year,
        season=plan.season,
        starts_on=plan.starts_on,
        period_kind=item.period_kind,
        start=item.period_start,
        end=item.period_end,
    )


@dataclass
class ItemView:
    item: Item
    label: str  # 9月, 第一季度, 第3周, 时间待定
    start: datetime.date | None
    end: datetime.date | None
    status: str
    link: links.LinkInfo | None
    link_missing: bool = False  # linked to a record that no longer exists

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def manual_allowed(self) -> bool:
        return not self.item.link_kind


def item_view(org, item: Item, today: datetime.date, plan: Plan | None = None) -> ItemView:
    plan = plan or item.plan
    span = item_range(item, plan)
    info, missing = None, False
    if item.link_kind:
        kind = links.kind_for(item.link_kind)
        record = kind.get(org, item.link_id) if kind else None
        if record is not None:
            info = kind.describe(org, record)
        else:
            missing = True
    state = periods.status(
        today=today,
        period_end=span[1] if span else None,
        manual=item.manual_status,
        linked=info is not None,
        record_state=info.state if info else "",
        record_due=info.due if info else None,
    )
    return ItemView(
        item=item,
        label=period_label(item.period_kind, item.period_start, item.period_end),
        start=span[0] if span else None,
        end=span[1] if span else None,
        status=state,
        link=info,
        link_missing=missing,
    )


def schedule(org, plan: Plan, today: datetime.date) -> list[ItemView]:
    """The plan's items in order of their dates (时间待定 last), then of their position."""
    views = [item_view(org, item, today, plan) for item in plan.items.all()]
    far = datetime.date.max
    return sorted(views, key=lambda v: (v.start or far, v.item.position, v.item.pk))


def grouped(views: list[ItemView]) -> list[tuple[str, list[ItemView]]]:
    """[(period label, items)] in schedule order."""
    groups: list[tuple[str, list[ItemView]]] = []
    for view in views:
        if groups and groups[-1][0] == view.label:
            groups[-1][1].append(view)
        else:
            groups.append((view.label, [view]))
    return groups


def counts(views: list[ItemView]) -> dict[str, int]:
    out = {s: 0 for s in (periods.PLANNED, periods.DONE, periods.CANCELLED, periods.LATE)}
    for v in views:
        out[v.status] += 1
    out["total"] = len(views)
    return out


def link_candidates(
    org, item: Item, kind_key: str, today: datetime.date
) -> list[tuple[object, links.LinkInfo]]:
    """Records of a kind to offer for an item: those within a month of its period (or, for
    时间待定, of the plan's dates)."""
    kind = links.kind_for(kind_key)
    if kind is None:
        return []
    span = item_range(item)
    if span is None:  # 时间待定: anything within the plan's year (or term)
        months = 6 if item.plan.kind == "semester" else 12
        span = (item.plan.starts_on, item.plan.starts_on + datetime.timedelta(days=31 * months))
    start, end = span[0] - datetime.timedelta(days=31), span[1] + datetime.timedelta(days=31)
    return [(record, kind.describe(org, record)) for record in kind.candidates(org, start, end)[:50]]


def plan_progress(org, year: int, *, today: datetime.date | None = None) -> dict:
    """For the work summary: the items of the org's plans falling in calendar year `year` (by their
    dates; 时间待定 items of the plans of that year), with planned/done/cancelled/late counts.

    {"year", "planned", "done", "cancelled", "late", "total", "items": [ItemView…], "plans": [Plan…]}
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    plans = list(Plan.objects.filter(org=org, year__in=(year - 1, year)).prefetch_related("items"))
    chosen: list[ItemView] = []
    used: list[Plan] = []
    for plan in plans:
        taken = False
        for item in plan.items.all():
            view = item_view(org, item, today, plan)
            in_year = view.start.year == year if view.start else plan.year == year
            if in_year:
                chosen.append(view)
                taken = True
        if taken:
            used.append(plan)
    far = datetime.date.max
    chosen.sort(key=lambda v: (v.start or far, v.item.plan_id, v.item.position, v.item.pk))
    out = counts(chosen)
    out.update(year=year, items=chosen, plans=used)
    return out
