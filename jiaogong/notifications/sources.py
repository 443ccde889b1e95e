"""What is due, from every module: the one interface the daily reminders and the chair's
dashboard read.

A module registers a *source*: a function `(org, today) -> iterable of DueItem`, from its
AppConfig.ready() (`sources.register(fn)`). The daily job (notifications/tasks.py) asks every
source of every school for its items and turns each (item, recipient) into one notification —
once: `DueItem.key` names the due thing itself (the visit, the birthday of that year, the file's
review of that year), so running the job twice, or on the next day while the item is still due,
creates nothing new. The dashboard lists the same items for the user looking at it.

Privacy is the source's job: it names as recipients only users who may see what the item says
(a hardship review goes to the chair and the welfare member; a visit to its visitor, the chair
and the welfare member), and writes `title`/`body` without health details.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# The kinds a member may switch on or off (notification preferences), in display order.
KINDS: dict[str, str] = {
    "visits": "慰问走访（待走访、已逾期）",
    "birthdays": "会员生日",
    "retirements": "即将退休",
    "hardship_reviews": "困难职工档案年度复核",
    "rights": "调解案件期限、集体合同年度履约审议",
    "activities": "活动报名（截止提醒、候补转正）",
}


@dataclass(frozen=True)
class DueItem:
    key: str  # unique for the due thing, e.g. "welfare.visit.overdue:42", "members.birthday:17:2026"
    kind: str  # one of KINDS
    org_id: int
    title: str  # Chinese, one line: the notification's headline and the e-mail subject
    url: str  # a path in the app where the item is dealt with
    recipients: tuple[int, ...]  # user ids
    body: str = ""
    due_on: datetime.date | None = None
    overdue: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)


Source = Callable[[object, datetime.date], Iterable[DueItem]]
SOURCES: list[Source] = []


def register(source: Source) -> Source:
    """Add a source (idempotent: ready() may run more than once in tests)."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def due_items(org, today: datetime.date) -> list[DueItem]:
    """Every registered source's items for the org, overdue first, then by due date."""
    items: list[DueItem] = []
    for source in SOURCES:
        for item in source(org, today):
            if item.kind not in KINDS:
                raise ValueError(f"unknown reminder kind {item.kind!r} from {source!r}")
            items.append(item)
    return sorted(items, key=lambda i: (not i.overdue, i.due_on or datetime.date.max, i.key))
