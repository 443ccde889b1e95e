"""Every write of the member registry: validated, atomic, audited."""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.parsing import parse_bool, parse_date
from jiaogong.members import rules
from jiaogong.members.models import (
    CommitteeSeat,
    CommitteeTerm,
    GroupLeader,
    Member,
    MemberStatusChange,
    UnionGroup,
)

MEMBER_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "hire_date",
    "is_teacher",
    "is_cadre",
    "post",
    "union_group",
    "joined_on",
    "status",
]
GENDERS = {"M": "M", "F": "F", "男": "M", "女": "F", "m": "M", "f": "F"}
STATUS_BY_LABEL = {label: code for code, label in Member.Status.choices} | {
    c: c for c in Member.Status.values
}


def _group(org, value) -> UnionGroup | None:
    if value in (None, ""):
        return None
    if isinstance(value, UnionGroup):
        if value.org_id != org.pk:
            raise ValueError("没有这个工会小组。")
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        group = UnionGroup.objects.filter(org=org, pk=int(value)).first()
    else:
        group = UnionGroup.objects.filter(org=org, name=str(value).strip()).first()
    if group is None:
        raise ValueError(f"没有名为“{value}”的工会小组，请先建立该小组。")
    return group


def clean_member_data(
    org,
    data: dict[str, Any],
    *,
    instance: Member | None = None,
    today: datetime.date | None = None,
    groups: dict | None = None,
    existing_ids: dict[str, int] | None = None,
) -> dict:
    """Validate member fields given as typed values or as text (forms, API, Excel).

    Returns the cleaned values of the keys present in `data`; raises InvalidInput with every
    field's Chinese message. `groups` (name -> group) and `existing_ids` (the org's ID numbers
    -> member pk) save queries in a bulk import.
    """
    today = today or timezone.localdate()
    creating = instance is None
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def take(field, fn):
        if field not in data and not creating:
            return
        try:
            out[field] = fn(data.get(field))
        except ValueError as e:
            errors[field] = str(e)

    def name(v):
        text = (v or "").strip() if isinstance(v, str | type(None)) else str(v).strip()
        if not text:
            raise ValueError("请填写姓名。")
        if len(text) > 50:
            raise ValueError("姓名过长。")
        return text

    def gender(v):
        g = GENDERS.get(str(v or "").strip())
        if g is None:
            raise ValueError("性别请填写“男”或“女”。")
        return g

    def birth(v):
        d = parse_date(v, required=True)
        if not datetime.date(1900, 1, 1) <= d <= today:
            raise ValueError("出生日期不在合理范围内。")
        if rules.age_on(d, today) < 16:
            raise ValueError("出生日期不合理：未满16周岁。")
        return d

    def optional_date(v):
        d = parse_date(v)
        if d is not None and not datetime.date(1940, 1, 1) <= d <= today + datetime.timedelta(days=366):
            raise ValueError("日期不在合理范围内。")
        return d

    def status(v):
        if v in (None, ""):
            return Member.Status.ACTIVE
        code = STATUS_BY_LABEL.get(str(v).strip())
        if code is None:
            raise ValueError("状态应为：" + "、".join(Member.Status.labels) + "。")
        return code

    def group(v):
        if groups is not None and isinstance(v, str) and v.strip():
            if v.strip() not in groups:
                raise ValueError(f"没有名为“{v.strip()}”的工会小组，请先建立该小组。")
            return groups[v.strip()]
        return _group(org, v)

    take("name", name)
    take("gender", gender)
    take("birth_date", birth)
    take("id_number", lambda v: rules.clean_id_number(str(v) if v is not None else ""))
    take("phone", lambda v: rules.clean_phone(str(v) if v is not None else ""))
    take("hire_date", optional_date)
    take("joined_on", optional_date)
    take("is_teacher", lambda v: parse_bool(v, default=True))
    take("is_cadre", lambda v: parse_bool(v, default=False))
    take("post", lambda v: (str(v).strip() if v is not None else "")[:50])
    take("union_group", group)
    take("status", status)

    # Cross-field checks, once the fields themselves are valid.
    birth_date = out.get("birth_date", instance.birth_date if instance else None)
    checkable = out.get("id_number") and "id_number" not in errors
    if (
        checkable
        and birth_date
        and "birth_date" not in errors
        and rules.birth_date_from_id(out["id_number"]) != birth_date
    ):
        errors["id_number"] = "身份证号中的出生日期与填写的出生日期不一致。"
    g = out.get("gender", instance.gender if instance else None)
    if checkable and g and "gender" not in errors and rules.gender_from_id(out["id_number"]) != g:
        errors["gender"] = "性别与身份证号不一致。"
    hire = out.get("hire_date")
    if hire and birth_date and hire < rules.add_years(birth_date, 16) and "hire_date" not in errors:
        errors["hire_date"] = "入职日期早于16周岁，请核对。"
    if out.get("id_number") and "id_number" not in errors:
        if existing_ids is not None:
            holder = existing_ids.get(out["id_number"])
            clashes = holder is not None and (instance is None or holder != instance.pk)
        else:
            clash = Member.objects.filter(org=org, id_number=out["id_number"])
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            clashes = clash.exists()
        if clashes:
            errors["id_number"] = "本单位已有相同身份证号的会员。"
    if errors:
        raise InvalidInput(errors)
    return out


