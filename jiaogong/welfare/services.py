"""Every write of 送温暖: report a care event, assign its visitor, record the visit (its money
through the caps engine and onto the ledger), build and post greeting batches, and record the
退休教职工座谈会 of the 退教分会 (its cost onto the ledger)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.core.uploads import KINDS as UPLOAD_KINDS
from jiaogong.funds import benefits
from jiaogong.funds import caps as caps_rules
from jiaogong.funds.books import sniff
from jiaogong.funds.services import record_entry
from jiaogong.members.models import Member
from jiaogong.welfare import rules, selectors
from jiaogong.welfare.models import (
    CareEvent,
    GreetingBatch,
    GreetingRecipient,
    RetireeMeeting,
    RetireeMeetingAttendee,
    Visit,
    VisitPhoto,
)

MAX_PHOTO = UPLOAD_KINDS["visit_photo"].max_bytes  # core/uploads.py: one table of upload points
# Members a care event can be about: on the roll, retired, or just deceased (death_member).
REPORTABLE = (Member.Status.ACTIVE, Member.Status.RETIRED, Member.Status.DECEASED)
VISIT_FORMS = ("cash", "goods", "souvenir", "cake_voucher")


def _member_of(org, value, *, field: str, label: str, errors: dict, statuses=REPORTABLE) -> Member | None:
    if isinstance(value, Member):
        member = value if value.org_id == org.pk else None
    else:
        try:
            member = Member.objects.filter(org=org, pk=int(value)).first()
        except (TypeError, ValueError):
            member = None
    if member is None:
        errors[field] = f"请选择本工会的{label}。"
        return None
    if statuses and member.status not in statuses:
        errors[field] = f"{member.name}（{member.get_status_display()}）不能作为{label}。"
        return None
    return member


# ---- care events ----------------------------------------------------------------------------------


@transaction.atomic
def report_event(
    *, actor, org, member, kind: str, occurred_on, note: str = "", today: datetime.date | None = None
) -> CareEvent:
    """Any member reports a 五必访 event; the visit is due `welfare.visit_due_days` after the report."""
    today = today or timezone.localdate()
    triggers = selectors.triggers(org)
    errors: dict[str, str] = {}
    the_member = _member_of(org, member, field="member", label="会员", errors=errors)
    if kind not in triggers:
        errors["kind"] = "请选择事由：" + "、".join(t.label for t in triggers.values()) + "。"
    if not isinstance(occurred_on, datetime.date):
        errors["occurred_on"] = "请填写发生日期。"
    elif occurred_on > today + datetime.timedelta(days=60):
        errors["occurred_on"] = "发生日期太远了，请填写已发生或即将发生（60 天内）的日期。"
    elif occurred_on < today - datetime.timedelta(days=366):
        errors["occurred_on"] = "发生日期早于一年前，请核对。"
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = "简要说明不超过 200 字（不必写病情）。"
    if errors:
        raise InvalidInput(errors, "报告内容有误，未提交。")
    event = CareEvent.objects.create(
        org=org,
        member=the_member,
        kind=kind,
        occurred_on=occurred_on,
        note=note,
        reported_by=actor,
        reported_on=today,
        visit_due_on=rules.visit_due_on(today, value_for(org, "welfare.visit_due_days")),
    )
    audit.record(
        actor=actor,
        org=org,
        action="welfare.event.report",
        obj=event,
        changes=audit.snapshot(event, ["member", "kind", "occurred_on", "visit_due_on"]),
    )
    return event


@transaction.atomic
def assign_visitor(*, actor, org, event: CareEvent, visitor, due_on=None) -> CareEvent:
    """The welfare member or the chair names who visits (a 工会小组长 or a committee member) and by when."""
    if event.org_id != org.pk:
        raise InvalidInput({"event": "不是本工会的慰问事项。"})
    event = CareEvent.objects.select_for_update().get(pk=event.pk)
    if event.status == CareEvent.Status.VISITED:
        raise Conflict("already_visited", "已经走访过了，不能再分派。")
    errors: dict[str, str] = {}
    candidates = {m.pk: m for m, _why in selectors.visitor_candidates(org)}
    the_visitor = _member_of(org, visitor, field="visitor", label="走访人", errors=errors, statuses=None)
    if the_visitor is not None and the_visitor.pk not in candidates:
        errors["visitor"] = f"{the_visitor.name}不是工会小组长或工会委员，请从名单中选择。"
    if due_on is None:
        due_on = event.visit_due_on
    if not isinstance(due_on, datetime.date):
        errors["due_on"] = "请填写走访期限。"
    elif due_on < event.reported_on:
        errors["due_on"] = "走访期限不能早于报告日期。"
    if errors:
        raise InvalidInput(errors, "分派有误，未保存。")
    before = audit.snapshot(event, ["visitor", "visit_due_on", "status"])
    event.visitor = the_visitor
    event.visit_due_on = due_on
    event.status = CareEvent.Status.ASSIGNED
    event.assigned_by = actor
    event.assigned_at = timezone.now()
    event.save(update_fields=["visitor", "visit_due_on", "status", "assigned_by", "assigned_at"])
    audit.record(
        actor=actor,
        org=org,
        action="welfare.event.assign",
        obj=event,
        changes=audit.diff(before, audit.snapshot(event, ["visitor", "visit_due_on", "status"])),
    )
    return event


def may_record_visit(user, org, event: CareEvent) -> bool:
    """The welfare member and the chair, and the visitor assigned (whatever their role)."""
    if can(user, org, "welfare.manage"):
        return True
    member_id = getattr(user, "member_id", None)
    return member_id is not None and event.visitor_id == member_id


def _check_photo(upload, errors: dict) -> str | None:
    if upload is None:
        return None
    if upload.size > MAX_PHOTO:
        errors["photo"] = "照片不能超过 10 MB。"
        return None
    if upload.size == 0:
        errors["photo"] = "照片文件是空的。"
        return None
    head = upload.read(8)
    upload.seek(0)
    content_type = sniff(head)
    if content_type not in ("image/jpeg", "image/png"):
        errors["photo"] = "照片只能是 JPG 或 PNG 图片。"
        return None
    return content_type


def _save_photo(*, actor, visit: Visit, upload, content_type: str) -> VisitPhoto:
    name = (getattr(upload, "name", "") or "照片").rsplit("/", 1)[-1][:200]
    photo = VisitPhoto(visit=visit, name=name, content_type=content_type, size=upload.size, uploaded_by=actor)
    photo.file.save(name, upload, save=False)
    photo.save()
    return photo


@transaction.atomic
def record_visit(
    *,
    actor,
    org,
    event: CareEvent,
    visited_on,
    visitors,
    form: str = "",
    amount=None,
    caps_kind: str = "",
    note: str = "",
    photo=None,
    override_reason: str = "",
    today: datetime.date | None = None,
    confirm_warnings: bool = False,
) -> Visit:
    """The visit: who went, when, what was given. Money goes through the caps engine
    (`benefits.give`: 422 `cap_exceeded` with the rule and what is left, or `form_not_allowed`;
    the chair may go over a cap with a reason) and is booked on the trigger's ledger line.
    No amount (empty or 0): a visit without money, no 慰问 and no voucher."""
    today = today or timezone.localdate()
    if event.org_id != org.pk:
        raise InvalidInput({"event": "不是本工会的慰问事项。"})
    if not may_record_visit(actor, org, event):
        raise PermissionDenied("只有被分派的走访人、生活委员或工会主席可以登记走访。")
    event = CareEvent.objects.select_for_update().get(pk=event.pk)
    if event.status == CareEvent.Status.VISITED:
        raise Conflict("already_visited", "这次慰问已经登记过走访。")
    trigger = selectors.triggers(org).get(event.kind)
    errors: dict[str, str] = {}
    if not isinstance(visited_on, datetime.date):
        errors["visited_on"] = "请填写走访日期。"
    elif visited_on > today:
        errors["visited_on"] = "走访日期不能晚于今天。"
    people: list[Member] = []
    ids = visitors if isinstance(visitors, list | tuple) else [visitors]
    for value in ids:
        if value in (None, ""):
            continue
        member = _member_of(org, value, field="visitors", label="走访人", errors=errors, statuses=None)
        if member is not None and member not in people:
            people.append(member)
    if not people and "visitors" not in errors:
        errors["visitors"] = "请至少选择一位走访人。"
    money = None
    if amount not in (None, ""):
        try:
            money = rules.parse_yuan(amount, allow_zero=True)
        except ValueError as e:
            errors["amount"] = str(e)
    if money == 0:
        money = None
    form = (form or "").strip()
    if money is not None and form not in VISIT_FORMS or form and form not in VISIT_FORMS:
        errors["form"] = "请选择慰问形式（慰问金、慰问品、纪念品或蛋糕券）。"
    kinds = trigger.caps_kinds if trigger else ()
    caps_kind = (caps_kind or "").strip() or (kinds[0] if kinds else "")
    if money is not None and caps_kind not in kinds:
        errors["caps_kind"] = "请选择慰问标准：" + "、".join(caps_rules.KIND_LABELS[k] for k in kinds) + "。"
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = "走访情况不超过 500 字。"
    content_type = _check_photo(photo, errors)
    if errors:
        raise InvalidInput(errors, "走访记录有误，未登记。")

    benefit = None
    if money is not None:
        benefit = benefits.give(
            actor=actor,
            org=org,
            member=event.member,
            kind=caps_kind,
            form=form,
            amount=money,
            date=visited_on,
            memo=f"五必访·{trigger.label}",
            override_reason=override_reason,
            ledger_line=(trigger.category, trigger.subcategory),
            confirm_warnings=confirm_warnings,
        )
    visit = Visit.objects.create(
        org=org,
        event=event,
        visited_on=visited_on,
        form=form,
        amount=money,
        caps_kind=caps_kind if money is not None else "",
        benefit=benefit,
        note=note,
        recorded_by=actor,
    )
    visit.visitors.set(people)
    if content_type:
        _save_photo(actor=actor, visit=visit, upload=photo, content_type=content_type)
    event.status = CareEvent.Status.VISITED
    event.save(update_fields=["status"])
    audit.record(
        actor=actor,
        org=org,
        action="welfare.visit.record",
        obj=visit,
        changes={
            "event": event.pk,
            "visited_on": str(visited_on),
            "visitors": [m.pk for m in people],
            "form": form,
            "amount": None if money is None else str(money),
            "benefit": benefit.pk if benefit else None,
            "entry": benefit.entry_id if benefit else None,
            "photo": bool(content_type),
        },
    )
    return visit


@transaction.atomic
def add_photo(*, actor, org, visit: Visit, upload) -> VisitPhoto:
    """Another photo of a visit (photos are kept, never replaced)."""
    if visit.org_id != org.pk:
        raise InvalidInput({"visit": "不是本工会的走访记录。"})
    if not may_record_visit(actor, org, visit.event):
        raise PermissionDenied("只有走访人、生活委员或工会主席可以添加照片。")
    errors: dict[str, str] = {}
    if upload is None:
        errors["photo"] = "请选择走访照片（JPG 或 PNG）。"
    content_type = _check_photo(upload, errors)
    if errors:
        raise InvalidInput(errors, "照片未上传。")
    photo = _save_photo(actor=actor, visit=visit, upload=upload, content_type=content_type)
    audit.record(
        actor=actor,
        org=org,
        action="welfare.visit.photo",
        obj=photo,
        changes={"visit": visit.pk, "name": photo.name},
    )
    return photo


# ---- greeting batches -------------------------------------------------------------------------------


def festivals_of(org) -> list[str]:
    """The 7 statutory festivals and the org's extra ones (rule "welfare.extra_festivals")."""
    extra = [str(x).strip() for x in value_for(org, "welfare.extra_festivals") or [] if str(x).strip()]
    return list(dict.fromkeys([*benefits.FESTIVALS, *extra]))


