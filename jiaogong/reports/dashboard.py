"""The chair's dashboard panels (core/dashboard.html): this month's 行事历, budget use, this year's
participation. Charts are drawn on the server (reports.charts, inline SVG); nothing loads from a CDN.

Each panel is shown to those who may read what it summarises (activities.view, funds.view,
records.view); a panel whose app is not there yet is left out.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from jiaogong.core.permissions import can
from jiaogong.reports import charts, figures

WEEKDAYS = "一二三四五六日"
SHOWN_PER_DAY = 2


@dataclass
class Day:
    date: datetime.date | None  # None: a blank cell before the 1st or after the last day
    events: list = field(default_factory=list)  # [(time text, title, url)]

    @property
    def more(self) -> int:
        return max(len(self.events) - SHOWN_PER_DAY, 0)

    @property
    def shown(self):
        return self.events[:SHOWN_PER_DAY]


def month_calendar(org, today: datetime.date) -> dict | None:
    """The month's weeks (Monday first) with each day's occurrences, and the list of them."""
    try:
        from jiaogong.activities import selectors as activity_selectors
    except ImportError:  # pragma: no cover  (the activities app ships with the product)
        return None
    first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(today.year, today.month)[1])
    occurrences = activity_selectors.occurrences_between(org, first, last)
    days = {
        first + datetime.timedelta(days=i): Day(first + datetime.timedelta(days=i)) for i in range(last.day)
    }
    items = []
    for o in occurrences:
        start = timezone.localtime(o.starts_at)
        link = figures.url("activities:detail", org.pk, o.activity.pk)
        entry = (f"{start:%H:%M}", o.activity.title, link)
        if start.date() in days:
            days[start.date()].events.append(entry)
        items.append(
            {
                "start": start,
                "end": timezone.localtime(o.ends_at),
                "title": o.activity.title,
                "url": link,
                "location": o.activity.location,
            }
        )
    cells = [Day(None) for _ in range(first.weekday())] + list(days.values())
    cells += [Day(None) for _ in range(-len(cells) % 7)]
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    return {
        "month": first,
        "weekdays": WEEKDAYS,
        "weeks": weeks,
        "items": items,
        "upcoming": [i for i in items if i["end"].date() >= today],
        "url": figures.url("activities:calendar", org.pk) or figures.url("activities:home", org.pk),
    }


def budget_chart(org, year: int) -> dict | None:
    """Per expense category with a budget: the share used (the line at 100 %)."""
    from jiaogong.funds import books
    from jiaogong.funds.charts import money

    budget = books.budget_vs_actual(org, year)
    if not budget["has_budget"]:
        return {"chart": None, "year": year, "budget": budget}
    items = []
    for r in budget["expense"]:
        if not r["budget"]:
            continue
        used = r["actual"] / r["budget"] * 100
        items.append((r["category"], used, f"{money(r['actual'])} / {money(r['budget'])} 元（{used:.0f}%）"))
    top = max([float(u) for _, u, _ in items] + [100.0])
    axis = 100.0 if top <= 100 else float(-(-top // 50) * 50)
    total_used = budget["expense_actual"] - budget["remitted"]
    chart = charts.bar_chart(
        "budget",
        f"{year} 年支出预算执行",
        items,
        axis_max=axis,
        limit=100,
        tick_format="{:.0f}%",
        empty_text="本年度没有支出预算",
    )
    return {"chart": chart, "year": year, "budget": budget, "used": total_used}


def participation(org, year: int) -> dict:
    """This year's participation: members who took part in an activity over members on the roll
    (the 工作总结's figures `participants` and `members`)."""
    people = len(figures.participants(org, year))
    members = len(figures.members(org, year))
    times = len(figures.attendance(org, year))
    rate = (Decimal(people) * 100 / members) if members else Decimal(0)
    chart = charts.bar_chart(
        "participation",
        f"{year} 年会员参与活动",
        [("参与过活动的会员", rate, f"{people} / {members} 人（{figures.rate(people, members)}）")],
        axis_max=100,
        tick_format="{:.0f}%",
    )
    return {"chart": chart, "people": people, "members": members, "times": times, "year": year}


def panels(user, org, today: datetime.date) -> dict:
    out: dict = {}
    if can(user, org, "activities.view"):
        out["calendar"] = month_calendar(org, today)
    if can(user, org, "funds.view"):
        out["budget"] = budget_chart(org, today.year)
    if can(user, org, "activities.view") and can(user, org, "records.view"):
        out["participation"] = participation(org, today.year)
    if can(user, org, "records.view"):
        out["summary_url"] = figures.url("reports:summary", org.pk, today.year)
        out["participants_url"] = figures.url("reports:figure", org.pk, today.year, "participants")
    return out
