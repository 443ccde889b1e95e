"""Polls and elections of a session: open on quorum, one ballot per present delegate, count at close.

The evidence lives in the schema:
- Turnout (poll, delegate) is unique: the database, not Python, refuses a second ballot;
- a secret Ballot has no voter, no timestamp and a random key (its receipt), and is written in
  the same transaction as the turnout row, so a ballot is never counted without its voter being
  marked, nor the other way round;
- ballots are never updated or deleted; `recount` counts any poll again from them.

A ballot and a close can race: on PostgreSQL a ballot holds a share lock on the poll row while it
is written and the close takes the row for update, so a close waits for the ballots in flight
and a ballot after the close sees it closed. SQLite runs write transactions one at a time
(IMMEDIATE), which gives the same order.
"""

import contextlib
import json
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import Http404
from django.utils import timezone

from jiaogong.congress import rules
from jiaogong.congress.models import AgendaItem, Ballot, Congress, Delegate, Poll, Turnout, new_receipt
from jiaogong.congress.sessions import present_voters, quorum_status, voters
from jiaogong.core import audit
from jiaogong.core.db import prepared_cursor
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.core.rules import value_for


class NotRecorded(DomainError):
    """The database could not take the ballot in time: nothing was written (HTTP 503)."""

    status = 503

    def __init__(self):
        super().__init__("not_recorded", "您的选票没有记录成功（系统繁忙），请重新提交。")


# ---- setting up --------------------------------------------------------------------------------------


def _clean_options(options, minimum: int = 2) -> list[str]:
    if options is None:
        return list(rules.MOTION_OPTIONS)
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise InvalidInput({"options": "选项应为文字列表。"})
    cleaned = [o.strip() for o in options]
    if any(not o for o in cleaned):
        raise InvalidInput({"options": "选项不能为空。"})
    if len(set(cleaned)) != len(cleaned):
        raise InvalidInput({"options": "选项不能重复。"})
    if len(cleaned) < minimum:
        raise InvalidInput({"options": "至少需要两个选项。" if minimum == 2 else "请列出候选人。"})
    return cleaned


@transaction.atomic
def create_poll(
    *,
    actor,
    congress: Congress,
    title: str,
    kind: str,
    options: list[str] | None = None,
    seats: int | None = None,
    contested: bool = True,
    agenda_item: AgendaItem | None = None,
) -> Poll:
    """A motion (options 赞成/反对/弃权 by default) or, with `seats`, an election whose options are
    the candidates. A contested election (差额) needs more candidates than seats by the parameter
    share and at least one; chair, vice-chair, 经审 and 女职委 elections may be uncontested."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写表决事项。"
    if kind not in Poll.Kind.values:
        errors["kind"] = "表决方式应为 secret（无记名投票）或 named（记名表决）。"
    if seats is not None and seats < 1:
        errors["seats"] = "应选人数应为正整数。"
    if agenda_item is not None and agenda_item.congress_id != congress.pk:
        errors["agenda_item"] = "没有找到该议题。"
    try:
        if seats is None:
            cleaned = _clean_options(options)
        else:
            cleaned = _clean_options(options, minimum=1) if options is not None else None
    except InvalidInput as e:
        errors.update(e.fields)
        cleaned = None
    if seats is not None and cleaned is None and "options" not in errors:
        errors["options"] = "请列出候选人。"
    if errors:
        raise InvalidInput(errors)
    if seats is not None:
        share = value_for(congress.org, "election.extra_candidates_min_share")
        if len(cleaned) < seats:
            raise DomainError("too_few_candidates", f"候选人 {len(cleaned)} 名，少于应选人数 {seats} 名。")
        if contested and not rules.competitive_enough(len(cleaned), seats, share):
            extra = rules.extra_candidates_needed(seats, share)
            raise DomainError(
                "not_competitive",
                f"差额选举的候选人应多于应选人数至少 {extra} 名（应选 {seats} 名，至少 {seats + extra} 名候选人）。",
            )
    poll = Poll.objects.create(
        org=congress.org,
        congress=congress,
        agenda_item=agenda_item,
        title=title.strip(),
        kind=kind,
        options=cleaned,
        seats=seats,
    )
    audit.record(
        actor=actor, org=congress.org, action="congress.poll.create", obj=poll, changes=audit.snapshot(poll)
    )
    return poll


@transaction.atomic
def open_poll(*, actor, poll: Poll) -> Poll:
    """Voting starts only when the quorum is present."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.state != Poll.State.DRAFT:
        raise Conflict("poll_not_draft", f"该表决{poll.get_state_display()}，不能再次开始。")
    status = quorum_status(poll.congress)
    if not status.met:
        raise DomainError(
            "quorum_not_met",
            f"出席代表 {status.present} 人，未达到法定人数 {status.needed} 人（代表总数 {status.total} 人的三分之二），不能开始表决。",
            extra={"total": status.total, "present": status.present, "needed": status.needed},
        )
    poll.state = Poll.State.OPEN
    poll.opened_at = timezone.now()
    poll.save(update_fields=["state", "opened_at"])
    audit.record(
        actor=actor,
        org=poll.org,
        action="congress.poll.open",
        obj=poll,
        changes={"state": ["draft", "open"], "present": status.present, "total": status.total},
    )
    return poll


