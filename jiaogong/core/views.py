"""The landing pages: home redirect, school dashboard, federation roll-up, rule parameters, audit log."""

import json
from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jiaogong.core import audit, rule_bounds
from jiaogong.core import rules as rule_params
from jiaogong.core.errors import DomainError
from jiaogong.core.forms import AuditFilterForm, RuleOverrideForm
from jiaogong.core.models import AuditEvent, Org
from jiaogong.core.permissions import can, home_org, orgs_visible_to
from jiaogong.core.views_support import add_domain_errors, org_view, perms
from jiaogong.members import privacy as member_privacy
from jiaogong.members import rules as member_rules
from jiaogong.members import selectors as member_selectors
from jiaogong.members.models import Member
from jiaogong.notifications import selectors as notification_selectors
from jiaogong.reports import dashboard as report_panels

# ---- home -----------------------------------------------------------------------------------


@login_required
def home(request):
    org = home_org(request.user)
    if org is None:
        return render(request, "core/no_org.html", {"page_title": "尚未分配组织"})
    return redirect("core:federation" if org.is_federation else "core:dashboard", org.pk)


# ---- school dashboard -----------------------------------------------------------------------


@dataclass
class Card:
    label: str
    count: int
    query: str  # the member list's query string ("" when the card links elsewhere)
    url: str = ""


DUE_SHOWN = 20  # 今日待办 lists this many (the daily job puts every one in the inbox)


@login_required
@org_view("org.view", "dashboard")
def dashboard(request, org):
    if org.is_federation:
        return redirect("core:federation", org.pk)
    today = timezone.localdate()
    data = member_selectors.dashboard(org, today)
    # The selector caps its name lists; the cards count them all (one query).
    extra = Member.objects.filter(org=org).aggregate(
        birthdays=Count("id", filter=member_selectors.list_q(org, "birthdays", today)),
        retiring=Count("id", filter=member_selectors.list_q(org, "retiring", today)),
    )
    age_male = rule_params.value_for(org, "members.retirement_age_male")
    age_female = rule_params.value_for(org, "members.retirement_age_female")
    retiring = [
        (m, member_rules.retirement_date(m.birth_date, m.gender, age_male, age_female)) for m in data.retiring
    ]
    # A birthday or a retirement date tells a birth date: only for those who may see it.
    sees_birth_date = member_privacy.sees_birth_date(request.user, org)
    lists = member_selectors.lists_for(request.user, org)
    list_cards = [
        Card(lists[key], count, f"list={key}")
        for key, count in (
            ("women", data.women),
            ("youth", data.youth),
            ("retirees", data.retirees),
            ("long_service", data.long_service),
            ("birthdays", extra["birthdays"]),
            ("retiring", extra["retiring"]),
            ("applicants", data.applicants),
        )
        if key in lists
    ]
    # 今日待办: what every module says is due, for this user (notifications/sources.py).
    due = notification_selectors.due_for(request.user, org, today)
    # This month's 行事历, budget use and participation, each for those who may read it.
    panels = report_panels.panels(request.user, org, today)
    cards = [
        Card("在册会员", data.members, "status=active"),
        Card("教师", data.teachers, "status=active&teacher=1"),
        *list_cards,
        Card("工会小组", data.groups, "", url=reverse("members:groups", args=[org.pk])),
    ]
    return render(
        request,
        "core/dashboard.html",
        {
            "org": org,
            "page_title": "首页",
            "today": today,
            "data": data,
            "cards": cards,
            "birthday_count": extra["birthdays"],
            "sees_birth_date": sees_birth_date,
            "retiring": retiring,
            "retiring_count": extra["retiring"],
            "due": due[:DUE_SHOWN],
            "due_count": len(due),
            "due_more": max(len(due) - DUE_SHOWN, 0),
            "can": perms(request.user, org, "members.view", "members.edit", "members.import"),
            "panels": panels,
        },
    )


# ---- federation roll-up ---------------------------------------------------------------------