@transaction.atomic
def create_batch(
    *,
    actor,
    org,
    kind: str,
    given_on,
    item: str,
    form: str = "goods",
    festival: str = "",
    month: int | None = None,
    amounts: dict | None = None,
    hardship_extra=None,
    handler: str = "",
    today: datetime.date | None = None,
) -> GreetingBatch:
    """A draft batch with its recipients built by rule in one step:
    festival — active members (amounts["active"]), retirees (amounts["retired"]) and 困难职工家庭
    (`hardship_extra` on top, from the hardship files open on the day); birthday — the active
    members born in `month` (amounts["birthday"]). A class without an amount is left out."""
    today = today or timezone.localdate()
    amounts = amounts or {}
    errors: dict[str, str] = {}
    if kind not in GreetingBatch.Kind.values:
        raise InvalidInput({"kind": "请选择节日慰问或生日慰问。"})
    if not isinstance(given_on, datetime.date):
        errors["given_on"] = "请填写发放日期。"
    item = (item or "").strip()
    if not item:
        errors["item"] = "请填写慰问品（如 大米、食用油、月饼）。"
    elif len(item) > 100:
        errors["item"] = "慰问品不超过 100 字。"
    if form not in caps_rules.FORMS:
        errors["form"] = "请选择慰问形式。"
    parsed: dict[str, Decimal] = {}
    classes = ("active", "retired") if kind == "festival" else ("birthday",)
    for klass in classes:
        text = amounts.get(klass)
        if text in (None, ""):
            continue
        try:
            parsed[klass] = rules.parse_yuan(text, allow_zero=True)
        except ValueError as e:
            errors[f"amount_{klass}"] = str(e)
    extra = Decimal("0.00")
    if kind == "festival" and hardship_extra not in (None, ""):
        try:
            extra = rules.parse_yuan(hardship_extra, allow_zero=True)
        except ValueError as e:
            errors["hardship_extra"] = str(e)
    if kind == "festival":
        festival = (festival or "").strip()
        if festival not in festivals_of(org):
            errors["festival"] = "请选择节日：" + "、".join(festivals_of(org)) + "。"
        month = None
    else:
        festival = ""
        if not isinstance(month, int) or not 1 <= month <= 12:
            errors["month"] = "请选择月份。"
    if not errors and not any(parsed.values()) and not extra:
        errors["amount_active" if kind == "festival" else "amount_birthday"] = "请至少为一类人员填写金额。"
    if errors:
        raise InvalidInput(errors, "慰问名单未生成。")

    year = given_on.year
    if kind == "festival":
        hardship_ids = set(selectors.hardship_member_ids(org, given_on)) if extra else set()
        people = [
            (m, "retired" if m.status == Member.Status.RETIRED else "active")
            for m in Member.objects.filter(org=org, status__in=[Member.Status.ACTIVE, Member.Status.RETIRED])
        ]
        title = f"{year}年{festival}慰问"
    else:
        hardship_ids = set()
        people = [(m, "birthday") for m in selectors.birthdays_in(org, month)]
        title = f"{year}年{month}月生日慰问"
    batch = GreetingBatch.objects.create(
        org=org,
        kind=kind,
        festival=festival,
        month=month,
        year=year,
        title=title,
        item=item,
        form=form,
        given_on=given_on,
        handler=(handler or "").strip()[:50],
        created_by=actor,
    )
    rows = []
    for member, klass in people:
        amount = rules.greeting_amount(klass, member.pk in hardship_ids, parsed, extra)
        if amount > 0:
            rows.append(
                GreetingRecipient(
                    org=org,
                    batch=batch,
                    member=member,
                    klass=klass,
                    hardship=member.pk in hardship_ids,
                    amount=amount,
                )
            )
    if not rows:
        raise InvalidInput({"members": "按所选类别没有符合条件的会员。"}, "慰问名单未生成。")
    GreetingRecipient.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        org=org,
        action="welfare.batch.create",
        obj=batch,
        changes={
            "kind": kind,
            "festival": festival,
            "month": month,
            "amounts": {k: str(v) for k, v in parsed.items()},
            "hardship_extra": str(extra),
            "recipients": len(rows),
        },
    )
    return batch