# ---- voting --------------------------------------------------------------------------------------------------
#
# Casting is the one path measured under load (a hall of delegates pressing the button at once),
# so it runs a fixed, small set of statements. SQLite (in-process, where a query costs
# microseconds): one query for the poll with the caller's seat and check-in, then one transaction
# of three inserts — the turnout row (written only while the poll is open), the ballot, the audit
# row. PostgreSQL (where each round trip counts): one prepared statement that checks all of it and
# writes the three rows; only when it wrote nothing does the context query run, to say why.
#
# A secret ballot carries no voter, no time and no sequence; on SQLite the table is WITHOUT ROWID
# (migration 0002), so nothing numbers ballots in the order they came. PostgreSQL's heap keeps
# rows in write order (ctid) and has no such option: whoever can read the database files directly
# could line ballots up with the audit trail's order of voters. Only the database administrator
# has that access; nothing the application or its API shows does.

_CONTEXT_SQL = """
    SELECT p.org_id, p.state, p.kind, p.options, p.seats, p.title, d.id, d.kind,
           EXISTS (SELECT 1 FROM congress_attendance a WHERE a.congress_id = c.id AND a.delegate_id = d.id)
    FROM congress_poll p
    JOIN congress_congress c ON c.id = p.congress_id
    LEFT JOIN congress_delegate d ON d.term_id = c.term_id AND d.member_id = %s
         AND d.elected_on <= c.opens_on AND (d.until IS NULL OR d.until > c.opens_on)
    WHERE p.id = %s
"""

# The turnout row is written only if the poll is open at that moment. On PostgreSQL the share lock
# makes a close (which takes the poll row for update) wait for the ballots in flight, and a ballot
# that waited on a close sees the poll closed; SQLite runs one write transaction at a time.
_TURNOUT_SQL = """
    INSERT INTO congress_turnout (poll_id, delegate_id)
    SELECT id, %s FROM congress_poll WHERE id = %s AND state = 'open'
"""


# The ballot and audit rows as the ORM would write them, without building model instances on
# the hot path.
_BALLOT_SQL = "INSERT INTO congress_ballot (receipt, poll_id, choices, delegate_id) VALUES (%s, %s, %s, %s)"
_CHOICES = Ballot._meta.get_field("choices")
_AUDIT_FIELDS = ["org_id", "actor_id", "at", "action", "object_type", "object_id", "object_repr", "changes"]
_AUDIT_COLUMNS = ", ".join(AuditEvent._meta.get_field(name).column for name in _AUDIT_FIELDS)
_AUDIT_SQL = (
    f"INSERT INTO {AuditEvent._meta.db_table} ({_AUDIT_COLUMNS})"
    f" VALUES ({', '.join(['%s'] * len(_AUDIT_FIELDS))})"
)
# PostgreSQL: the whole ballot in one statement — one transaction and one round trip. `v` checks
# everything the context query would (the poll open, the caller a formal delegate of the session
# who has checked in, the marks among the options and within the seats) under a share lock on the
# poll; each insert feeds the next, so nothing is written unless all of it holds. When nothing is
# written, cast_ballot asks the context query why.
_PG_BALLOT_SQL = f"""
    WITH v AS (
        SELECT p.id AS poll_id, d.id AS delegate_id, p.kind, p.org_id, p.title
        FROM congress_poll p
        JOIN congress_congress c ON c.id = p.congress_id
        JOIN congress_delegate d ON d.term_id = c.term_id AND d.member_id = %(member)s
             AND d.kind = 'formal' AND d.elected_on <= c.opens_on
             AND (d.until IS NULL OR d.until > c.opens_on)
        WHERE p.id = %(poll)s AND p.state = 'open'
          AND EXISTS (SELECT 1 FROM congress_attendance a WHERE a.congress_id = c.id AND a.delegate_id = d.id)
          AND p.options @> %(marks)s
          AND ((p.seats IS NULL AND %(single)s) OR (p.seats IS NOT NULL AND %(n)s <= p.seats))
        LIMIT 1
        FOR SHARE OF p
    ), t AS (
        INSERT INTO congress_turnout (poll_id, delegate_id)
        SELECT poll_id, delegate_id FROM v
        RETURNING poll_id
    ), b AS (
        INSERT INTO congress_ballot (receipt, poll_id, choices, delegate_id)
        SELECT %(receipt)s, v.poll_id, %(marks)s, CASE WHEN v.kind = 'named' THEN v.delegate_id END
        FROM v JOIN t ON t.poll_id = v.poll_id
        RETURNING poll_id
    )
    INSERT INTO {AuditEvent._meta.db_table} ({_AUDIT_COLUMNS})
    SELECT v.org_id, %(actor)s, %(at)s, %(action)s, %(object_type)s, v.poll_id::text, left(v.title, 200),
           jsonb_build_object('delegate', v.delegate_id)
           || CASE WHEN v.kind = 'named' THEN jsonb_build_object('choices', %(marks)s) ELSE '{{}}'::jsonb END
    FROM v JOIN b ON b.poll_id = v.poll_id
"""


