"""慈善捐款 writes: open a campaign, record contributions (one or a whole group at once), reverse a
wrong one, hand the collection over. Every write is checked first, written whole or not at all,
and audited.

A separate account (代收代转): nothing here touches funds.LedgerEntry. The money is the charity's
from the moment it is given; the union only collects it and hands it over, so it is neither the
union's income nor its expense.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.money import parse_yuan
from jiaogong.core.parsing import clean_text
from jiaogong.donations import selectors
from jiaogong.donations.models import Campaign, Contribution, HandOver
from jiaogong.members.models import Member


def _locked(campaign: Campaign) -> Campaign:
    """The campaign row locked for this transaction: a contribution and the hand-over of the same
    campaign never interleave (on SQLite every write already queues behind one lock)."""
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _refuse_if_closed(campaign: Campaign, doing: str) -> None:
    hand_over = HandOver.objects.filter(campaign=campaign).first()
    if hand_over is not None:
        raise Conflict(
            "closed",
            f"“{campaign.title}”的捐款已于 {hand_over.handed_on:%Y-%m-%d} 移交{hand_over.recipient}，"
            f"活动已结束，不能再{doing}。",
        )


# ---- campaigns ------------------------------------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    actor,
    org,
    title: str,
    beneficiary: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    purpose: str = "",
    suggested_amount=None,
    note: str = "",
) -> Campaign:
    """Open a campaign (e.g. 2026年慈善一日捐, for 区慈善总会)."""
    errors: dict[str, str] = {}
    title = clean_text(title, label="活动名称", max_length=100, required=True, errors=errors, field="title")
    beneficiary = clean_text(
        beneficiary, label="接收单位", max_length=100, required=True, errors=errors, field="beneficiary"
    )
    purpose = clean_text(
        purpose, label="用途", max_length=200, required=False, errors=errors, field="purpose"
    )
    note = clean_text(note, label="说明", max_length=500, required=False, errors=errors, field="note")
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = "请填写开始日期。"
    if not isinstance(ends_on, datetime.date):
        errors["ends_on"] = "请填写截止日期。"
    elif isinstance(starts_on, datetime.date) and ends_on < starts_on:
        errors["ends_on"] = "截止日期不能早于开始日期。"
    suggested = None
    if suggested_amount not in (None, ""):
        suggested, problem = parse_yuan(suggested_amount, label="倡议金额")
        if problem:
            errors["suggested_amount"] = problem
    if title and "title" not in errors and Campaign.objects.filter(org=org, title=title).exists():
        errors["title"] = f"本单位已有名为“{title}”的捐款活动。"
    if errors:
        raise InvalidInput(errors, "捐款活动有误，未创建。")
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                org=org,
                title=title,
                purpose=purpose,
                beneficiary=beneficiary,
                starts_on=starts_on,
                ends_on=ends_on,
                suggested_amount=suggested,
                note=note,
                created_by=actor,
            )
    except IntegrityError:
        raise InvalidInput(
            {"title": f"本单位已有名为“{title}”的捐款活动。"}, "捐款活动有误，未创建。"
        ) from None
    audit.record(
        actor=actor,
        org=org,
        action="donations.campaign.create",
        obj=campaign,
        changes=audit.snapshot(campaign),
    )
    return campaign


# ---- contributions ------------------------------------------------------------------------------------


def record_contribution(
    *,
    actor,
    campaign: Campaign,
    amount,
    paid_on: datetime.date | None,
    method: str,
    member: Member | int | None = None,
    name: str = "",
    memo: str = "",
) -> Contribution:
    """One giver's money: a member of the registry (or their id), or (outside it) a name."""
    rows = [{"member": member, "name": name, "amount": amount, "memo": memo}]
    return _record(actor=actor, campaign=campaign, rows=rows, paid_on=paid_on, method=method, single=True)[0]


