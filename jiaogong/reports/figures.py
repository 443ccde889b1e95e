"""The figures of the year's 工作总结, each defined once.

A figure is a function giving the rows it counts (one row per record, with a link to the record);
its value is the number of those rows, or the sum of their amounts. The summary prints the value,
the figure's page lists the rows, so the number shown is always the rows listed. A figure may
group its rows (visits by 事由, spending by 科目): each group's number is the rows of that group.

Another org's records never appear: every query is filtered by org. Private details stay out of
the rows of 送温暖 (no names or notes of a visit: the 事由, the date and the amount only).
"""

import datetime
import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jiaogong.core.money import to_money

ZERO = Decimal("0.00")


def url(name: str, *args) -> str:
    """The page of a record, or "" while the page does not exist (an app still being built)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class Row:
    title: str
    date: datetime.date | None = None
    detail: str = ""
    url: str = ""
    amount: Decimal | None = None
    group: str = ""  # the group the row counts under (a kind, a category)
    guard: str = ""  # a capability needed to read this row's title and detail (a hardship help's voucher)


@dataclass(frozen=True)
class Figure:
    key: str
    area: str  # a key of models.AREAS
    label: str
    unit: str  # "人", "次", "件", "元", "人次"…
    rows: Callable  # (org, year) -> list[Row]
    measure: str = "count"  # "count": the number of rows; "amount": the sum of their amounts
    group_label: str = ""  # what the groups are ("事由", "科目"): the figure is broken down by it

    def value(self, rows: list[Row]):
        if self.measure == "amount":
            return to_money(sum((r.amount or ZERO for r in rows), ZERO))
        return len(rows)

    def text(self, value) -> str:
        if self.measure == "amount":
            return f"{value:,.2f} 元"
        return f"{value} {self.unit}"


FIGURES: dict[str, Figure] = {}

# Who may see the records a figure lists (its drill-down page): whoever may read those records
# themselves. Every reader of the summary sees each figure's total and its groups; a reader without
# the capability sees no row (no member's dues, no visit, no ledger memo).
ROW_CAPABILITIES = {
    "organization": "members.view",
    "democracy": "congress.view",
    "welfare": "welfare.view",
    "culture": "activities.view",
    "funds": "funds.view",
    "plan": "plans.view",
}
ROW_CAPABILITY_OF = {"benefits": "funds.benefits.view"}


def row_capability(fig: Figure) -> str:
    """The capability that opens the rows of `fig` ("records.manage" for an area not listed)."""
    return ROW_CAPABILITY_OF.get(fig.key) or ROW_CAPABILITIES.get(fig.area, "records.manage")


def rows_shown(user, org, fig: Figure, rows: list[Row]) -> list[Row] | None:
    """The rows as `user` may see them: None when the figure's records are closed to them; a row
    whose guard they lack keeps its date, group and amount, its title becomes its group."""
    from jiaogong.core.permissions import can

    if not can(user, org, row_capability(fig)):
        return None
    allowed: dict[str, bool] = {}
    out = []
    for r in rows:
        if r.guard:
            if r.guard not in allowed:
                allowed[r.guard] = can(user, org, r.guard)
            if not allowed[r.guard]:
                r = Row(r.group or "（已隐去）", r.date, "详情仅经办人可见", "", r.amount, r.group, r.guard)
        out.append(r)
    return out


def figure(key: str, area: str, label: str, unit: str, *, measure: str = "count", group_label: str = ""):
    def register(fn):
        FIGURES[key] = Figure(key, area, label, unit, fn, measure, group_label)
        return fn

    return register


def same_rows(key: str, area: str, label: str, *, of: str, group_label: str = ""):
    """A figure summing the amounts of another figure's rows (visits → their amount)."""
    FIGURES[key] = Figure(key, area, label, "元", FIGURES[of].rows, measure="amount", group_label=group_label)


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _year_span(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


# ---- 组织建设 ----------------------------------------------------------------------------------------


def _member_row(org, m, *, date=None, detail="") -> Row:
    return Row(m.name, date, detail, url("members:detail", org.pk, m.pk))


@figure("members", "organization", "在册会员", "人")
def members(org, year):
    from jiaogong.members.models import Member

    qs = Member.objects.filter(org=org, status=Member.Status.ACTIVE).select_related("union_group")
    return [
        _member_row(org, m, date=m.joined_on, detail=m.union_group.name if m.union_group else "")
        for m in qs.order_by("name_pinyin", "id")
    ]


@figure("members_women", "organization", "女会员", "人")
def members_women(org, year):
    from jiaogong.members.models import Member

    qs = Member.objects.filter(org=org, status=Member.Status.ACTIVE, gender=Member.Gender.FEMALE)
    return [_member_row(org, m, date=m.joined_on) for m in qs.order_by("name_pinyin", "id")]


@figure("joined", "organization", "新入会", "人")
def joined(org, year):
    from jiaogong.members.models import Member

    qs = Member.objects.filter(org=org, joined_on__year=year).exclude(status=Member.Status.APPLICANT)
    return [_member_row(org, m, date=m.joined_on, detail="入会") for m in qs.order_by("joined_on", "id")]


LEFT_STATUSES = ("transferred", "deceased", "retired")


@figure("left", "organization", "调出、退休、去世", "人", group_label="去向")
def left(org, year):
    from jiaogong.members.models import MemberStatusChange

    qs = (
        MemberStatusChange.objects.filter(org=org, effective_on__year=year, to_status__in=LEFT_STATUSES)
        .select_related("member")
        .order_by("effective_on", "id")
    )
    return [
        Row(
            c.member.name,
            c.effective_on,
            c.get_to_status_display(),
            url("members:detail", org.pk, c.member_id),
            group=c.get_to_status_display(),
        )
        for c in qs
    ]


@figure("groups", "organization", "工会小组", "个")
def groups(org, year):
    from jiaogong.members.models import UnionGroup

    return [
        Row(g.name, None, g.get_kind_display(), url("members:group", org.pk, g.pk))
        for g in UnionGroup.objects.filter(org=org).order_by("name", "id")
    ]


@figure("committee", "organization", "工会委员会委员", "人")
def committee(org, year):
    from jiaogong.members.models import CommitteeSeat, CommitteeTerm

    end = datetime.date(year, 12, 31)
    seats = (
        CommitteeSeat.objects.filter(
            org=org, term__body=CommitteeTerm.Body.UNION, term__elected_on__lte=end, since__lte=end
        )
        .filter(Q(until__isnull=True) | Q(until__gt=end))
        .filter(Q(term__closed_on__isnull=True) | Q(term__closed_on__gt=end))
        .select_related("member", "term")
        .order_by("position", "id")
    )
    return [
        Row(
            s.member.name,
            s.since,
            f"{s.term}·{s.get_position_display()}{('·' + s.get_portfolio_display()) if s.portfolio else ''}",
            url("members:committee", org.pk),
        )
        for s in seats
    ]


# ---- 民主管理 ----------------------------------------------------------------------------------------


@figure("congress_sessions", "democracy", "召开教代会", "次")
def congress_sessions(org, year):
    from jiaogong.congress.models import Congress

    qs = Congress.objects.filter(org=org, opens_on__year=year).select_related("term").order_by("opens_on")
    return [Row(c.title, c.opens_on, str(c.term), url("congress:detail", org.pk, c.pk)) for c in qs]


def _proposals(org, year):
    from jiaogong.congress.models import Proposal

    return (
        Proposal.objects.filter(org=org, congress__opens_on__year=year)
        .exclude(state=Proposal.State.AWAITING_SECONDS)
        .order_by("congress__opens_on", "number", "id")
    )


def _proposal_row(org, p, detail="") -> Row:
    number = f"第{p.number}号 " if p.number else ""
    return Row(
        f"{number}{p.title}",
        p.replied_on or (p.submitted_at and _local_date(p.submitted_at)),
        detail or f"{p.get_kind_display()}·{p.get_state_display()}",
        url("congress:proposal", org.pk, p.pk),
        group=p.get_kind_display(),
    )


@figure("proposals", "democracy", "收到提案和意见建议", "件", group_label="类别")
def proposals(org, year):
    return [_proposal_row(org, p) for p in _proposals(org, year)]


@figure("proposals_accepted", "democracy", "立案提案", "件")
def proposals_accepted(org, year):
    from jiaogong.congress.models import Proposal

    qs = _proposals(org, year).filter(kind=Proposal.Kind.PROPOSAL, number__isnull=False)
    return [_proposal_row(org, p) for p in qs]


@figure("proposals_replied", "democracy", "已答复", "件", group_label="答复类别")
def proposals_replied(org, year):
    rows = []
    for p in _proposals(org, year).filter(replied_on__isnull=False):
        row = _proposal_row(org, p, p.get_reply_code_display() or p.get_state_display())
        rows.append(
            Row(row.title, row.date, row.detail, row.url, group=p.get_reply_code_display() or "未分类")
        )
    return rows


@figure("proposals_rated", "democracy", "提案人已评价", "件", group_label="评价")
def proposals_rated(org, year):
    rows = []
    for p in _proposals(org, year).exclude(rating=""):
        row = _proposal_row(org, p, p.get_rating_display())
        rows.append(Row(row.title, row.date, row.detail, row.url, group=p.get_rating_display()))
    return rows


@figure("proposals_satisfied", "democracy", "评价满意或基本满意", "件")
def proposals_satisfied(org, year):
    from jiaogong.congress.models import Proposal

    qs = _proposals(org, year).filter(rating__in=[Proposal.Rating.SATISFIED, Proposal.Rating.BASICALLY])
    return [_proposal_row(org, p, p.get_rating_display()) for p in qs]


# ---- 送温暖 ------------------------------------------------------------------------------------------


@figure("visits", "welfare", "走访慰问", "人次", group_label="事由")
def visits(org, year):
    from jiaogong.welfare import selectors as welfare_selectors
    from jiaogong.welfare.models import Visit

    qs = (
        Visit.objects.filter(org=org, visited_on__year=year)
        .select_related("event")
        .order_by("visited_on", "id")
    )
    labels: dict[str, str] = {}
    rows = []
    for v in qs:
        kind = v.event.kind
        if kind not in labels:
            labels[kind] = welfare_selectors.kind_label(org, kind)
        rows.append(
            Row(
                f"走访慰问·{labels[kind]}",
                v.visited_on,
                f"{v.amount:,.2f} 元" if v.amount else "未发钱物",
                url("welfare:event", org.pk, v.event_id),
                amount=v.amount or ZERO,
                group=labels[kind],
            )
        )
    return rows


same_rows("visits_amount", "welfare", "走访慰问金额", of="visits", group_label="事由")


def _posted_batches(org, year):
    from jiaogong.welfare.models import GreetingBatch

    return GreetingBatch.objects.filter(
        org=org, status=GreetingBatch.Status.POSTED, given_on__year=year
    ).order_by("given_on", "id")


@figure("greetings", "welfare", "节日和生日慰问", "批", group_label="类别")
def greetings(org, year):
    from django.db.models import Count, Sum

    qs = _posted_batches(org, year).annotate(people=Count("recipients"), total=Sum("recipients__amount"))
    return [
        Row(
            b.title,
            b.given_on,
            f"{b.people} 人·{b.item}",
            url("welfare:batch", org.pk, b.pk),
            amount=to_money(b.total or ZERO),
            group=b.get_kind_display(),
        )
        for b in qs
    ]


@figure("greeting_people", "welfare", "节日和生日慰问", "人次", group_label="批次")
def greeting_people(org, year):
    from jiaogong.welfare.models import GreetingRecipient

    qs = (
        GreetingRecipient.objects.filter(batch__in=_posted_batches(org, year))
        .select_related("member", "batch")
        .order_by("batch__given_on", "batch_id", "id")
    )
    return [
        Row(
            r.member.name,
            r.batch.given_on,
            r.batch.title,
            url("welfare:batch", org.pk, r.batch_id),
            amount=r.amount,
            group=r.batch.title,
        )
        for r in qs
    ]


same_rows("greetings_amount", "welfare", "节日和生日慰问金额", of="greeting_people", group_label="批次")


@figure("benefits", "welfare", "慰问支出（慰问记录）", "笔", measure="amount", group_label="类别")
def benefits(org, year):
    from jiaogong.funds.caps import FORM_LABELS, KIND_LABELS
    from jiaogong.funds.models import Benefit

    qs = Benefit.objects.filter(org=org, date__year=year).order_by("date", "id")
    target = url("funds:benefits", org.pk)
    rows = []
    for b in qs:
        label = (
            f"{b.festival}节日慰问"
            if b.kind == "festival" and b.festival
            else KIND_LABELS.get(b.kind, b.kind)
        )
        rows.append(
            Row(
                label,
                b.date,
                FORM_LABELS.get(b.form, b.form),
                f"{target}?year={year}" if target else "",
                amount=b.amount,
                group=KIND_LABELS.get(b.kind, b.kind),
            )
        )
    return rows


# ---- 文体活动 ----------------------------------------------------------------------------------------


def _activity_url(org, activity_id) -> str:
    return url("activities:detail", org.pk, activity_id)


@figure("activities", "culture", "举办活动", "项", group_label="类型")
def activities(org, year):
    from jiaogong.activities.models import Activity

    start, end = _year_span(year)
    qs = Activity.objects.filter(
        org=org, status=Activity.Status.HELD, starts_at__gte=start, starts_at__lt=end
    ).order_by("starts_at", "id")
    return [
        Row(
            a.title,
            _local_date(a.starts_at),
            a.location,
            _activity_url(org, a.pk),
            group=a.get_kind_display(),
        )
        for a in qs
    ]


@figure("attendance", "culture", "参加活动", "人次", group_label="活动")
def attendance(org, year):
    from jiaogong.activities.models import Attendance

    qs = (
        Attendance.objects.filter(org=org, occurs_on__year=year)
        .select_related("member", "activity")
        .order_by("occurs_on", "activity_id", "id")
    )
    return [
        Row(
            a.member.name,
            a.occurs_on,
            a.activity.title,
            _activity_url(org, a.activity_id),
            group=a.activity.title,
        )
        for a in qs
    ]


@figure("participants", "culture", "参加活动的会员", "人")
def participants(org, year):
    from jiaogong.activities.models import Attendance

    counts = Counter(
        Attendance.objects.filter(org=org, occurs_on__year=year).values_list("member_id", flat=True)
    )
    from jiaogong.members.models import Member

    people = Member.objects.filter(org=org, pk__in=counts).order_by("name_pinyin", "id")
    return [_member_row(org, m, detail=f"参加 {counts[m.pk]} 人次") for m in people]


# Competitions, clubs and study sessions are activities too (counted above); these say what kind.


def _held_in(year: int, prefix: str = "activity__") -> dict:
    start, end = _year_span(year)
    return {f"{prefix}status": "held", f"{prefix}starts_at__gte": start, f"{prefix}starts_at__lt": end}


@figure("competitions", "culture", "举办比赛", "项")
def competitions(org, year):
    from jiaogong.competitions.models import Competition

    qs = (
        Competition.objects.filter(org=org, **_held_in(year))
        .select_related("activity")
        .order_by("activity__starts_at")
    )
    return [
        Row(
            c.activity.title,
            _local_date(c.activity.starts_at),
            c.activity.location,
            url("competitions:detail", org.pk, c.pk),
        )
        for c in qs
    ]


@figure("clubs", "culture", "兴趣小组", "个")
def clubs(org, year):
    from django.db.models import Count

    from jiaogong.clubs.models import Club

    qs = (
        Club.objects.filter(org=org)
        .annotate(people=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
        .order_by("name", "id")
    )
    return [Row(c.name, None, f"成员 {c.people} 人", url("clubs:club", org.pk, c.pk)) for c in qs]


@figure("study_sessions", "culture", "组织学习", "次")
def study_sessions(org, year):
    from jiaogong.study.models import StudySession

    qs = (
        StudySession.objects.filter(org=org, **_held_in(year))
        .select_related("activity")
        .order_by("activity__starts_at")
    )
    return [
        Row(
            s.topic,
            _local_date(s.activity.starts_at),
            s.activity.get_kind_display(),
            url("study:session", org.pk, s.pk),
        )
        for s in qs
    ]


@figure("reflections", "culture", "提交学习心得", "篇")
def reflections(org, year):
    from jiaogong.study.models import Reflection

    qs = (
        Reflection.objects.filter(org=org, **_held_in(year, "session__activity__"))
        .select_related("member", "session")
        .order_by("submitted_at", "id")
    )
    return [
        Row(
            r.member.name,
            _local_date(r.submitted_at),
            r.session.topic,
            url("study:session", org.pk, r.session_id),
        )
        for r in qs
    ]


# ---- 经费 --------------------------------------------------------------------------------------------


@figure("dues", "funds", "收缴会费", "笔", measure="amount", group_label="月份")
def dues(org, year):
    from jiaogong.funds.models import DuesPayment

    qs = (
        DuesPayment.objects.filter(org=org, paid_on__year=year)
        .select_related("member")
        .order_by("month", "id")
    )
    return [
        Row(
            p.member.name,
            p.paid_on,
            f"{p.month:%Y年%-m月}会费",
            url("funds:dues", org.pk, f"{p.month:%Y-%m}"),
            amount=p.amount,
            group=f"{p.month:%Y年%-m月}",
        )
        for p in qs
    ]


def _ledger_rows(org, year, kind: str):
    from jiaogong.funds import privacy
    from jiaogong.funds.models import LedgerEntry

    qs = list(LedgerEntry.objects.filter(org=org, date__year=year, kind=kind).order_by("date", "id"))
    guards = privacy.guards(qs)
    target = url("funds:ledger", org.pk)
    return [
        Row(
            e.memo or e.category,
            e.date,
            f"{e.category}{('·' + e.subcategory) if e.subcategory else ''}{'（冲销）' if e.reverses_id else ''}",
            f"{target}?year={year}#entry-{e.pk}" if target else "",
            amount=e.amount,
            group=e.category,
            guard=guards[e.pk] or "",
        )
        for e in qs
    ]


@figure("income", "funds", "经费收入", "笔", measure="amount", group_label="科目")
def income(org, year):
    return _ledger_rows(org, year, "income")


@figure("expense", "funds", "经费支出", "笔", measure="amount", group_label="科目")
def expense(org, year):
    return _ledger_rows(org, year, "expense")


# ---- 计划完成情况 ------------------------------------------------------------------------------------


def plan_progress(org, year):
    """plans.selectors.plan_progress (helper A's), or None while the plans app has none."""
    try:
        selectors = importlib.import_module("jiaogong.plans.selectors")
    except ModuleNotFoundError:
        return None
    fn = getattr(selectors, "plan_progress", None)
    return fn(org, year) if fn else None


def _plan_rows(org, year, wanted: set[str] | None):
    """The plan items of the year (plans.selectors.plan_progress's ItemView: item, label, start,
    status, link), linked to the record that fulfils each, else to its plan."""
    progress = plan_progress(org, year)
    if not progress:
        return []
    rows = []
    for view in progress.get("items", []):
        if wanted is not None and view.status not in wanted:
            continue
        status = view.status_label
        link = getattr(view, "link", None)
        rows.append(
            Row(
                view.item.text,
                view.start,
                f"{view.label}·{status}" + (f"·{link.label}" if link else ""),
                link.url if link and link.url else url("plans:detail", org.pk, view.item.plan_id),
                group=status,
            )
        )
    return rows


@figure("plan_items", "plan", "计划事项", "项", group_label="状态")
def plan_items(org, year):
    return _plan_rows(org, year, None)


@figure("plan_done", "plan", "已完成的计划事项", "项")
def plan_done(org, year):
    return _plan_rows(org, year, {"done"})


# ---- reading them ------------------------------------------------------------------------------------


@dataclass
class Value:
    figure: Figure
    value: object
    count: int
    groups: list[tuple[str, object, int]]  # (group, value, rows)

    @property
    def key(self):
        return self.figure.key

    @property
    def text(self) -> str:
        return self.figure.text(self.value)

    @property
    def group_texts(self) -> list[tuple[str, str]]:
        """(group, "生病住院 2" or "职工活动支出 1,000.00 元") for the page."""
        if self.figure.measure == "amount":
            return [(g, f"{g} {total:,.2f} 元") for g, total, _ in self.groups]
        return [(g, f"{g} {n}") for g, _, n in self.groups]


def evaluate(fig: Figure, rows: list[Row]) -> Value:
    grouped: dict[str, list[Row]] = {}
    if fig.group_label:
        for r in rows:
            grouped.setdefault(r.group or "其他", []).append(r)
    groups = [(g, fig.value(rs), len(rs)) for g, rs in grouped.items()]
    if fig.measure == "amount":
        groups.sort(key=lambda g: -g[1])
    else:
        groups.sort(key=lambda g: -g[2])
    return Value(fig, fig.value(rows), len(rows), groups)


def rows_of(org, year: int, key: str, group: str = "") -> tuple[Figure, list[Row]]:
    """A figure and the rows it counts (those of one group when `group` is given). KeyError when
    there is no such figure."""
    fig = FIGURES[key]
    rows = fig.rows(org, year)
    if group:
        rows = [r for r in rows if (r.group or "其他") == group]
    return fig, rows


def year_figures(org, year: int) -> dict[str, Value]:
    """Every figure of the year, counted. A figure's rows are read once even when another figure
    sums the same rows."""
    cache: dict[Callable, list[Row]] = {}
    out = {}
    for key, fig in FIGURES.items():
        if fig.rows not in cache:
            cache[fig.rows] = fig.rows(org, year)
        out[key] = evaluate(fig, cache[fig.rows])
    return out


def rate(part: int, whole: int) -> str:
    """Share as a percentage to one decimal ("—" when the whole is 0)."""
    from jiaogong.funds.charts import percent

    return percent(Decimal(part), Decimal(whole))