def _record_status(*, actor, member, from_status, to_status, effective_on, destination="", note=""):
    MemberStatusChange.objects.create(
        org_id=member.org_id,
        member=member,
        from_status=from_status or "",
        to_status=to_status,
        effective_on=effective_on,
        destination=destination,
        note=note,
        recorded_by=actor,
    )


@transaction.atomic
def create_member(*, actor, org, data: dict, today: datetime.date | None = None) -> Member:
    if org.is_federation:
        raise DomainError("not_a_school", "会员只能登记在学校工会。")
    cleaned = clean_member_data(org, data, today=today)
    member = Member(org=org, **cleaned)
    member.status_since = cleaned.get("joined_on") if member.status == "active" else None
    member.status_since = member.status_since or today or timezone.localdate()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise InvalidInput({"id_number": "本单位已有相同身份证号的会员。"}) from None
    _record_status(
        actor=actor,
        member=member,
        from_status="",
        to_status=member.status,
        effective_on=member.status_since,
        note="登记",
    )
    audit.record(
        actor=actor,
        org=org,
        action="members.member.create",
        obj=member,
        changes=audit.diff({}, audit.snapshot(member, MEMBER_FIELDS)),
    )
    return member


@transaction.atomic
def update_member(*, actor, member: Member, data: dict, note: str = "") -> Member:
    """Update the member's fields (not the status: see change_status)."""
    data = {k: v for k, v in data.items() if k in MEMBER_FIELDS and k != "status"}
    cleaned = clean_member_data(member.org, data, instance=member)
    before = audit.snapshot(member, MEMBER_FIELDS)
    for field, value in cleaned.items():
        setattr(member, field, value)
    member.save()
    changes = audit.diff(before, audit.snapshot(member, MEMBER_FIELDS))
    if changes:
        audit.record(actor=actor, org=member.org, action="members.member.update", obj=member, changes=changes)
    return member


@transaction.atomic
def change_status(
    *,
    actor,
    member: Member,
    to_status: str,
    effective_on,
    destination: str = "",
    note: str = "",
    enforce_transitions: bool = True,
) -> Member:
    """Move a member to a new status on a date (退休, 调出 with destination, 去世, …)."""
    errors = {}
    try:
        effective_on = parse_date(effective_on, required=True)
    except ValueError as e:
        errors["effective_on"] = str(e)
    if to_status not in Member.Status.values:
        errors["to_status"] = "未知的状态。"
    elif to_status == member.status:
        errors["to_status"] = "状态没有变化。"
    elif enforce_transitions and not rules.can_change_status(member.status, to_status):
        errors["to_status"] = f"不能从“{member.get_status_display()}”改为“{Member.Status(to_status).label}”。"
    if to_status == "transferred" and not (destination or "").strip():
        errors["destination"] = "调出请填写调往单位。"
    if to_status == "active" and member.status == "applicant":
        errors["to_status"] = "入会申请须经工会委员会批准，请使用“批准入会”。"
    if errors:
        raise InvalidInput(errors)
    before = member.status
    member.status = to_status
    member.status_since = effective_on
    member.transferred_to = destination.strip() if to_status == "transferred" else ""
    member.save(update_fields=["status", "status_since", "transferred_to", "updated_at"])
    _record_status(
        actor=actor,
        member=member,
        from_status=before,
        to_status=to_status,
        effective_on=effective_on,
        destination=member.transferred_to,
        note=note,
    )
    audit.record(
        actor=actor,
        org=member.org,
        action="members.member.status",
        obj=member,
        changes={
            "status": [before, to_status],
            "effective_on": [None, str(effective_on)],
            **({"destination": [None, member.transferred_to]} if member.transferred_to else {}),
        },
    )
    return member


