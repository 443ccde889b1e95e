"""The records a plan item can be linked to, and how each tells the item's status.

A kind of record registers a `LinkKind`: its key (stored on the item), a label, how to find one
record of an org, which records to offer for an item (those near its dates), and how to describe a
record — its label, its page, and its state: "done", "cancelled" or "pending" with the date it was
due (a pending record whose date has passed makes the item late).

Other apps add their kinds with `register(LinkKind(...))` (competitions, study sessions…).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

DONE, CANCELLED, PENDING = "done", "cancelled", "pending"


@dataclass(frozen=True)
class LinkInfo:
    label: str
    url: str
    state: str  # done | cancelled | pending
    due: datetime.date | None


@dataclass(frozen=True)
class LinkKind:
    key: str
    label: str
    # get(org, pk) -> the record of that org, or None
    get: Callable
    # candidates(org, start, end) -> records of the org between two dates (inclusive)
    candidates: Callable[..., Iterable]
    describe: Callable  # describe(org, record) -> LinkInfo


REGISTRY: dict[str, LinkKind] = {}


def register(kind: LinkKind) -> LinkKind:
    REGISTRY[kind.key] = kind
    return kind


def kind_for(key: str) -> LinkKind | None:
    return REGISTRY.get(key)


def _url(name: str, *args, fallback: str = "") -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse(fallback, args=args[:1]) if fallback else ""


# ---- 活动 ----------------------------------------------------------------------------------------


def _activity_get(org, pk):
    from jiaogong.activities.models import Activity

    return Activity.objects.filter(org=org, pk=pk).first()


def _activity_candidates(org, start: datetime.date, end: datetime.date):
    from jiaogong.activities.models import Activity

    return Activity.objects.filter(org=org, starts_at__date__gte=start, starts_at__date__lte=end).order_by(
        "starts_at", "id"
    )


def _activity_describe(org, activity) -> LinkInfo:
    day = timezone.localtime(activity.starts_at).date()
    state = {"held": DONE, "cancelled": CANCELLED}.get(activity.status, PENDING)
    return LinkInfo(
        label=f"活动：{activity.title}（{day.month}月{day.day}日）",
        url=_url("activities:detail", org.pk, activity.pk, fallback="activities:home"),
        state=state,
        due=timezone.localtime(activity.ends_at).date(),
    )


register(
    LinkKind(
        key="activity",
        label="活动",
        get=_activity_get,
        candidates=_activity_candidates,
        describe=_activity_describe,
    )
)


# ---- 教代会会议 ----------------------------------------------------------------------------------


def _congress_get(org, pk):
    from jiaogong.congress.models import Congress

    return Congress.objects.filter(org=org, pk=pk).first()


def _congress_candidates(org, start, end):
    from jiaogong.congress.models import Congress

    return Congress.objects.filter(org=org, opens_on__gte=start, opens_on__lte=end).order_by("opens_on", "id")


def _congress_describe(org, congress) -> LinkInfo:
    # A session took place when its delegates signed in; until then it is due on its date.
    held = congress.attendance.exists()
    return LinkInfo(
        label=f"教代会：{congress.title}（{congress.opens_on.month}月{congress.opens_on.day}日）",
        url=_url("congress:detail", org.pk, congress.pk),
        state=DONE if held else PENDING,
        due=congress.opens_on,
    )


register(
    LinkKind(
        key="congress",
        label="教代会会议",
        get=_congress_get,
        candidates=_congress_candidates,
        describe=_congress_describe,
    )
)


# ---- 慰问发放 -----------------------------------------------------------------------------------


def _greeting_get(org, pk):
    from jiaogong.welfare.models import GreetingBatch

    return GreetingBatch.objects.filter(org=org, pk=pk).first()


def _greeting_candidates(org, start, end):
    from jiaogong.welfare.models import GreetingBatch

    return GreetingBatch.objects.filter(org=org, given_on__gte=start, given_on__lte=end).order_by(
        "given_on", "id"
    )


def _greeting_describe(org, batch) -> LinkInfo:
    return LinkInfo(
        label=f"慰问：{batch.title}（{batch.given_on.month}月{batch.given_on.day}日）",
        url=_url("welfare:batch", org.pk, batch.pk),
        state=DONE if batch.status == "posted" else PENDING,
        due=batch.given_on,
    )


register(
    LinkKind(
        key="greeting",
        label="慰问发放",
        get=_greeting_get,
        candidates=_greeting_candidates,
        describe=_greeting_describe,
    )
)
