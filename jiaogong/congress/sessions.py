"""Terms, sessions, delegates, papers, the presidium and check-in: validated, atomic, audited.

A session is what API.md calls a congress. Its voters are the term's formal delegates whose seat
is current on the session's day; 列席 and 特邀 delegates attend and never vote.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiaogong.congress import rules
from jiaogong.congress.models import (
    AgendaItem,
    Attendance,
    Congress,
    CongressTerm,
    Delegate,
    Delegation,
    PresidiumMember,
    SessionPaper,
    UnitQuota,
)
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.rules import value_for
from jiaogong.core.uploads import check_upload
from jiaogong.members.models import Member
from jiaogong.members.rules import is_youth

VOTER_STATUSES = ("active",)  # staff with a contract; retirees may only be invited

# 届次 and 次 are small integers in the database; no school reaches this.
MAX_NUMBER = 999


# ---- who votes ---------------------------------------------------------------------------------


def seats_on(term: CongressTerm, day: datetime.date):
    """Delegate seats of the term current on `day` (elected by then, not yet ended)."""
    return Delegate.objects.filter(term=term, elected_on__lte=day).filter(
        Q(until__isnull=True) | Q(until__gt=day)
    )


def voters(congress: Congress):
    """The formal delegates entitled to vote at the session (代表总数 / 应到)."""
    return seats_on(congress.term, congress.opens_on).filter(kind=Delegate.Kind.FORMAL)


def present_voters(congress: Congress):
    return voters(congress).filter(attendance__congress=congress)


@dataclass
class QuorumStatus:
    total: int
    present: int
    needed: int
    met: bool

    @property
    def missing(self) -> int:
        return max(self.needed - self.present, 0)


def quorum_status(congress: Congress) -> QuorumStatus:
    """Present × 3 ≥ total × 2 (the parameter congress.quorum), counted on formal delegates only."""
    quorum = value_for(congress.org, "congress.quorum")
    counts = voters(congress).aggregate(
        total=Count("id", distinct=True),
        present=Count("id", filter=Q(attendance__congress=congress), distinct=True),
    )
    total, present = counts["total"], counts["present"]
    return QuorumStatus(
        total, present, rules.quorum_needed(total, quorum), rules.quorum_met(present, total, quorum)
    )


def delegate_for_user(congress: Congress, user) -> Delegate | None:
    """The caller's current seat at the session (formal or not), through the member linked to the login."""
    member_id = getattr(user, "member_id", None)
    if member_id is None:
        return None
    return seats_on(congress.term, congress.opens_on).filter(member_id=member_id).first()


# ---- composition ---------------------------------------------------------------------------------


def _person(member: Member, today: datetime.date, youth_max_age: int) -> rules.Person:
    return rules.Person(
        is_teacher=member.is_teacher,
        is_woman=member.gender == "F",
        is_young=is_youth(member.birth_date, today, youth_max_age),
        is_cadre=member.is_cadre,
    )


def composition_of(congress: Congress) -> rules.Composition:
    """Teachers, women, young staff and cadres among the formal delegates, with the warnings."""
    org = congress.org
    day = congress.opens_on
    youth = value_for(org, "members.youth_max_age")
    delegates = [
        _person(d.member, day, youth) for d in voters(congress).select_related("member").only("member")
    ]
    staff = [
        _person(m, day, youth)
        for m in Member.objects.filter(org=org, status="active").only(
            "is_teacher", "gender", "birth_date", "is_cadre"
        )
    ]
    return rules.composition(
        delegates,
        staff,
        teachers_min=value_for(org, "congress.teachers_min_share"),
        cadres_max=value_for(org, "congress.cadres_max_share"),
    )


def warnings_for(congress: Congress, today: datetime.date | None = None) -> list[str]:
    """Everything the chair should see about the session: composition, mode, quotas, papers, sessions."""
    org = congress.org
    today = today or timezone.localdate()
    out = list(composition_of(congress).warnings)
    staff = Member.objects.filter(org=org, status="active").count()
    if (
        congress.term.mode == CongressTerm.Mode.DELEGATES
        and rules.suggested_mode(staff, value_for(org, "congress.all_staff_max")) == "all_staff"
    ):
        out.append(
            f"本校在职教职工 {staff} 人，不超过 {value_for(org, 'congress.all_staff_max')} 人，可召开教职工大会。"
        )
    out.extend(quota_warnings(congress.term, congress.opens_on))
    days = value_for(org, "congress.papers_days_before")
    for paper in congress.papers.all():
        if rules.papers_late(paper.sent_on, congress.opens_on, days):
            out.append(f"会议材料“{paper.title}”于 {paper.sent_on:%Y-%m-%d} 送达，晚于会前 {days} 天。")
    gap = missed_school_years(org, today)
    if gap:
        years = "、".join(f"{y}—{y + 1}" for y in gap)
        out.append(f"{years} 学年未召开教代会（每学年至少召开一次）。")
    return out


