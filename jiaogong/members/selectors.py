"""Reads of the member registry, scoped by org and permission."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.rules import value_for
from jiaogong.members import privacy, rules
from jiaogong.members.models import CommitteeSeat, CommitteeTerm, Member, UnionGroup

MEMBER_STATUSES = ("active", "retired")

LISTS = {
    "women": "女教职工",
    "youth": "青年教职工",
    "retirees": "退休会员",
    "long_service": "长教龄",
    "birthdays": "本月生日",
    "retiring": "即将退休",
    "applicants": "入会申请",
}
# Lists that tell a birth date to the day or month (a birthday, a retirement date): only for those who
# may see birth dates (members/privacy.py); for the others the filter is ignored.
BIRTH_DATE_LISTS = {"birthdays", "retiring"}


def lists_for(user, org) -> dict:
    """The derived lists this user may filter by."""
    if privacy.sees_birth_date(user, org):
        return LISTS
    return {k: v for k, v in LISTS.items() if k not in BIRTH_DATE_LISTS}


def search_q(q: str) -> Q:
    """The database form of rules.name_matches: name, full pinyin, or initials prefix."""
    q = rules.normalise_query(q)
    if not q:
        return Q()
    cond = Q(name__contains=q)
    if rules.is_latin_query(q):
        cond |= Q(name_pinyin__contains=q) | Q(name_initials__startswith=q)
    return cond


def list_q(org, key: str, today: datetime.date) -> Q:
    """Derived lists as query conditions, mirroring the pure rules in members/rules.py."""
    if key == "women":
        return Q(gender="F", status="active")
    if key == "youth":
        max_age = value_for(org, "members.youth_max_age")
        # age < max_age  <=>  birth_date > today - max_age years
        return Q(birth_date__gt=rules.add_years(today, -max_age), status="active")
    if key == "retirees":
        return Q(status="retired")
    if key == "long_service":
        years = value_for(org, "members.long_service_years")
        return Q(hire_date__lte=rules.add_years(today, -years), status="active")
    if key == "birthdays":
        return Q(birth_date__month=today.month, status__in=MEMBER_STATUSES)
    if key == "retiring":
        months = value_for(org, "members.retirement_notice_months")
        until = rules.add_months(today, months)
        cond = Q()
        for gender, key_age in (("M", "members.retirement_age_male"), ("F", "members.retirement_age_female")):
            age = value_for(org, key_age)
            # today < birth + age <= until
            cond |= Q(
                gender=gender,
                birth_date__gt=rules.add_years(today, -age),
                birth_date__lte=rules.add_years(until, -age),
            )
        return cond & Q(status="active")
    if key == "applicants":
        return Q(status="applicant")
    raise KeyError(key)


def members_for(
    user,
    org,
    *,
    q: str = "",
    status: str = "",
    group: str = "",
    lst: str = "",
    gender: str = "",
    teacher: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Member]:
    """The org's members the user may see, filtered; sorted by pinyin."""
    today = today or timezone.localdate()
    qs = Member.objects.filter(org=org).select_related("union_group")
    if q:
        qs = qs.filter(search_q(q))
    if status:
        qs = qs.filter(status=status)
    if group:
        # Through the group's own id (an int): an id past the database's integers finds nothing.
        qs = qs.filter(union_group__pk=int(group)) if str(group).isdigit() else qs.none()
    if gender in ("M", "F"):
        qs = qs.filter(gender=gender)
    if teacher in ("1", "0"):
        qs = qs.filter(is_teacher=teacher == "1")
    if lst in lists_for(user, org):
        qs = qs.filter(list_q(org, lst, today))
    return qs.order_by("name_pinyin", "id")


def own_member(user, org) -> Member | None:
    """The member record the user's login stands for, if it is one of `org`'s (else None: an officer,
    a department account, a login of another school)."""
    member = getattr(user, "member", None)
    return member if isinstance(member, Member) and member.org_id == org.pk else None


def member_for(user, org, member_id) -> Member:
    try:
        return Member.objects.select_related("union_group", "org").get(org=org, pk=int(member_id))
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该会员。") from None


def reveal(user, org, member: Member, *, fields=("id_number", "phone"), via: str = "web") -> dict:
    """ID number and phone as this user may see them (members/privacy.py); a read in clear is logged."""
    if privacy.sees_clear(user, org):
        shown = [f for f in fields if getattr(member, f)]
        if shown:
            audit.record(
                actor=user,
                org=org,
                action="members.member.reveal",
                obj=member,
                changes={"fields": [None, shown], "via": [None, via]},
            )
        return {f: getattr(member, f) for f in fields}
    return {
        "id_number": privacy.shown_id_number(user, org, member.id_number) if "id_number" in fields else None,
        "phone": privacy.shown_phone(user, org, member.phone) if "phone" in fields else None,
    }