@transaction.atomic
def approve_application(*, actor, member: Member, approved_on, meeting: str = "") -> Member:
    """The committee approves a joining application (章程: voluntary, approved by the committee)."""
    if member.status != Member.Status.APPLICANT:
        raise DomainError("not_applicant", "该人员不是入会申请人。")
    try:
        approved_on = parse_date(approved_on, required=True)
    except ValueError as e:
        raise InvalidInput({"approved_on": str(e)}) from None
    member.status = Member.Status.ACTIVE
    member.status_since = approved_on
    member.joined_on = approved_on
    member.save(update_fields=["status", "status_since", "joined_on", "updated_at"])
    _record_status(
        actor=actor,
        member=member,
        from_status="applicant",
        to_status="active",
        effective_on=approved_on,
        note=("工会委员会批准入会 " + meeting).strip(),
    )
    audit.record(
        actor=actor,
        org=member.org,
        action="members.application.approve",
        obj=member,
        changes={"status": ["applicant", "active"], "joined_on": [None, str(approved_on)]},
    )
    return member


@transaction.atomic
def reject_application(*, actor, member: Member, decided_on, reason: str) -> Member:
    if member.status != Member.Status.APPLICANT:
        raise DomainError("not_applicant", "该人员不是入会申请人。")
    if not (reason or "").strip():
        raise InvalidInput({"reason": "请填写不予批准的理由。"})
    return change_status(
        actor=actor,
        member=member,
        to_status="non_member",
        effective_on=decided_on,
        note="不予批准入会：" + reason.strip(),
    )


# ---- groups -----------------------------------------------------------------------------------


@transaction.atomic
def save_group(
    *, actor, org, name: str, kind: str = "subject", note: str = "", group: UnionGroup | None = None
) -> UnionGroup:
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写小组名称。"
    elif UnionGroup.objects.filter(org=org, name=name).exclude(pk=group.pk if group else None).exists():
        errors["name"] = "已有同名的工会小组。"
    if kind not in UnionGroup.Kind.values:
        errors["kind"] = "未知的小组类型。"
    if errors:
        raise InvalidInput(errors)
    if group is None:
        group = UnionGroup.objects.create(org=org, name=name, kind=kind, note=note.strip())
        audit.record(
            actor=actor,
            org=org,
            action="members.group.create",
            obj=group,
            changes={"name": [None, name], "kind": [None, kind]},
        )
        return group
    before = audit.snapshot(group, ["name", "kind", "note"])
    group.name, group.kind, group.note = name, kind, note.strip()
    group.save()
    audit.record(
        actor=actor,
        org=org,
        action="members.group.update",
        obj=group,
        changes=audit.diff(before, audit.snapshot(group, ["name", "kind", "note"])),
    )
    return group


@transaction.atomic
def delete_group(*, actor, group: UnionGroup) -> None:
    if group.members.exists():
        raise DomainError("group_not_empty", "该小组还有会员，请先调整会员所在小组。")
    audit.record(
        actor=actor,
        org=group.org,
        action="members.group.delete",
        obj=group,
        changes={"name": [group.name, None]},
    )
    group.leaders.all().delete()
    group.delete()