def quota_warnings(term: CongressTerm, day: datetime.date) -> list[str]:
    seated = dict(
        seats_on(term, day)
        .filter(kind=Delegate.Kind.FORMAL, unit__isnull=False)
        .values_list("unit")
        .annotate(n=Count("id"))
    )
    out = []
    for quota in term.quotas.select_related("unit"):
        n = seated.get(quota.unit_id, 0)
        if n != quota.quota:
            word = "超出" if n > quota.quota else "少于"
            out.append(f"{quota.unit.name} 名额 {quota.quota} 名，已产生代表 {n} 名，{word}名额。")
    return out


def missed_school_years(org, today: datetime.date) -> list[int]:
    """Completed school years since the first term began in which no session was held."""
    first = (
        CongressTerm.objects.filter(org=org)
        .order_by("started_on")
        .values_list("started_on", flat=True)
        .first()
    )
    if first is None:
        return []
    days = list(Congress.objects.filter(org=org).values_list("opens_on", flat=True))
    return rules.years_without_session(days, today, first)


# ---- terms and sessions ----------------------------------------------------------------------------


def _member_ids(org, ids, field: str = "delegates") -> list[Member]:
    try:
        wanted = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise InvalidInput({field: "代表应为会员 id 的列表。"}) from None
    if len(set(wanted)) != len(wanted):
        raise InvalidInput({field: "代表名单中有重复的会员。"})
    members = {m.pk: m for m in Member.objects.filter(org=org, pk__in=wanted)}
    missing = [str(i) for i in wanted if i not in members]
    if missing:
        raise InvalidInput({field: f"没有找到这些会员：{'、'.join(missing)}。"})
    unfit = [m.name for m in members.values() if m.status not in VOTER_STATUSES]
    if unfit:
        raise InvalidInput(
            {field: f"{'、'.join(unfit)} 不是在职教职工，不能当选正式代表（可作为列席或特邀代表）。"}
        )
    return [members[i] for i in wanted]


@transaction.atomic
def create_term(*, actor, org, number: int, started_on: datetime.date, years: int, mode: str) -> CongressTerm:
    allowed = value_for(org, "congress.term_years")
    errors = {}
    if years not in allowed:
        errors["years"] = f"每届年限应为 {'或'.join(str(y) for y in allowed)} 年。"
    if mode not in CongressTerm.Mode.values:
        errors["mode"] = "形式应为教职工代表大会或教职工大会。"
    if number < 1:
        errors["number"] = "届次应为正整数。"
    elif number > MAX_NUMBER:  # the column is a small integer: past it PostgreSQL refused (a 500)
        errors["number"] = f"届次不应超过 {MAX_NUMBER}。"
    if errors:
        raise InvalidInput(errors)
    if CongressTerm.objects.filter(org=org, number=number).exists():
        raise Conflict("term_exists", f"第{number}届已经建立。")
    term = CongressTerm.objects.create(org=org, number=number, started_on=started_on, years=years, mode=mode)
    audit.record(actor=actor, org=org, action="congress.term.create", obj=term, changes=audit.snapshot(term))
    return term