def _draft(batch: GreetingBatch) -> GreetingBatch:
    batch = GreetingBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != GreetingBatch.Status.DRAFT:
        raise Conflict("batch_posted", "这批慰问已经发放入账，名单不能再改。")
    return batch


@transaction.atomic
def remove_recipient(*, actor, org, batch: GreetingBatch, recipient_id) -> None:
    batch = _draft(batch)
    row = (
        GreetingRecipient.objects.filter(batch=batch, org=org, pk=recipient_id)
        .select_related("member")
        .first()
    )
    if row is None:
        raise InvalidInput({"recipient": "名单中没有这个人。"})
    row.delete()
    audit.record(
        actor=actor, org=org, action="welfare.batch.remove", obj=batch, changes={"member": row.member_id}
    )


@transaction.atomic
def set_amount(*, actor, org, batch: GreetingBatch, recipient_id, amount) -> GreetingRecipient:
    batch = _draft(batch)
    row = GreetingRecipient.objects.filter(batch=batch, org=org, pk=recipient_id).first()
    if row is None:
        raise InvalidInput({"recipient": "名单中没有这个人。"})
    try:
        value = rules.parse_yuan(amount)
    except ValueError as e:
        raise InvalidInput({"amount": str(e)}, "金额有误，未修改。") from None
    before = row.amount
    row.amount = value
    row.save(update_fields=["amount"])
    audit.record(
        actor=actor,
        org=org,
        action="welfare.batch.amount",
        obj=batch,
        changes={"member": row.member_id, "amount": [str(before), str(value)]},
    )
    return row