@transaction.atomic
def set_group_leader(
    *, actor, group: UnionGroup, member: Member, elected_on, role: str = "leader"
) -> GroupLeader:
    errors = {}
    if member.org_id != group.org_id:
        errors["member"] = "没有找到该会员。"
    elif not member.is_member:
        errors["member"] = "小组长应为在册会员。"
    try:
        elected_on = parse_date(elected_on, required=True)
    except ValueError as e:
        errors["elected_on"] = str(e)
    if role not in GroupLeader.Role.values:
        errors["role"] = "未知的职务。"
    if errors:
        raise InvalidInput(errors)
    for old in group.leaders.filter(role=role, ended_on__isnull=True):
        old.ended_on = elected_on
        old.save(update_fields=["ended_on"])
    leader = GroupLeader.objects.create(
        org_id=group.org_id, group=group, member=member, role=role, elected_on=elected_on
    )
    audit.record(
        actor=actor,
        org=group.org,
        action="members.group.leader",
        obj=group,
        changes={GroupLeader.Role(role).label: [None, member.name], "elected_on": [None, str(elected_on)]},
    )
    return leader


# ---- committee --------------------------------------------------------------------------------


@transaction.atomic
def create_term(*, actor, org, body: str, number, elected_on, years) -> CommitteeTerm:
    from jiaogong.core.rules import value_for

    errors = {}
    if body not in CommitteeTerm.Body.values:
        errors["body"] = "未知的机构。"
    try:
        number = int(number)
        if number < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors["number"] = "届次应为正整数。"
    try:
        elected_on = parse_date(elected_on, required=True)
    except ValueError as e:
        errors["elected_on"] = str(e)
    allowed = value_for(org, "union.committee_term_years")
    try:
        years = int(years)
        if years not in allowed:
            raise ValueError
    except (TypeError, ValueError):
        errors["years"] = "任期应为 " + " 或 ".join(str(y) for y in allowed) + " 年（工会法第十六条）。"
    if not errors and CommitteeTerm.objects.filter(org=org, body=body, number=number).exists():
        errors["number"] = "该届次已存在。"
    if errors:
        raise InvalidInput(errors)
    for old in CommitteeTerm.objects.filter(org=org, body=body, closed_on__isnull=True):
        old.closed_on = elected_on
        old.save(update_fields=["closed_on"])
        old.seats.filter(until__isnull=True).update(until=elected_on)
    term = CommitteeTerm.objects.create(org=org, body=body, number=number, elected_on=elected_on, years=years)
    audit.record(
        actor=actor,
        org=org,
        action="members.committee.term",
        obj=term,
        changes={
            "body": [None, body],
            "number": [None, number],
            "elected_on": [None, str(elected_on)],
            "years": [None, years],
        },
    )
    return term


@transaction.atomic
def add_seat(
    *, actor, term: CommitteeTerm, member: Member, position: str, portfolio: str = "", since=None
) -> CommitteeSeat:
    errors = {}
    if member.org_id != term.org_id:
        errors["member"] = "没有找到该会员。"
    elif not member.is_member:
        errors["member"] = "委员应为会员。"
    elif term.seats.filter(member=member, until__isnull=True).exists():
        errors["member"] = "该会员已在本届委员会中。"
    if position not in CommitteeSeat.Position.values:
        errors["position"] = "未知的职务。"
    if portfolio not in CommitteeSeat.Portfolio.values:
        errors["portfolio"] = "未知的分工。"
    try:
        since = parse_date(since) or term.elected_on
    except ValueError as e:
        errors["since"] = str(e)
    if term.closed_on is not None:
        errors["term"] = "该届已届满，不能再增补委员。"
    if errors:
        raise InvalidInput(errors)
    seat = CommitteeSeat.objects.create(
        org_id=term.org_id, term=term, member=member, position=position, portfolio=portfolio, since=since
    )
    audit.record(
        actor=actor,
        org=term.org,
        action="members.committee.seat",
        obj=seat,
        changes={"member": [None, member.name], "position": [None, position], "portfolio": [None, portfolio]},
    )
    return seat


@transaction.atomic
def end_seat(*, actor, seat: CommitteeSeat, until) -> CommitteeSeat:
    try:
        until = parse_date(until, required=True)
    except ValueError as e:
        raise InvalidInput({"until": str(e)}) from None
    if until < seat.since:
        raise InvalidInput({"until": "离任日期早于任职日期。"})
    seat.until = until
    seat.save(update_fields=["until"])
    audit.record(
        actor=actor,
        org=seat.term.org,
        action="members.committee.seat_end",
        obj=seat,
        changes={"until": [None, str(until)]},
    )
    return seat