def _ballot_context(poll_id: int, member_id: int | None) -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(_CONTEXT_SQL, [member_id, poll_id])
        row = cursor.fetchone()
    if row is None:
        return None
    options = json.loads(row[3]) if isinstance(row[3], str) else row[3]
    poll = Poll(
        pk=poll_id, org_id=row[0], state=row[1], kind=row[2], options=options, seats=row[4], title=row[5]
    )
    return {
        "poll": poll,
        "delegate_id": row[6],
        "formal": row[7] == Delegate.Kind.FORMAL,
        "present": bool(row[8]),
    }


def _validate_choice(poll: Poll, choice) -> list[str]:
    if poll.is_election:
        marks = choice if isinstance(choice, list) else [choice] if isinstance(choice, str) else None
        if marks is None or not rules.valid_election_marks(marks, poll.options, poll.seats):
            raise InvalidInput(
                {"choice": f"请在候选人中选择，最多 {poll.seats} 名，不能重复。"},
                "选票无效，请重新填写。",
            )
        return marks
    if choice not in poll.options:
        raise InvalidInput({"choice": f"请选择：{'、'.join(poll.options)}。"}, "选票无效，请重新填写。")
    return [choice]


def cast_ballot(*, user, poll_id: int, choice, check_org=None) -> str:
    """Record the caller's ballot in poll `poll_id` and return its receipt. The caller must be a
    formal delegate of the session who has checked in. A failure writes nothing and says so.

    `check_org(org_id)` runs before any refusal, so that an outsider learns nothing about another
    org's poll (the API and the pages pass their 404 check there)."""
    member_id = getattr(user, "member_id", None)
    receipt = new_receipt()
    try:
        if connection.vendor == "postgresql" and (marks := _marks(choice)) is not None:
            if _write_ballot_postgresql(user, member_id, poll_id, choice, marks, receipt):
                return receipt
            # Nothing written: say why (or, if all now holds, that it was not recorded).
            _refuse(_ballot_context(poll_id, member_id), choice, check_org)
            raise NotRecorded()
        context = _ballot_context(poll_id, member_id)
        poll, choices = _refuse(context, choice, check_org)
        if not _write_ballot(user, context, poll, choices, receipt):
            raise Conflict("poll_not_open", _not_open_message(poll))
    except IntegrityError as e:
        if _constraint_of(e) == "turnout_one_ballot":
            raise Conflict("already_voted", "您已经投过票，每位代表只能投一次。") from None
        # A receipt that collides (1 in 10^15): rolled back; the voter is told and votes again.
        raise NotRecorded() from None
    except OperationalError:
        # A lock that outlasted the timeout: rolled back, nothing stored.
        raise NotRecorded() from None
    return receipt


def _marks(choice) -> list[str] | None:
    """The marks of a well-formed choice (a string, or a list of distinct strings); None otherwise."""
    if isinstance(choice, str):
        return [choice]
    if (
        isinstance(choice, list)
        and all(isinstance(m, str) for m in choice)
        and len(set(choice)) == len(choice)
    ):
        return choice
    return None


def _not_open_message(poll: Poll) -> str:
    return "该表决未在进行中，不能投票。" if poll.state == "draft" else "该表决已结束，不能投票。"