@transaction.atomic
def post_batch(*, actor, org, batch: GreetingBatch, confirm_warnings: bool = False) -> GreetingBatch:
    """Give the batch all-or-nothing in one voucher (`benefits.give_batch`): refused (422
    `cap_exceeded`, naming everyone over their allowance) unless every recipient fits; 409
    `needs_confirmation` when the goods or the handler point at a banned use (八不准), until the
    person posting confirms."""
    batch = _draft(batch)
    if batch.org_id != org.pk:
        raise InvalidInput({"batch": "不是本工会的慰问批次。"})
    rows = list(batch.recipients.select_related("member").order_by("id"))
    if not rows:
        raise InvalidInput({"members": "名单是空的。"})
    if batch.kind == "festival" and batch.festival not in festivals_of(org):
        raise InvalidInput({"festival": "节日不在本单位的慰问节日中。"})
    if batch.given_on > timezone.localdate():
        raise DomainError("not_yet", "发放日期还没到，到发放当天再登记入账。")
    entry, given = benefits.give_batch(
        actor=actor,
        org=org,
        kind=batch.kind,
        festival=batch.festival,
        form=batch.form,
        lines=[(r.member, r.amount) for r in rows],
        date=batch.given_on,
        memo=batch.item,
        payee=batch.handler,
        confirm_warnings=confirm_warnings,
    )
    by_member = {b.member_id: b for b in given}
    for row in rows:
        row.benefit = by_member[row.member_id]
    GreetingRecipient.objects.bulk_update(rows, ["benefit"])
    batch.status = GreetingBatch.Status.POSTED
    batch.entry = entry
    batch.posted_by = actor
    batch.posted_at = timezone.now()
    batch.save(update_fields=["status", "entry", "posted_by", "posted_at"])
    audit.record(
        actor=actor,
        org=org,
        action="welfare.batch.post",
        obj=batch,
        changes={"entry": entry.pk, "total": str(entry.amount), "recipients": len(rows)},
    )
    return batch