def record_contributions(
    *, actor, campaign: Campaign, rows: list[dict], paid_on: datetime.date | None, method: str
) -> list[Contribution]:
    """Several givers at once (a group leader hands in the group's envelope): rows of
    {"member": Member or id, "amount": …} (or {"name": …} for someone outside the registry).
    Every row is checked before anything is written; one bad row writes nothing."""
    return _record(actor=actor, campaign=campaign, rows=rows, paid_on=paid_on, method=method, single=False)


@transaction.atomic
def _record(
    *, actor, campaign: Campaign, rows: list[dict], paid_on, method: str, single: bool
) -> list[Contribution]:
    campaign = _locked(campaign)
    _refuse_if_closed(campaign, "登记捐款")
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not isinstance(paid_on, datetime.date):
        errors["paid_on"] = "请填写捐款日期。"
    elif paid_on > today:
        errors["paid_on"] = "捐款日期不能晚于今天。"
    elif paid_on < campaign.starts_on:
        errors["paid_on"] = f"捐款日期不能早于活动开始日期 {campaign.starts_on:%Y-%m-%d}。"
    if method not in Contribution.Method.values:
        errors["method"] = "请选择捐款方式：现金、银行转账或微信。"
    if not rows:
        errors["rows"] = "请至少填写一位捐款人的金额。"

    wanted = [r.get("member") for r in rows if r.get("member") not in (None, "")]
    ids = [m.pk if isinstance(m, Member) else m for m in wanted]
    members = {
        m.pk: m
        for m in Member.objects.filter(
            org_id=campaign.org_id, pk__in=[i for i in ids if isinstance(i, int)]
        ).select_related("union_group")
    }
    already = selectors.givers(campaign)
    seen: set[int] = set()
    checked = []
    for i, row in enumerate(rows, start=1):
        key = (lambda field: field) if single else (lambda field, i=i: f"{i}.{field}")
        where = "" if single else f"第 {i} 行："  # until the giver's name is known
        member = None
        name = ""
        given = row.get("member")
        if given not in (None, ""):
            member = members.get(given.pk if isinstance(given, Member) else given)
            if member is None:
                errors[key("member")] = f"{where}没有找到该会员。"
                continue
            name = member.name
            if member.pk in seen:
                errors[key("member")] = f"{name} 重复填写了。"
                continue
            seen.add(member.pk)
            if member.pk in already:
                errors[key("member")] = (
                    f"{name} 已登记捐款 {already[member.pk].amount} 元；金额有误的，请先冲销原记录再重新登记。"
                )
                continue
        else:
            name = str(row.get("name") or "").strip()
            if not name:
                errors[key("member")] = f"{where}请选择会员，或填写非会员捐款人的姓名。"
                continue
            if len(name) > 50:
                errors[key("name")] = f"{where}姓名不能超过 50 个字。"
                continue
        amount, problem = parse_yuan(row.get("amount"), label="金额")
        if problem:
            errors[key("amount")] = problem if single else f"{name}的{problem}"
            continue
        memo = (row.get("memo") or "").strip()
        if len(memo) > 200:
            errors[key("memo")] = "备注不能超过 200 字。" if single else f"{name}的备注不能超过 200 字。"
            continue
        checked.append((member, name, amount, memo))
    if errors:
        raise InvalidInput(errors, "捐款登记有误，未登记任何一笔。")

    made = []
    for member, name, amount, memo in checked:
        contribution = Contribution.objects.create(
            org_id=campaign.org_id,
            campaign=campaign,
            member=member,
            name=name,
            group_name=member.union_group.name if member is not None and member.union_group_id else "",
            amount=amount,
            paid_on=paid_on,
            method=method,
            memo=memo,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            org=campaign.org_id,
            action="donations.contribution.record",
            obj=contribution,
            changes=audit.snapshot(
                contribution, ["campaign", "member", "name", "amount", "paid_on", "method"]
            ),
        )
        made.append(contribution)
    return made