def _refuse(context: dict | None, choice, check_org) -> tuple[Poll, list[str]]:
    """Raise what stops this ballot — no such poll (404), not a voting delegate or not checked in
    (403, after the caller's org check), an invalid choice (400), the poll not open (409) — or
    return the poll and the validated marks."""
    if context is None:
        raise Http404("没有找到该表决。")
    poll = context["poll"]
    if not (context["delegate_id"] and context["formal"] and context["present"]):
        if check_org is not None:
            check_org(poll.org_id)
        if not (context["delegate_id"] and context["formal"]):
            raise PermissionDenied("您不是本次会议有表决权的正式代表，不能投票。")
        raise PermissionDenied("您尚未签到，签到后才能投票。")
    choices = _validate_choice(poll, choice)
    if poll.state != Poll.State.OPEN:
        raise Conflict("poll_not_open", _not_open_message(poll))
    return poll, choices


def _constraint_of(error: IntegrityError) -> str:
    """The name of the constraint an insert broke (PostgreSQL names it; SQLite names the columns)."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None and diag.constraint_name:
        return diag.constraint_name
    return "turnout_one_ballot" if "congress_turnout" in str(cause) else ""


def _write_ballot(user, context: dict, poll: Poll, choices: list[str], receipt: str) -> bool:
    """SQLite: one IMMEDIATE transaction of three inserts (the writers queue one after another)."""
    delegate_id = context["delegate_id"]
    named = poll.kind == Poll.Kind.NAMED
    trail = audit.row(
        actor=user,
        org=poll.org_id,
        action="congress.poll.vote",
        obj=poll,
        object_repr=poll.title,
        # Who voted is public (the turnout); what a secret voter chose is never written next to it.
        changes={"delegate": delegate_id, **({"choices": choices} if named else {})},
    )
    now = timezone.now()
    values = [
        AuditEvent._meta.get_field(name).get_db_prep_save(now if name == "at" else trail[name], connection)
        for name in _AUDIT_FIELDS
    ]
    ballot = [
        receipt,
        poll.pk,
        _CHOICES.get_db_prep_save(choices, connection),
        delegate_id if named else None,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_TURNOUT_SQL, [delegate_id, poll.pk])
        if cursor.rowcount != 1:
            return False
        cursor.execute(_BALLOT_SQL, ballot)
        cursor.execute(_AUDIT_SQL, values)
    return True


def _write_ballot_postgresql(user, member_id, poll_id: int, choice, marks: list[str], receipt: str) -> bool:
    trail = audit.row(actor=user, org=None, action="congress.poll.vote")
    params = {
        "member": member_id,
        "poll": poll_id,
        "marks": _CHOICES.get_db_prep_save(marks, connection),
        "single": isinstance(choice, str),
        "n": len(marks),
        "receipt": receipt,
        "actor": trail["actor_id"],
        "at": timezone.now(),
        "action": trail["action"],
        "object_type": Poll._meta.label_lower,
    }
    # Inside a caller's transaction, a savepoint keeps that transaction usable after a refusal.
    savepoint = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with savepoint, prepared_cursor() as cursor:
        cursor.execute(_PG_BALLOT_SQL, params)
        return cursor.rowcount == 1


# ---- counting -----------------------------------------------------------------------------------------------------


def count(poll: Poll) -> dict:
    """The counts from the stored ballots: every option (or candidate) with its number of marks."""
    counter = Counter()
    for choices in Ballot.objects.filter(poll=poll).values_list("choices", flat=True):
        counter.update(choices)
    return {option: counter.get(option, 0) for option in poll.options}


def tally(
    poll: Poll, *, total: int | None = None, present: int | None = None, base: str | None = None
) -> dict:
    """The result of a poll from its stored ballots (and the snapshot, once closed)."""
    congress = poll.congress
    if total is None:
        total = poll.total_delegates if poll.total_delegates is not None else voters(congress).count()
    if present is None:
        present = poll.present if poll.present is not None else present_voters(congress).count()
    base = base or poll.majority_base or value_for(poll.org, "congress.majority_base")
    quorum = value_for(poll.org, "congress.quorum")
    rows = list(Ballot.objects.filter(poll=poll).values_list("receipt", "choices", "delegate__member__name"))
    counter = Counter()
    for _, choices, _ in rows:
        counter.update(choices)
    counts = {option: counter.get(option, 0) for option in poll.options}
    base_count = rules.majority_base_count(base, total, present)
    result = {
        "state": poll.state,
        "title": poll.title,
        "kind": poll.kind,
        "total_delegates": total,
        "present": present,
        "cast": len(rows),
        "counts": counts,
        "quorum_met": rules.quorum_met(present, total, quorum),
        "majority_base": base,
        "conforms": rules.base_conforms(base),
        "yes_needed": rules.yes_needed(base_count),
        "receipts": sorted(
            ({"receipt": r, "choice": "、".join(c), "choices": c} for r, c, _ in rows),
            key=lambda x: x["receipt"],
        ),
    }
    if poll.kind == Poll.Kind.NAMED:
        result["votes"] = sorted(({"delegate": name, "choice": "、".join(c)} for _, c, name in rows), key=str)
    if poll.is_election:
        attendance_min = value_for(poll.org, "election.attendance_min")
        attendance_ok = rules.quorum_met(present, total, attendance_min)
        outcome = rules.election_outcome(counts, poll.seats, base_count)
        result.update(
            seats=poll.seats,
            attendance_ok=attendance_ok,
            elected=outcome.elected if attendance_ok else [],
            runoff=outcome.runoff if attendance_ok else [],
            vacant=outcome.vacant if attendance_ok else poll.seats,
            passed=attendance_ok and bool(outcome.elected),
        )
    else:
        result["passed"] = result["quorum_met"] and rules.passes(counts.get(rules.YES, 0), base_count)
    return result


@transaction.atomic
def close_poll(*, actor, poll: Poll) -> dict:
    """Stop voting, keep the snapshot of entitled and present delegates, count, publish receipts."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.state != Poll.State.OPEN:
        raise Conflict("poll_not_open", "该表决不在进行中，不能结束。")
    poll.state = Poll.State.CLOSED
    poll.closed_at = timezone.now()
    poll.total_delegates = voters(poll.congress).count()
    poll.present = present_voters(poll.congress).count()
    poll.majority_base = value_for(poll.org, "congress.majority_base")
    poll.result = {**tally(poll), "closed_at": poll.closed_at.isoformat()}
    poll.save(update_fields=["state", "closed_at", "total_delegates", "present", "majority_base", "result"])
    audit.record(
        actor=actor,
        org=poll.org,
        action="congress.poll.close",
        obj=poll,
        changes={
            "state": ["open", "closed"],
            "cast": poll.result["cast"],
            "counts": poll.result["counts"],
            "passed": poll.result["passed"],
        },
    )
    return poll.result