@transaction.atomic
def create_congress(
    *,
    actor,
    org,
    term: int,
    session: int,
    title: str,
    opens_on: datetime.date,
    delegates: list[int] | None = None,
    mode: str | None = None,
    years: int | None = None,
) -> Congress:
    """A session of term `term` (created when new). In 教职工大会 mode with no list every active
    staff member is a voter; otherwise the listed members join the term's roll as formal delegates."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写会议名称。"
    if session < 1:
        errors["session"] = "次数应为正整数。"
    elif session > MAX_NUMBER:
        errors["session"] = f"次数不应超过 {MAX_NUMBER}。"
    if term < 1:
        errors["term"] = "届次应为正整数。"
    elif term > MAX_NUMBER:
        errors["term"] = f"届次不应超过 {MAX_NUMBER}。"
    if mode is not None and mode not in CongressTerm.Mode.values:
        errors["mode"] = "形式应为 delegates（教职工代表大会）或 all_staff（教职工大会）。"
    if errors:
        raise InvalidInput(errors)
    the_term = CongressTerm.objects.filter(org=org, number=term).first()
    if the_term is None:
        default_years = value_for(org, "congress.term_years")[-1]
        the_term = create_term(
            actor=actor,
            org=org,
            number=term,
            started_on=opens_on,
            years=years or default_years,
            mode=mode or CongressTerm.Mode.DELEGATES,
        )
    elif mode is not None and mode != the_term.mode:
        raise DomainError(
            "mode_mismatch", f"第{term}届为{the_term.get_mode_display()}，本次会议不能改变形式。"
        )
    if Congress.objects.filter(term=the_term, number=session).exists():
        raise Conflict("session_exists", f"第{term}届第{session}次会议已经建立。")
    members = _member_ids(org, delegates or [])
    if not members and the_term.mode == CongressTerm.Mode.ALL_STAFF and not the_term.delegates.exists():
        members = list(Member.objects.filter(org=org, status__in=VOTER_STATUSES).order_by("id"))
    congress = Congress.objects.create(
        org=org, term=the_term, number=session, title=title.strip(), opens_on=opens_on
    )
    seated = set(seats_on(the_term, opens_on).values_list("member_id", flat=True))
    new = [
        Delegate(org=org, term=the_term, member=m, unit=m.union_group, elected_on=the_term.started_on)
        for m in members
        if m.pk not in seated
    ]
    Delegate.objects.bulk_create(new)
    audit.record(
        actor=actor,
        org=org,
        action="congress.session.create",
        obj=congress,
        changes={**audit.snapshot(congress), "delegates_added": len(new)},
    )
    return congress


@transaction.atomic
def add_agenda_item(*, actor, congress: Congress, kind: str, title: str) -> AgendaItem:
    errors = {}
    if kind not in AgendaItem.Kind.values:
        errors["kind"] = "议题类型应为听取、审议、讨论通过、评议或选举。"
    if not (title or "").strip():
        errors["title"] = "请填写议题。"
    if errors:
        raise InvalidInput(errors)
    position = (congress.agenda.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(congress=congress, position=position, kind=kind, title=title.strip())
    audit.record(
        actor=actor, org=congress.org, action="congress.agenda.add", obj=item, changes=audit.snapshot(item)
    )
    return item


# ---- delegates ---------------------------------------------------------------------------------------


@transaction.atomic
def add_delegate(
    *,
    actor,
    term: CongressTerm,
    member: Member,
    kind: str = Delegate.Kind.FORMAL,
    elected_on: datetime.date,
    unit=None,
    delegation: Delegation | None = None,
    replaces: Delegate | None = None,
) -> Delegate:
    org = term.org
    if member.org_id != org.pk:
        raise InvalidInput({"member": "没有找到该会员。"})
    if kind not in Delegate.Kind.values:
        raise InvalidInput({"kind": "代表类别应为正式代表、列席代表或特邀代表。"})
    if kind == Delegate.Kind.FORMAL and member.status not in VOTER_STATUSES:
        raise InvalidInput({"member": f"{member.name} 不是在职教职工，只能作为列席或特邀代表。"})
    try:
        with transaction.atomic():
            delegate = Delegate.objects.create(
                org=org,
                term=term,
                member=member,
                kind=kind,
                unit=unit if unit is not None else member.union_group,
                delegation=delegation,
                elected_on=elected_on,
                replaces=replaces,
            )
    except IntegrityError:
        raise Conflict("already_delegate", f"{member.name} 已经是本届代表。") from None
    audit.record(
        actor=actor, org=org, action="congress.delegate.add", obj=delegate, changes=audit.snapshot(delegate)
    )
    return delegate


@transaction.atomic
def end_seat(*, actor, delegate: Delegate, on: datetime.date, reason: str) -> Delegate:
    """Recall a delegate, or record that they left; the seat keeps its history."""
    if reason not in Delegate.EndReason.values:
        raise InvalidInput({"reason": "请选择终止原因。"})
    if delegate.until is not None:
        raise Conflict("seat_ended", f"{delegate.member.name} 的代表资格已于 {delegate.until} 终止。")
    if on < delegate.elected_on:
        raise InvalidInput({"on": "终止日期不能早于当选日期。"})
    before = audit.snapshot(delegate)
    delegate.until = on
    delegate.end_reason = reason
    delegate.save(update_fields=["until", "end_reason"])
    audit.record(
        actor=actor,
        org=delegate.org,
        action="congress.delegate.end",
        obj=delegate,
        changes=audit.diff(before, audit.snapshot(delegate)),
    )
    return delegate


@transaction.atomic
def replace_delegate(*, actor, delegate: Delegate, member: Member, on: datetime.date) -> Delegate:
    """补选: the seat passes to `member` from `on`; the old seat ends that day."""
    end_seat(actor=actor, delegate=delegate, on=on, reason=Delegate.EndReason.REPLACED)
    return add_delegate(
        actor=actor,
        term=delegate.term,
        member=member,
        kind=delegate.kind,
        elected_on=on,
        unit=delegate.unit,
        delegation=delegate.delegation,
        replaces=delegate,
    )


@transaction.atomic
def set_quota(*, actor, term: CongressTerm, unit, quota: int | None) -> UnitQuota | None:
    """名额 of an electing unit for the term; None removes the unit's quota."""
    if unit.org_id != term.org_id:
        raise InvalidInput({"unit": "没有找到该工会小组。"})
    if quota is None:
        row = UnitQuota.objects.filter(term=term, unit=unit).first()
        if row is not None:
            row.delete()
            audit.record(
                actor=actor,
                org=term.org,
                action="congress.quota.clear",
                obj=row,
                changes={"quota": [row.quota, None]},
            )
        return None
    if quota < 1:
        raise InvalidInput({"quota": "名额应为正整数。"})
    row, _ = UnitQuota.objects.update_or_create(term=term, unit=unit, defaults={"quota": quota})
    audit.record(actor=actor, org=term.org, action="congress.quota.set", obj=row, changes={"quota": quota})
    return row