@dataclass
class Dashboard:
    members: int
    women: int
    youth: int
    retirees: int
    applicants: int
    groups: int
    teachers: int
    long_service: int
    birthdays: list
    retiring: list
    warnings: list


def dashboard(org, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    base = Member.objects.filter(org=org)
    counts = base.aggregate(
        members=Count("id", filter=Q(status="active")),
        women=Count("id", filter=list_q(org, "women", today)),
        youth=Count("id", filter=list_q(org, "youth", today)),
        retirees=Count("id", filter=Q(status="retired")),
        applicants=Count("id", filter=Q(status="applicant")),
        teachers=Count("id", filter=Q(status="active", is_teacher=True)),
        long_service=Count("id", filter=list_q(org, "long_service", today)),
    )
    birthdays = list(
        base.filter(list_q(org, "birthdays", today))
        .only("id", "name", "birth_date", "status")
        .order_by("birth_date__day", "name_pinyin")[:50]
    )
    retiring = list(
        base.filter(list_q(org, "retiring", today))
        .only("id", "name", "birth_date", "gender")
        .order_by("birth_date")[:20]
    )
    return Dashboard(
        **counts,
        groups=UnionGroup.objects.filter(org=org).count(),
        birthdays=birthdays,
        retiring=retiring,
        warnings=committee_overview(org, today).warnings,
    )


def groups_for(org) -> QuerySet[UnionGroup]:
    return (
        UnionGroup.objects.filter(org=org)
        .annotate(active_count=Count("members", filter=Q(members__status="active")))
        .prefetch_related("leaders__member")
        .order_by("name")
    )


def group_for(org, group_id) -> UnionGroup:
    try:
        return UnionGroup.objects.get(org=org, pk=int(group_id))
    except (UnionGroup.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该小组。") from None


@dataclass
class CommitteeOverview:
    terms: dict
    member_count: int
    women_members: int
    size_range: tuple
    warnings: list


def committee_overview(org, today: datetime.date | None = None) -> CommitteeOverview:
    terms = {}
    for body in CommitteeTerm.Body.values:
        term = (
            CommitteeTerm.objects.filter(org=org, body=body, closed_on__isnull=True)
            .order_by("-number")
            .first()
        )
        terms[body] = term
    rank = {p: i for i, p in enumerate(CommitteeSeat.Position.values)}  # chair, vice chairs, members
    seats = {
        body: sorted(
            term.seats.filter(until__isnull=True).select_related("member"),
            key=lambda s: (rank[s.position], s.since, s.pk),
        )
        if term
        else []
        for body, term in terms.items()
    }
    member_count = Member.objects.filter(org=org, status="active").count()
    women = Member.objects.filter(org=org, status="active", gender="F").count()
    union_money = {
        s.member_id
        for s in seats["union"]
        if s.position in rules.AUDIT_INCOMPATIBLE_POSITIONS
        or s.portfolio in rules.AUDIT_INCOMPATIBLE_PORTFOLIOS
    }
    conflicts = [
        s.member.name
        for s in seats["audit"]
        if s.member_id in union_money or rules.handles_money(s.member.post)
    ]
    table = value_for(org, "union.committee_size_table")
    warnings = rules.committee_warnings(
        member_count=member_count,
        union_seats=len(seats["union"]),
        has_union_term=terms["union"] is not None,
        women_members=women,
        has_women_committee=terms["women"] is not None,
        size_table=table,
        committee_required_members=value_for(org, "union.committee_required_members"),
        women_committee_min_women=value_for(org, "union.women_committee_min_women"),
        audit_conflicts=conflicts,
        has_audit_committee=terms["audit"] is not None,
    )
    today = today or timezone.localdate()
    for term in terms.values():
        if term and term.ends_on < today:
            warnings.append(f"{term}已于 {term.ends_on:%Y-%m-%d} 任期届满，应按期换届。")
    return CommitteeOverview(
        terms={body: (terms[body], seats[body]) for body in terms},
        member_count=member_count,
        women_members=women,
        size_range=rules.committee_size_range(member_count, table),
        warnings=warnings,
    )


def seat_for(org, seat_id) -> CommitteeSeat:
    try:
        return CommitteeSeat.objects.select_related("term", "member").get(org=org, pk=int(seat_id))
    except (CommitteeSeat.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该委员。") from None


def term_for(org, term_id) -> CommitteeTerm:
    try:
        return CommitteeTerm.objects.get(org=org, pk=int(term_id))
    except (CommitteeTerm.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该届次。") from None