def kept_result(poll: Poll) -> dict:
    """The result kept at close, its counts in the order of the options: PostgreSQL's jsonb keeps
    keys in its own order, and a paper must read 赞成 · 反对 · 弃权 (or the candidates as listed)."""
    kept = dict(poll.result or {})
    if "counts" in kept:
        counts = kept["counts"]
        kept["counts"] = {o: counts[o] for o in poll.options if o in counts} | counts
    return kept


def result(poll: Poll) -> dict:
    """What may be shown: the kept result once closed; while voting, how many have voted and no counts."""
    if poll.state == Poll.State.CLOSED and poll.result:
        return kept_result(poll)
    status = quorum_status(poll.congress)
    return {
        "state": poll.state,
        "title": poll.title,
        "kind": poll.kind,
        "total_delegates": status.total,
        "present": status.present,
        "cast": poll.turnout.count(),
        "counts": {},
        "quorum_met": status.met,
        "passed": None,
        "majority_base": value_for(poll.org, "congress.majority_base"),
        "conforms": rules.base_conforms(value_for(poll.org, "congress.majority_base")),
        "yes_needed": rules.yes_needed(
            rules.majority_base_count(
                value_for(poll.org, "congress.majority_base"), status.total, status.present
            )
        ),
        "receipts": [],
    }


def recount(poll: Poll) -> tuple[dict, list[str]]:
    """Count a closed poll again from its stored ballots; the differences from the kept result."""
    if poll.state != Poll.State.CLOSED:
        raise Conflict("poll_not_closed", "表决结束后才能复核计票。")
    fresh = tally(poll)
    kept = poll.result or {}
    differences = [
        f"{key}: 保存的结果为 {kept.get(key)!r}，复核为 {fresh[key]!r}"
        for key in ("cast", "counts", "passed", "elected")
        if key in fresh and kept.get(key) != fresh[key]
    ]
    turnout = poll.turnout.count()
    if turnout != fresh["cast"]:
        differences.append(f"投票人数 {turnout} 与选票数 {fresh['cast']} 不一致")
    return fresh, differences


def receipt_lookup(poll: Poll, receipt: str) -> dict | None:
    """A voter checks their own ballot by its receipt (after the close)."""
    if poll.state != Poll.State.CLOSED:
        return None
    ballot = Ballot.objects.filter(poll=poll, receipt=receipt.strip().upper()).first()
    return {"receipt": ballot.receipt, "choices": ballot.choices} if ballot else None


def has_voted(poll: Poll, delegate) -> bool:
    return Turnout.objects.filter(poll=poll, delegate=delegate).exists()