@transaction.atomic
def set_quotas(*, actor, term: CongressTerm, quotas: dict) -> None:
    """All units' quotas at once: every value checked before anything is written."""
    errors = {}
    for unit, quota in quotas.items():
        if unit.org_id != term.org_id:
            errors[f"quota_{unit.pk}"] = "没有找到该工会小组。"
        elif quota is not None and quota < 1:
            errors[f"quota_{unit.pk}"] = f"{unit.name} 的名额应为正整数。"
    if errors:
        raise InvalidInput(errors)
    for unit, quota in quotas.items():
        set_quota(actor=actor, term=term, unit=unit, quota=quota)


@transaction.atomic
def set_delegation(
    *, actor, term: CongressTerm, name: str, leader: Member | None, members: list[Delegate]
) -> Delegation:
    """A 代表团 with its leader: exactly the listed delegates belong to it afterwards."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput({"name": "请填写代表团名称。"})
    if any(d.term_id != term.pk for d in members):
        raise InvalidInput({"members": "只能选择本届代表。"})
    if leader is not None and leader.pk not in {d.member_id for d in members}:
        raise InvalidInput({"leader": f"团长 {leader.name} 应是本代表团的代表。"})
    delegation, created = Delegation.objects.get_or_create(term=term, name=name, defaults={"leader": leader})
    before = {
        "leader": delegation.leader_id,
        "members": sorted(Delegate.objects.filter(delegation=delegation).values_list("pk", flat=True)),
    }
    delegation.leader = leader
    delegation.save(update_fields=["leader"])
    ids = sorted(d.pk for d in members)
    Delegate.objects.filter(delegation=delegation).exclude(pk__in=ids).update(delegation=None)
    Delegate.objects.filter(term=term, pk__in=ids).update(delegation=delegation)
    after = {"leader": leader.pk if leader else None, "members": ids}
    audit.record(
        actor=actor,
        org=term.org,
        action="congress.delegation.set",
        obj=delegation,
        changes=after if created else audit.diff(before, after),
    )
    return delegation


@transaction.atomic
def remove_delegation(*, actor, delegation: Delegation) -> None:
    members = list(Delegate.objects.filter(delegation=delegation).values_list("pk", flat=True))
    Delegate.objects.filter(delegation=delegation).update(delegation=None)
    audit.record(
        actor=actor,
        org=delegation.term.org,
        action="congress.delegation.remove",
        obj=delegation,
        changes={"name": delegation.name, "members": sorted(members)},
    )
    delegation.delete()


@transaction.atomic
def set_presidium(*, actor, congress: Congress, members: list[Member]) -> list[str]:
    """主席团 from the session's formal delegates; returns warnings on its size (the parameter
    table) — advice, not a refusal."""
    seated = set(
        seats_on(congress.term, congress.opens_on)
        .filter(kind=Delegate.Kind.FORMAL)
        .values_list("member_id", flat=True)
    )
    outsiders = [m.name for m in members if m.pk not in seated]
    if outsiders:
        raise InvalidInput({"members": f"{'、'.join(outsiders)} 不是本次会议的正式代表，不能进入主席团。"})
    PresidiumMember.objects.filter(congress=congress).delete()
    PresidiumMember.objects.bulk_create([PresidiumMember(congress=congress, member=m) for m in members])
    audit.record(
        actor=actor,
        org=congress.org,
        action="congress.presidium.set",
        obj=congress,
        changes={"presidium": [m.pk for m in members]},
    )
    n = len(members)
    if not presidium_size_ok(congress, n):
        return [f"主席团 {n} 人，建议 {presidium_advice(congress)}。"]
    return []


def presidium_advice(congress: Congress) -> str:
    """The suggested size of the 主席团 for the session's number of delegates: "3—5 人"."""
    low, high = rules.presidium_size(voters(congress).count())
    return f"{low}—{high} 人" if high else f"不少于 {low} 人"