@transaction.atomic
def reverse_contribution(*, actor, contribution: Contribution, reason: str) -> Contribution:
    """A wrong contribution (wrong person, wrong amount, recorded twice) is cancelled by its opposite,
    dated today and citing it; the original stays. Not after the hand-over: the money has gone."""
    campaign = _locked(contribution.campaign)
    _refuse_if_closed(campaign, "冲销捐款记录")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "请写明冲销原因。"}, "请写明冲销原因。")
    if len(reason) > 100:
        raise InvalidInput({"reason": "冲销原因不能超过 100 字。"}, "冲销原因过长。")
    if contribution.reverses_id is not None:
        raise Conflict("is_reversal", "这是一笔冲销记录，不能再冲销；如有错误请重新登记。")
    try:
        with transaction.atomic():
            reversal = Contribution.objects.create(
                org_id=contribution.org_id,
                campaign=campaign,
                member=contribution.member,
                name=contribution.name,
                group_name=contribution.group_name,
                amount=-contribution.amount,
                paid_on=timezone.localdate(),
                method=contribution.method,
                memo=f"冲销 {contribution.paid_on:%Y-%m-%d} {contribution.name} {contribution.amount} 元：{reason}"[
                    :200
                ],
                reverses=contribution,
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict("already_reversed", "这笔捐款记录已经冲销过了。") from None
    audit.record(
        actor=actor,
        org=campaign.org_id,
        action="donations.contribution.reverse",
        obj=reversal,
        changes={"reverses": contribution.pk, "amount": str(reversal.amount), "reason": reason},
    )
    return reversal


# ---- the hand-over ----------------------------------------------------------------------------------


@transaction.atomic
def hand_over(
    *,
    actor,
    campaign: Campaign,
    handed_on: datetime.date | None,
    recipient: str,
    amount,
    receipt_number: str,
    note: str = "",
) -> HandOver:
    """Pass the whole collection to the recipient. The amount typed must be the collected total at
    this moment (what was counted is what was handed over); afterwards the campaign is closed."""
    campaign = _locked(campaign)
    _refuse_if_closed(campaign, "移交")
    totals = selectors.totals(campaign)
    if totals["total"] <= 0:
        raise Conflict("nothing_collected", f"“{campaign.title}”还没有收到捐款，无需移交。")
    errors: dict[str, str] = {}
    today = timezone.localdate()
    last_paid = (
        Contribution.objects.filter(campaign=campaign).order_by("-paid_on").values_list("paid_on", flat=True)
    ).first()
    if not isinstance(handed_on, datetime.date):
        errors["handed_on"] = "请填写移交日期。"
    elif handed_on > today:
        errors["handed_on"] = "移交日期不能晚于今天。"
    elif last_paid and handed_on < last_paid:
        errors["handed_on"] = f"移交日期不能早于最后一笔捐款（或冲销）的日期 {last_paid:%Y-%m-%d}。"
    recipient = clean_text(
        recipient, label="接收单位", max_length=100, required=True, errors=errors, field="recipient"
    )
    receipt_number = clean_text(
        receipt_number,
        label="收据编号",
        max_length=50,
        required=True,
        errors=errors,
        field="receipt_number",
    )
    note = clean_text(note, label="说明", max_length=200, required=False, errors=errors, field="note")
    value, problem = parse_yuan(amount, label="移交金额")
    if problem:
        errors["amount"] = problem
    elif value != totals["total"]:
        errors["amount"] = (
            f"移交金额应等于已收捐款合计 {totals['total']} 元（{totals['givers']} 人），而不是 {value} 元；"
            "有差额的，请先核对登记，冲销错误的记录或补登漏记的捐款。"
        )
    if errors:
        raise InvalidInput(errors, "移交记录有误，未登记。")
    try:
        with transaction.atomic():
            record = HandOver.objects.create(
                org_id=campaign.org_id,
                campaign=campaign,
                handed_on=handed_on,
                recipient=recipient,
                amount=value,
                givers=totals["givers"],
                receipt_number=receipt_number,
                note=note,
                handed_by=actor,
            )
    except IntegrityError:
        raise Conflict("closed", f"“{campaign.title}”的捐款已经移交。") from None
    audit.record(
        actor=actor,
        org=campaign.org_id,
        action="donations.campaign.hand_over",
        obj=record,
        changes=audit.snapshot(record),
    )
    return record