def _descendant_ids(org) -> set[int]:
    """Ids of every org below `org` (one query per level of the tree, not per org)."""
    ids: set[int] = set()
    frontier = {org.pk}
    for _ in range(10):
        children = set(Org.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        if not children:
            break
        ids |= children
        frontier = children
    return ids


COUNT_KEYS = ("active", "women", "retirees", "applicants")


@login_required
@org_view("org.view", "federation")
def federation(request, org):
    if not org.is_federation:
        raise Http404("没有找到该组织。")
    below = _descendant_ids(org)
    schools = list(
        Org.objects.filter(pk__in=below, kind=Org.Kind.SCHOOL)
        .select_related("parent")
        .only("id", "name", "parent_id", "parent__name")
    )
    q = request.GET.get("q", "").strip()
    shown = [s for s in schools if q in s.name] if q else schools
    # One grouped query for every school's counts (the page must stay fast for 300 schools).
    counts = {
        row["org_id"]: row
        for row in Member.objects.filter(org_id__in=[s.pk for s in shown])
        .values("org_id")
        .annotate(
            active=Count("id", filter=Q(status="active")),
            women=Count("id", filter=Q(status="active", gender="F")),
            retirees=Count("id", filter=Q(status="retired")),
            applicants=Count("id", filter=Q(status="applicant")),
        )
        .order_by()
    }
    openable = set(orgs_visible_to(request.user).filter(pk__in=below).values_list("id", flat=True))
    rows = []
    for school in sorted(shown, key=lambda s: member_rules.pinyin_of(s.name)[0]):
        row = counts.get(school.pk, {})
        rows.append(
            {
                "school": school,
                "openable": school.pk in openable,
                "nested": school.parent_id != org.pk,
                **{k: row.get(k, 0) for k in COUNT_KEYS},
            }
        )
    totals = {k: sum(r[k] for r in rows) for k in COUNT_KEYS}
    return render(
        request,
        "core/federation.html",
        {
            "org": org,
            "page_title": "所属学校",
            "rows": rows,
            "totals": totals,
            "school_count": len(schools),
            "q": q,
        },
    )


# ---- rule parameters ------------------------------------------------------------------------


def _scope_label(org, scope: str) -> str:
    if scope == "org":
        return "本单位"
    if scope == "province":
        return f"省级（{org.province}）"
    return "全国默认"


@login_required
@org_view("org.view", "rules")
def rules(request, org):
    can_edit = can(request.user, org, "rules.edit")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有工会主席可以修改规则参数。")
        return _rules_post(request, org)
    key = request.GET.get("key", "")
    if key and can_edit:
        rule = rule_params.RULES.get(key)
        if rule is None:
            raise Http404("没有这个参数。")
        current = next(r for r in rule_params.rules_in_force(org) if r.rule.key == key)
        initial = {"value": current.display, "source": current.source if current.overridden else ""}
        return _rule_edit(request, org, current, RuleOverrideForm(rule=rule, initial=initial))
    return _rules_list(request, org, can_edit)


def _rules_post(request, org):
    key = request.POST.get("key", "")
    rule = rule_params.RULES.get(key)
    if rule is None:
        raise Http404("没有这个参数。")
    if request.POST.get("action") == "reset":
        rule_params.clear_org_value(actor=request.user, org=org, key=key)
        messages.success(request, f"“{rule.label}”已恢复为上级规定的取值。")
        return redirect(reverse("core:rules", args=[org.pk]) + f"#rule-{key}")
    form = RuleOverrideForm(request.POST, rule=rule)
    if form.is_valid():
        try:
            rule_params.set_org_value(
                actor=request.user,
                org=org,
                key=key,
                text=form.cleaned_data["value"],
                source=form.cleaned_data["source"],
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"“{rule.label}”已修改为本单位取值。")
            return redirect(reverse("core:rules", args=[org.pk]) + f"#rule-{key}")
    current = next(r for r in rule_params.rules_in_force(org) if r.rule.key == key)
    return _rule_edit(request, org, current, form)


def _rule_edit(request, org, current, form):
    national, province = rule_params.values_above(org, current.rule.key)
    limits = rule_bounds.describe(
        current.rule, national=national, province=province, province_name=org.province
    )
    return render(
        request,
        "core/rule_edit.html",
        {
            "org": org,
            "page_title": "修改规则参数",
            "item": current,
            "scope_label": _scope_label(org, current.scope),
            "province_display": (
                rule_params.format_value(current.rule, current.province_value)
                if current.province_value is not None
                else ""
            ),
            "form": form,
            "limits": limits,
        },
    )


def _readable(rule, value) -> str:
    """A table-valued rule as a sentence rather than JSON (the edit form still takes JSON)."""
    if rule.kind != "table":
        return rule_params.format_value(rule, value)
    if not value:
        return "不单列"
    if isinstance(value, dict):
        return "；".join(f"{k} {v}{rule.unit}" for k, v in value.items())
    if rule.key == "union.committee_size_table":
        return "；".join(f"≤{n}人：{lo}人" if lo == hi else f"≤{n}人：{lo}–{hi}人" for n, lo, hi in value)
    return rule_params.format_value(rule, value)


def _rules_list(request, org, can_edit: bool):
    groups: dict[str, list] = {}
    for item in rule_params.rules_in_force(org):
        groups.setdefault(item.rule.group, []).append(
            {
                "item": item,
                "scope_label": _scope_label(org, item.scope),
                "display": _readable(item.rule, item.value),
                "national_display": _readable(item.rule, item.national),
                "province_display": (
                    _readable(item.rule, item.province_value)
                    if item.overridden and item.province_value is not None
                    else ""
                ),
            }
        )
    return render(
        request,
        "core/rules.html",
        {
            "org": org,
            "page_title": "规则参数",
            "groups": groups,
            "can_edit": can_edit,
            "overrides": sum(1 for rows in groups.values() for r in rows if r["item"].overridden),
        },
    )


# ---- audit log ------------------------------------------------------------------------------

ACTION_LABELS = {
    "reports.summary.draft": "起草工作总结",
    "reports.summary.edit": "修改工作总结",
    "reports.summary.export": "导出工作总结",
    "reports.archive.export": "导出台帐",
    "accounts.role.grant": "授予角色",
    "accounts.role.revoke": "撤销角色",
    "accounts.token.create": "创建 API 令牌",
    "accounts.user.create": "新建账号",
    "accounts.user.update": "修改账号",
    "core.demo.generate": "生成演示数据",
    "core.org.create": "新建组织",
    "core.org.update": "修改组织",
    "core.rule.override": "修改规则参数",
    "core.rule.reset": "恢复规则参数",
    "members.application.approve": "批准入会",
    "members.committee.seat": "委员任职",
    "members.committee.seat_end": "委员离任",
    "members.committee.term": "新建委员会届次",
    "members.group.create": "新建工会小组",
    "members.group.delete": "删除工会小组",
    "members.group.leader": "设置小组长",
    "members.group.update": "修改工会小组",
    "members.member.create": "新增会员",
    "members.member.reveal": "查看身份证号/手机号",
    "members.member.status": "会员状态变更",
    "members.member.update": "修改会员信息",
    "members.roster.export": "导出名册（含完整证件号）",
    "members.roster.import": "导入名册",
    "donations.campaign.create": "新建捐款活动",
    "donations.contribution.record": "登记捐款",
    "donations.contribution.reverse": "冲销捐款记录",
    "donations.campaign.hand_over": "移交捐款",
}

# The filter offers these prefixes (an action code starts with one of them).
ACTION_PREFIXES = [
    ("members.", "会员与组织（全部）"),
    ("members.member.", "会员档案"),
    ("members.application.", "入会申请"),
    ("members.group.", "工会小组"),
    ("members.committee.", "委员会"),
    ("members.roster.", "名册导入导出"),
    ("core.rule.", "规则参数"),
    ("core.", "组织与系统"),
    ("accounts.", "账号与角色"),
    ("donations.", "慈善捐款"),
]

# Labels for change keys that are not model fields.
CHANGE_LABELS = {
    "value": "取值",
    "source": "依据",
    "fields": "查看字段",
    "via": "途径",
    "roles": "角色",
    "role": "角色",
    "org": "组织",
    "members": "会员人数",
    "member": "会员",
    "effective_on": "生效日期",
    "destination": "调往单位",
    "elected_on": "选举日期",
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "file": "文件",
    "count": "人数",
    "clear": "完整证件号和手机号",
    "reason": "原因",
}

# Keys whose values are personal data: shown masked on this page whatever the reader's role.
MASKS = {"id_number": member_rules.mask_id_number, "phone": member_rules.mask_phone}

# The capability that opens the records of each kind of audited action (longest matching prefix of the
# action code wins; "" is the default): a reader of the audit page sees only the events of modules
# they may open — never a hardship file, a care event or a 慰问 to a role that may not read them.
AUDIT_SCOPES = {
    "": "users.manage",  # a module not listed here: the chair only, until it is mapped
    "core.": "org.view",
    "accounts.": "users.manage",
    "notifications.": "users.manage",
    "members.": "members.view",
    "congress.": "congress.view",
    "funds.": "funds.view",
    "funds.benefit.": "funds.benefits.view",
    "donations.": "donations.view",
    "welfare.": "welfare.view",
    "hardship.": "hardship.view",
    "rights.": "rights.manage",
    "rights.case.": "rights.mediation",
    "rights.hearing.": "rights.mediation",
    "rights.seat.": "rights.mediation",
    "checkups.": "checkups.manage",
    "mutual_aid.": "mutual_aid.manage",
    "recuperation.": "recuperation.manage",
    "activities.": "activities.view",
    "clubs.": "activities.view",
    "competitions.": "activities.view",
    "study.": "activities.view",
    "plans.": "plans.view",
    "reports.": "records.view",
}


def audit_scope_q(user, org) -> Q:
    """The audit events of `org` this user may read (AUDIT_SCOPES)."""
    allowed = {prefix for prefix, capability in AUDIT_SCOPES.items() if can(user, org, capability)}
    denied = set(AUDIT_SCOPES) - allowed
    visible = Q(pk__in=[])
    for prefix in allowed:
        inner = [d for d in denied if d.startswith(prefix) and d != prefix]
        cond = Q(action__startswith=prefix) if prefix else Q()
        for d in inner:
            cond &= ~Q(action__startswith=d)
        if not prefix:  # the default covers only the actions no listed prefix matches
            for other in AUDIT_SCOPES:
                if other:
                    cond &= ~Q(action__startswith=other)
        visible |= cond
    return visible


def _model_for(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model, key: str) -> str:
    field = _field(model, key)
    # A field without its own verbose_name gets its name with spaces: prefer our label then.
    if field is not None and getattr(field, "verbose_name", None) not in (None, key.replace("_", " ")):
        return str(field.verbose_name)
    return CHANGE_LABELS.get(key, key)


def _show(model, key: str, value, masks: dict = MASKS) -> str:
    """One recorded value as text: personal data as the reader may see it (members/privacy.py),
    choice codes as their labels."""
    if value is None or value == "":
        return "—"
    if key in masks:
        return masks[key](str(value))
    if key == "fields" and isinstance(value, list):
        return "、".join(_label(model, str(v)) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_show(model, key, v, masks) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    field = _field(model, key)
    if field is not None and getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


HIDDEN = "（已隐去）"


def _changes(event, masks: dict = MASKS, hidden: set | frozenset = frozenset()) -> list[dict]:
    model = _model_for(event.object_type)
    out = []
    changes = event.changes if isinstance(event.changes, dict) else {}
    for key, pair in changes.items():
        if key in hidden:
            out.append({"label": _label(model, key), "before": "", "after": HIDDEN})
            continue
        if isinstance(pair, list | tuple) and len(pair) == 2:
            before, after = pair
        else:
            before, after = None, pair
        if before in (None, "") and after in (None, ""):
            continue  # a blank field of a new record says nothing
        out.append(
            {
                "label": _label(model, key),
                "before": _show(model, key, before, masks) if before is not None else "",
                "after": _show(model, key, after, masks),
            }
        )
    return out


def _redactions(user, org, events) -> dict:
    """(object_type, object_id) → keys of the recorded changes this user may not read
    (core.audit.REDACTIONS, registered by the apps)."""
    by_type: dict[str, list[str]] = {}
    for e in events:
        if e.object_type in audit.REDACTIONS:
            by_type.setdefault(e.object_type, []).append(e.object_id)
    out = {}
    for object_type, ids in by_type.items():
        for object_id, keys in audit.REDACTIONS[object_type](user, org, ids).items():
            out[(object_type, object_id)] = keys
    return out


@login_required
@org_view("audit.view", "audit")
def audit_log(request, org):
    events = AuditEvent.objects.filter(audit_scope_q(request.user, org), org=org).select_related("actor")
    User = get_user_model()
    actors = User.objects.filter(pk__in=events.values("actor_id")).order_by("username")
    form = AuditFilterForm(
        request.GET or None,
        action_choices=ACTION_PREFIXES,
        actor_choices=[(str(u.pk), str(u)) for u in actors],
    )
    if form.is_valid():
        if prefix := form.cleaned_data["action"]:
            events = events.filter(action__startswith=prefix)
        if actor := form.cleaned_data["actor"]:
            events = events.filter(actor_id=int(actor))
    page = Paginator(events.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    masks = member_privacy.masks_for(request.user, org)
    hidden = _redactions(request.user, org, page.object_list)
    rows = [
        {
            "event": e,
            "label": ACTION_LABELS.get(e.action, ""),
            "changes": _changes(e, masks, hidden.get((e.object_type, e.object_id), frozenset())),
        }
        for e in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "org": org,
        "page_title": "操作记录",
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
    }
    template = "core/_audit_results.html" if request.htmx else "core/audit.html"
    return render(request, template, context)