def presidium_size_ok(congress: Congress, n: int) -> bool:
    low, high = rules.presidium_size(voters(congress).count())
    return low <= n and (high is None or n <= high)


@transaction.atomic
def add_paper(*, actor, congress: Congress, title: str, sent_on: datetime.date, file=None) -> SessionPaper:
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写材料名称。"
    if file:
        _content_type, problem = check_upload(file, "congress_paper")
        if problem:
            errors["file"] = problem
    if errors:
        raise InvalidInput(errors)
    paper = SessionPaper.objects.create(
        congress=congress, title=title.strip(), sent_on=sent_on, file=file or ""
    )
    audit.record(
        actor=actor, org=congress.org, action="congress.paper.add", obj=paper, changes=audit.snapshot(paper)
    )
    return paper


# ---- check-in ---------------------------------------------------------------------------------------------


def _check_in(*, actor, congress: Congress, delegate: Delegate, method: str) -> bool:
    """One attendance row; True if new. The unique constraint keeps a second check-in harmless."""
    try:
        with transaction.atomic():
            row = Attendance.objects.create(
                congress=congress, delegate=delegate, method=method, recorded_by=actor
            )
    except IntegrityError:
        return False
    audit.record(
        actor=actor,
        org=congress.org,
        action="congress.attendance.check_in",
        obj=row,
        changes={"delegate": delegate.pk, "method": method},
    )
    return True


def check_in_by_token(*, actor, congress: Congress, token: str) -> tuple[Delegate, bool]:
    """A delegate's QR code scanned at the door (or opened on their phone)."""
    delegate = (
        seats_on(congress.term, congress.opens_on)
        .filter(checkin_token=token)
        .select_related("member")
        .first()
    )
    if delegate is None:
        raise DomainError("unknown_code", "签到码无效，或不是本次会议的代表。")
    return delegate, _check_in(actor=actor, congress=congress, delegate=delegate, method=Attendance.Method.QR)


def check_in(*, actor, congress: Congress, delegate: Delegate, method: str = Attendance.Method.DESK) -> bool:
    if not seats_on(congress.term, congress.opens_on).filter(pk=delegate.pk).exists():
        raise DomainError("not_delegate", f"{delegate.member.name} 不是本次会议的代表。")
    return _check_in(actor=actor, congress=congress, delegate=delegate, method=method)


@transaction.atomic
def record_attendance(*, actor, congress: Congress, present: list[int]) -> QuorumStatus:
    """The desk list posted at once (API): members ids of the delegates present. Nobody is
    un-checked: attendance is evidence and only grows."""
    try:
        wanted = {int(i) for i in present}
    except (TypeError, ValueError):
        raise InvalidInput({"present": "应为会员 id 的列表。"}) from None
    seats = {d.member_id: d for d in seats_on(congress.term, congress.opens_on).select_related("member")}
    unknown = sorted(wanted - set(seats))
    if unknown:
        raise InvalidInput({"present": f"这些会员不是本次会议的代表：{'、'.join(str(i) for i in unknown)}。"})
    for member_id in sorted(wanted):
        _check_in(actor=actor, congress=congress, delegate=seats[member_id], method=Attendance.Method.API)
    return quorum_status(congress)


def new_checkin_code(*, actor, delegate: Delegate) -> Delegate:
    """Issue a new QR code (the old one stops working), e.g. when a phone photo was shared."""
    from jiaogong.congress.models import new_token

    delegate.checkin_token = new_token()
    delegate.save(update_fields=["checkin_token"])
    audit.record(actor=actor, org=delegate.org, action="congress.delegate.new_code", obj=delegate)
    return delegate