# ---- 退休教职工座谈会 ---------------------------------------------------------------------------------

MEETING_LEDGER_LINE = ("职工活动支出", "集体福利")


@transaction.atomic
def record_meeting(
    *,
    actor,
    org,
    title: str,
    held_on,
    place: str,
    topic: str,
    attendees,
    guests: str,
    summary: str,
    cost=None,
    today: datetime.date | None = None,
    confirm_warnings: bool = False,
) -> RetireeMeeting:
    """A 退休教职工座谈会 that was held: the retired members who came (at least one, each a
    retiree of the org), the leaders and guests present, the minutes. A cost is booked on the
    ledger (职工活动支出 · 集体福利, the memo naming the meeting) in the same transaction and kept
    on the meeting; all-or-nothing."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写座谈会名称（如 2026年重阳节退休教职工座谈会）。"
    elif len(title) > 100:
        errors["title"] = "座谈会名称不超过 100 字。"
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = "请填写召开日期。"
    elif held_on > today:
        errors["held_on"] = "召开日期不能晚于今天：座谈会开过之后再登记。"
    texts = {}
    for field, value, limit, label in (
        ("place", place, 100, "地点"),
        ("topic", topic, 1000, "议题"),
        ("guests", guests, 300, "出席的校领导和来宾"),
        ("summary", summary, 5000, "会议纪要"),
    ):
        texts[field] = (value or "").strip()
        if len(texts[field]) > limit:
            errors[field] = f"{label}不超过 {limit} 字。"
    people: list[Member] = []
    ids = attendees if isinstance(attendees, list | tuple | set) else [attendees]
    for value in ids:
        if value in (None, ""):
            continue
        member = _member_of(
            org,
            value,
            field="attendees",
            label="参会的退休教职工",
            errors=errors,
            statuses=(Member.Status.RETIRED,),
        )
        if member is not None and member not in people:
            people.append(member)
    if not people and "attendees" not in errors:
        errors["attendees"] = "请至少选择一位参会的退休教职工。"
    money = None
    if cost not in (None, ""):
        try:
            money = rules.parse_yuan(cost, allow_zero=True)
        except ValueError as e:
            errors["cost"] = str(e).replace("金额", "费用")
    if money == 0:
        money = None
    if errors:
        raise InvalidInput(errors, "座谈会记录有误，未登记。")

    entry = None
    if money is not None:
        category, subcategory = MEETING_LEDGER_LINE
        try:
            entry = record_entry(
                actor=actor,
                org=org,
                date=held_on,
                kind="expense",
                category=category,
                subcategory=subcategory,
                amount=money,
                memo=f"退休教职工座谈会：{title}（{len(people)} 人参加）"[:200],
                confirm_warnings=confirm_warnings,
            )
        except InvalidInput as e:  # e.g. the year's accounts are already signed off
            fields = {"held_on" if k == "date" else "cost": v for k, v in e.fields.items()}
            raise InvalidInput(fields, "座谈会费用未能记账，座谈会未登记。") from None
    meeting = RetireeMeeting.objects.create(
        org=org,
        title=title,
        held_on=held_on,
        cost=money,
        entry=entry,
        created_by=actor,
        **texts,
    )
    RetireeMeetingAttendee.objects.bulk_create(
        [RetireeMeetingAttendee(org=org, meeting=meeting, member=m) for m in people]
    )
    audit.record(
        actor=actor,
        org=org,
        action="welfare.retiree_meeting.record",
        obj=meeting,
        changes={
            "title": title,
            "held_on": str(held_on),
            "attendees": [m.pk for m in people],
            "cost": None if money is None else str(money),
            "entry": entry.pk if entry else None,
        },
    )
    return meeting
