"""The main navigation: one place for each module of PRODUCT.md, in the union's order.

A module that has pages names its URL and the capability needed to use it; the link is shown
only to roles that have it. A module still to be built has no URL: the bar keeps its place,
shown as not yet open, so that a chair sees where the year's work will live.
"""

from dataclasses import dataclass

from django.urls import reverse

from jiaogong.core.permissions import can


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str | None  # None: the module is not open yet
    capability: str = "org.view"
    where: str = "school"  # "school", "federation" or "any"


SECTIONS = (
    Section("dashboard", "首页", "core:dashboard"),
    Section("federation", "所属学校", "core:federation", where="federation"),
    Section("members", "会员", "members:list", "members.view"),
    Section("groups", "工会小组", "members:groups", "members.view"),
    Section("committee", "委员会", "members:committee", "members.view"),
    Section("congress", "教代会", "congress:list", "congress.view"),
    Section("voice", "校务公开", None),
    Section("funds", "会费经费", "funds:home"),
    Section("donations", "慈善捐款", "donations:home"),
    Section("welfare", "送温暖", "welfare:home", "welfare.report"),
    Section("activities", "活动", "activities:home", "activities.view"),
    Section("awards", "评先评优", None),
    Section("records", "计划总结台帐", "plans:home", "plans.view"),
    Section("rules", "规则参数", "core:rules", where="any"),
    Section("audit", "操作记录", "core:audit", "audit.view", where="any"),
)


def nav_items(user, org, current: str) -> list[dict]:
    """What the bar shows to `user` on `org`'s pages: label, url (None when not open), current."""
    kind = "federation" if org.is_federation else "school"
    items = []
    for s in SECTIONS:
        if s.where not in (kind, "any"):
            continue
        if s.url_name is None:
            items.append({"key": s.key, "label": s.label, "url": None, "current": False})
        elif can(user, org, s.capability):
            url = reverse(s.url_name, args=[org.pk])
            items.append({"key": s.key, "label": s.label, "url": url, "current": s.key == current})
    # What can be opened comes first (a phone shows the start of the bar); the rest keep their order.
    return sorted(items, key=lambda item: item["url"] is None)
