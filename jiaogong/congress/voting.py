"""Polls and elections of a session: open on quorum, one ballot per present delegate, count at close.

The evidence lives in the schema:
- Turnout (poll, delegate) is unique: the database, not Python, refuses a second ballot;
- a secret ballot is a SealedBallot: per option a ciphertext under the 监票人's joint key with
  its proofs, verified before it is written (crypto.py, scrutiny.py). It is written in the same
  transaction as the turnout row — so a ballot is never counted without its voter being marked,
  nor the other way round — and whoever reads the database can join the two (PostgreSQL's xmin,
  SQLite's WAL order): that is why it is unreadable alone. At close the ballots are summed; the
  监票人 decrypt the sums, never a ballot;
- a named ballot is public evidence and stays plaintext with its delegate;
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

from jiaogong.congress import crypto, rules, scrutiny, verify
from jiaogong.congress.models import (
    AgendaItem,
    Ballot,
    Congress,
    Delegate,
    Poll,
    SealedBallot,
    Turnout,
    new_receipt,
)
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


def descriptor_for(poll: Poll, key: str) -> dict:
    """A secret poll's public descriptor: one question whose options are the motion's choices or
    the candidates, marked exactly once (a motion) or 0…seats times (an election)."""
    low, high = (0, poll.seats) if poll.is_election else (1, 1)
    return crypto.make_descriptor(
        election=f"poll:{poll.org_id}:{poll.pk}",
        questions=[{"options": poll.options, "min": low, "max": high}],
        public_key=key,
    )


@transaction.atomic
def open_poll(*, actor, poll: Poll) -> Poll:
    """Voting starts only when the quorum is present; a secret poll also needs the 监票人's joint
    key, which its descriptor fixes for good."""
    poll = Poll.objects.select_for_update().select_related("congress", "org").get(pk=poll.pk)
    if poll.state != Poll.State.DRAFT:
        raise Conflict("poll_not_draft", f"该表决{poll.get_state_display()}，不能再次开始。")
    status = quorum_status(poll.congress)
    if not status.met:
        raise DomainError(
            "quorum_not_met",
            f"出席代表 {status.present} 人，未达到法定人数 {status.needed} 人（代表总数 {status.total} 人的三分之二），不能开始表决。",
            extra={"total": status.total, "present": status.present, "needed": status.needed},
        )
    fields = ["state", "opened_at"]
    if poll.kind == Poll.Kind.SECRET:
        # The key may not change under an open poll: the session row is locked with it.
        congress = Congress.objects.select_for_update().get(pk=poll.congress_id)
        poll.descriptor = descriptor_for(poll, scrutiny.require_joint_key(congress))
        fields.append("descriptor")
    poll.state = Poll.State.OPEN
    poll.opened_at = timezone.now()
    poll.save(update_fields=fields)
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
# so it runs a fixed, small set of statements. A secret ballot's proofs are checked first, outside
# any transaction (they need only the poll's descriptor, fixed at open and cached per process).
# SQLite (in-process, where a query costs microseconds): one query for the poll with the caller's
# seat and check-in, then one transaction of three inserts — the turnout row (written only while
# the poll is open), the ballot, the audit row. PostgreSQL (where each round trip counts): one
# prepared statement that checks all of it and writes the three rows; only when it wrote nothing
# does the context query run, to say why.
#
# Whatever is written in the voter's transaction can be joined to the voter by someone reading the
# database files (PostgreSQL's xmin and heap order, SQLite's WAL frames): the secret ballot
# written there is ciphertext only, so the join tells them nothing.

_CONTEXT_SQL = """
    SELECT p.org_id, p.state, p.kind, p.options, p.seats, p.title, d.id, d.kind,
           EXISTS (SELECT 1 FROM congress_attendance a WHERE a.congress_id = c.id AND a.delegate_id = d.id),
           p.descriptor,
           EXISTS (SELECT 1 FROM congress_turnout t WHERE t.poll_id = p.id AND t.delegate_id = d.id)
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
_SEALED_SQL = "INSERT INTO congress_sealedballot (tracker, poll_id, body) VALUES (%s, %s, %s)"
_CHOICES = Ballot._meta.get_field("choices")
_BODY = SealedBallot._meta.get_field("body")
_AUDIT_FIELDS = ["org_id", "actor_id", "at", "action", "object_type", "object_id", "object_repr", "changes"]
_AUDIT_COLUMNS = ", ".join(AuditEvent._meta.get_field(name).column for name in _AUDIT_FIELDS)
_AUDIT_SQL = (
    f"INSERT INTO {AuditEvent._meta.db_table} ({_AUDIT_COLUMNS})"
    f" VALUES ({', '.join(['%s'] * len(_AUDIT_FIELDS))})"
)


def _pg_statement(ballot_insert: str, kind_condition: str, audit_changes: str) -> str:
    """PostgreSQL: the whole ballot in one statement — one transaction and one round trip. `v`
    checks everything the context query would (the poll open and of this kind, the caller a
    formal delegate of the session who has checked in, and for a named ballot the marks among the
    options and within the seats) under a share lock on the poll; each insert feeds the next, so
    nothing is written unless all of it holds. When nothing is written, cast_ballot asks the
    context query why."""
    return f"""
    WITH v AS (
        SELECT p.id AS poll_id, d.id AS delegate_id, p.org_id, p.title
        FROM congress_poll p
        JOIN congress_congress c ON c.id = p.congress_id
        JOIN congress_delegate d ON d.term_id = c.term_id AND d.member_id = %(member)s
             AND d.kind = 'formal' AND d.elected_on <= c.opens_on
             AND (d.until IS NULL OR d.until > c.opens_on)
        WHERE p.id = %(poll)s AND p.state = 'open' AND {kind_condition}
          AND EXISTS (SELECT 1 FROM congress_attendance a WHERE a.congress_id = c.id AND a.delegate_id = d.id)
        LIMIT 1
        FOR SHARE OF p
    ), t AS (
        INSERT INTO congress_turnout (poll_id, delegate_id)
        SELECT poll_id, delegate_id FROM v
        RETURNING poll_id
    ), b AS (
        {ballot_insert}
        FROM v JOIN t ON t.poll_id = v.poll_id
        RETURNING poll_id
    )
    INSERT INTO {AuditEvent._meta.db_table} ({_AUDIT_COLUMNS})
    SELECT v.org_id, %(actor)s, %(at)s, %(action)s, %(object_type)s, v.poll_id::text, left(v.title, 200),
           {audit_changes}
    FROM v JOIN b ON b.poll_id = v.poll_id
"""


_PG_NAMED_SQL = _pg_statement(
    "INSERT INTO congress_ballot (receipt, poll_id, choices, delegate_id)"
    " SELECT %(receipt)s, v.poll_id, %(marks)s, v.delegate_id",
    "p.kind = 'named' AND p.options @> %(marks)s"
    " AND ((p.seats IS NULL AND %(single)s) OR (p.seats IS NOT NULL AND %(n)s <= p.seats))",
    "jsonb_build_object('delegate', v.delegate_id, 'choices', %(marks)s)",
)
# Who voted is public (the turnout); a secret ballot's audit row names the voter and nothing else.
_PG_SECRET_SQL = _pg_statement(
    "INSERT INTO congress_sealedballot (tracker, poll_id, body) SELECT %(tracker)s, v.poll_id, %(body)s",
    "p.kind = 'secret'",
    "jsonb_build_object('delegate', v.delegate_id)",
)


def _ballot_context(poll_id: int, member_id: int | None) -> dict | None:
    # Prepared on PostgreSQL: every secret ballot runs it, and planning it cost more than running it.
    with prepared_cursor() as cursor:
        cursor.execute(_CONTEXT_SQL, [member_id, poll_id])
        row = cursor.fetchone()
    if row is None:
        return None
    options = json.loads(row[3]) if isinstance(row[3], str) else row[3]
    descriptor = json.loads(row[9]) if isinstance(row[9], str) else row[9]
    poll = Poll(
        pk=poll_id, org_id=row[0], state=row[1], kind=row[2], options=options, seats=row[4], title=row[5]
    )
    return {
        "poll": poll,
        "delegate_id": row[6],
        "formal": row[7] == Delegate.Kind.FORMAL,
        "present": bool(row[8]),
        "descriptor": descriptor,
        "voted": bool(row[10]),
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


def cast_ballot(*, user, poll_id: int, choice=None, encrypted=None, check_org=None) -> str:
    """Record the caller's ballot in poll `poll_id`. The caller must be a formal delegate of the
    session who has checked in. A failure writes nothing and says so.

    A secret poll takes the ballot encrypted by the voter's phone (`encrypted`, verified here in
    full) or, from an API client, a plaintext `choice` that is encrypted at once and never stored
    or logged; it returns the ballot's tracker. A named poll takes `choice` and returns a receipt.

    `check_org(org_id)` runs before any refusal, so that an outsider learns nothing about another
    org's poll (the API and the pages pass their 404 check there)."""
    member_id = getattr(user, "member_id", None)
    if (choice is None) == (encrypted is None):
        raise InvalidInput({"choice": "请提交一张选票：choice（选项）或 encrypted（加密选票）之一。"})
    try:
        if connection.vendor == "postgresql" and encrypted is None and (marks := _marks(choice)) is not None:
            # A named ballot (or a plaintext secret one) first tries the one-statement path.
            receipt = new_receipt()
            if _write_named_postgresql(user, member_id, poll_id, choice, marks, receipt):
                return receipt
        context = _ballot_context(poll_id, member_id)
        if context is not None and context["poll"].kind == Poll.Kind.SECRET:
            return _cast_sealed(user, member_id, context, choice, encrypted, check_org)
        if encrypted is not None:
            _refuse(context, None, check_org, validate=False)
            raise InvalidInput({"encrypted": "记名表决不加密，请提交 choice。"})
        poll, choices = _refuse(context, choice, check_org)
        if connection.vendor == "postgresql":
            raise NotRecorded()  # all holds now, yet the statement wrote nothing: vote again
        receipt = new_receipt()
        named = [receipt, poll.pk, _CHOICES.get_db_prep_save(choices, connection), context["delegate_id"]]
        if not _write_ballot(user, context, poll, _BALLOT_SQL, named, {"choices": choices}):
            raise Conflict("poll_not_open", _not_open_message(poll))
        return receipt
    except IntegrityError as e:
        constraint = _constraint_of(e)
        if constraint == "turnout_one_ballot":
            raise Conflict("already_voted", "您已经投过票，每位代表只能投一次。") from None
        if constraint == "sealed_ballot_tracker":
            raise scrutiny.BallotRefused("这张加密选票已经投入过（重复提交的密文）。") from None
        # A receipt that collides (1 in 10^15): rolled back; the voter is told and votes again.
        raise NotRecorded() from None
    except OperationalError:
        # A lock that outlasted the timeout: rolled back, nothing stored.
        raise NotRecorded() from None


def _cast_sealed(user, member_id, context: dict, choice, encrypted, check_org) -> str:
    """A secret ballot: every refusal that needs no cryptography first (an outsider, a non-voter,
    a second ballot, a closed poll: nobody makes the server check proofs for nothing), then the
    ballot — the phone's verified, or the API client's plaintext encrypted here, the plaintext
    going no further than this function — then its row with the turnout and the audit row."""
    poll, _ = _refuse(context, None, check_org, validate=False)
    if context["voted"]:
        raise Conflict("already_voted", "您已经投过票，每位代表只能投一次。")
    descriptor = context["descriptor"]
    if encrypted is not None:
        body, tracker = scrutiny.check_sealed(descriptor, encrypted)
    else:
        marks = _validate_choice(poll, choice)
        body = scrutiny.seal(descriptor, [[int(o in marks) for o in poll.options]])
        tracker = crypto.tracker(descriptor, body)
    if connection.vendor == "postgresql":
        if _write_sealed_postgresql(user, member_id, poll.pk, tracker, body):
            return tracker
        # Nothing written: the state moved under us (closed, or a ballot of this delegate landed).
        context = _ballot_context(poll.pk, member_id)
        _refuse(context, None, check_org, validate=False)
        if context["voted"]:
            raise Conflict("already_voted", "您已经投过票，每位代表只能投一次。")
        raise NotRecorded()
    sealed = [tracker, poll.pk, _BODY.get_db_prep_save(body, connection)]
    if not _write_ballot(user, context, poll, _SEALED_SQL, sealed, {}):
        raise Conflict("poll_not_open", _not_open_message(poll))
    return tracker


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


def _refuse(context: dict | None, choice, check_org, *, validate: bool = True) -> tuple[Poll, list[str]]:
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
    choices = _validate_choice(poll, choice) if validate else []
    if poll.state != Poll.State.OPEN:
        raise Conflict("poll_not_open", _not_open_message(poll))
    return poll, choices


def _constraint_of(error: IntegrityError) -> str:
    """The name of the constraint an insert broke (PostgreSQL names it; SQLite names the columns)."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None and diag.constraint_name:
        name = diag.constraint_name
        return "sealed_ballot_tracker" if name == "congress_sealedballot_pkey" else name
    text = str(cause)
    if "congress_turnout" in text:
        return "turnout_one_ballot"
    if "congress_sealedballot" in text:
        return "sealed_ballot_tracker"
    return ""


def _write_ballot(user, context: dict, poll: Poll, ballot_sql: str, ballot: list, audit_extra: dict) -> bool:
    """SQLite: one IMMEDIATE transaction of three inserts (the writers queue one after another)."""
    delegate_id = context["delegate_id"]
    trail = audit.row(
        actor=user,
        org=poll.org_id,
        action="congress.poll.vote",
        obj=poll,
        object_repr=poll.title,
        # Who voted is public (the turnout); what a secret voter chose is never written next to it.
        changes={"delegate": delegate_id, **audit_extra},
    )
    now = timezone.now()
    values = [
        AuditEvent._meta.get_field(name).get_db_prep_save(now if name == "at" else trail[name], connection)
        for name in _AUDIT_FIELDS
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_TURNOUT_SQL, [delegate_id, poll.pk])
        if cursor.rowcount != 1:
            return False
        cursor.execute(ballot_sql, ballot)
        cursor.execute(_AUDIT_SQL, values)
    return True


def _pg_params(user, member_id, poll_id: int) -> dict:
    trail = audit.row(actor=user, org=None, action="congress.poll.vote")
    return {
        "member": member_id,
        "poll": poll_id,
        "actor": trail["actor_id"],
        "at": timezone.now(),
        "action": trail["action"],
        "object_type": Poll._meta.label_lower,
    }


def _run_pg(sql: str, params: dict) -> bool:
    # Inside a caller's transaction, a savepoint keeps that transaction usable after a refusal.
    savepoint = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with savepoint, prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def _write_named_postgresql(user, member_id, poll_id: int, choice, marks: list[str], receipt: str) -> bool:
    params = _pg_params(user, member_id, poll_id)
    params.update(
        marks=_CHOICES.get_db_prep_save(marks, connection),
        single=isinstance(choice, str),
        n=len(marks),
        receipt=receipt,
    )
    return _run_pg(_PG_NAMED_SQL, params)


def _write_sealed_postgresql(user, member_id, poll_id: int, tracker: str, body: dict) -> bool:
    params = _pg_params(user, member_id, poll_id)
    params.update(tracker=tracker, body=_BODY.get_db_prep_save(body, connection))
    return _run_pg(_PG_SECRET_SQL, params)


# ---- counting -----------------------------------------------------------------------------------------------------


def _named_counts(poll: Poll) -> tuple[dict, list]:
    rows = list(Ballot.objects.filter(poll=poll).values_list("receipt", "choices", "delegate__member__name"))
    counter = Counter()
    for _, choices, _ in rows:
        counter.update(choices)
    return {option: counter.get(option, 0) for option in poll.options}, rows


def count(poll: Poll) -> dict:
    """A named poll's counts from its stored ballots: every option (or candidate) with its marks.
    (A secret poll's counts exist only once the 监票人 have decrypted its tally.)"""
    return _named_counts(poll)[0]


def outcome(
    poll: Poll,
    counts: dict,
    cast: int,
    *,
    total: int | None = None,
    present: int | None = None,
    base: str | None = None,
) -> dict:
    """The result of a poll from its counts by the rules in force (and the snapshot, once closed)."""
    congress = poll.congress
    if total is None:
        total = poll.total_delegates if poll.total_delegates is not None else voters(congress).count()
    if present is None:
        present = poll.present if poll.present is not None else present_voters(congress).count()
    base = base or poll.majority_base or value_for(poll.org, "congress.majority_base")
    quorum = value_for(poll.org, "congress.quorum")
    base_count = rules.majority_base_count(base, total, present)
    result = {
        "state": poll.state,
        "title": poll.title,
        "kind": poll.kind,
        "total_delegates": total,
        "present": present,
        "cast": cast,
        "counts": counts,
        "quorum_met": rules.quorum_met(present, total, quorum),
        "majority_base": base,
        "conforms": rules.base_conforms(base),
        "yes_needed": rules.yes_needed(base_count),
        "receipts": [],
    }
    if poll.is_election:
        attendance_min = value_for(poll.org, "election.attendance_min")
        attendance_ok = rules.quorum_met(present, total, attendance_min)
        elected = rules.election_outcome(counts, poll.seats, base_count)
        result.update(
            seats=poll.seats,
            attendance_ok=attendance_ok,
            elected=elected.elected if attendance_ok else [],
            runoff=elected.runoff if attendance_ok else [],
            vacant=elected.vacant if attendance_ok else poll.seats,
            passed=attendance_ok and bool(elected.elected),
        )
    else:
        result["passed"] = result["quorum_met"] and rules.passes(counts.get(rules.YES, 0), base_count)
    return result


def tally(poll: Poll, **snapshot) -> dict:
    """A named poll's result from its stored ballots: its receipts and each delegate's vote are public."""
    counts, rows = _named_counts(poll)
    result = outcome(poll, counts, len(rows), **snapshot)
    result["receipts"] = sorted(r for r, _, _ in rows)
    result["votes"] = sorted(({"delegate": name, "choice": "、".join(c)} for _, c, name in rows), key=str)
    return result


def trackers(poll: Poll) -> list[str]:
    return list(SealedBallot.objects.filter(poll=poll).order_by("tracker").values_list("tracker", flat=True))


@transaction.atomic
def close_poll(*, actor, poll: Poll) -> dict:
    """Stop voting and keep the snapshot of entitled and present delegates. A named poll is counted
    at once; a secret poll's ballots are summed and wait for the 监票人 to decrypt the sums."""
    poll = Poll.objects.select_for_update().select_related("congress", "org").get(pk=poll.pk)
    if poll.state != Poll.State.OPEN:
        raise Conflict("poll_not_open", "该表决不在进行中，不能结束。")
    poll.closed_at = timezone.now()
    poll.total_delegates = voters(poll.congress).count()
    poll.present = present_voters(poll.congress).count()
    poll.majority_base = value_for(poll.org, "congress.majority_base")
    fields = ["state", "closed_at", "total_delegates", "present", "majority_base"]
    if poll.kind == Poll.Kind.SECRET:
        bodies = SealedBallot.objects.filter(poll=poll).values_list("body", flat=True).iterator()
        poll.encrypted_tally = scrutiny.encrypted_sum(poll.descriptor, bodies)
        poll.state = Poll.State.COUNTING
        fields.append("encrypted_tally")
        poll.save(update_fields=fields)
        cast = poll.sealed_ballots.count()
        audit.record(
            actor=actor,
            org=poll.org,
            action="congress.poll.close",
            obj=poll,
            changes={"state": ["open", "counting"], "cast": cast},
        )
        return result(poll)
    poll.state = Poll.State.CLOSED
    poll.result = {**tally(poll), "closed_at": poll.closed_at.isoformat()}
    fields.append("result")
    poll.save(update_fields=fields)
    _audit_result(actor, poll, "open")
    return poll.result


def _audit_result(actor, poll: Poll, before: str) -> None:
    audit.record(
        actor=actor,
        org=poll.org,
        action="congress.poll.close" if before == "open" else "congress.poll.decrypt",
        obj=poll,
        changes={
            "state": [before, "closed"],
            "cast": poll.result["cast"],
            "counts": poll.result["counts"],
            "passed": poll.result["passed"],
        },
    )


def _finish(poll: Poll, counts: list[list[int]], actor=None) -> None:
    """Every 监票人 has decrypted: the counts become the result by the rules, and the poll closes."""
    poll.state = Poll.State.CLOSED
    options_counts = dict(zip(poll.options, counts[0], strict=True))
    poll.result = {
        **outcome(poll, options_counts, poll.sealed_ballots.count()),
        "receipts": trackers(poll),
        "closed_at": poll.closed_at.isoformat(),
        "decrypted_at": timezone.now().isoformat(),
    }
    poll.save(update_fields=["state", "result"])
    _audit_result(actor, poll, "counting")


def submit_partial_decryption(*, user, poll: Poll, partial=None, proof=None, backup_code=None) -> Poll:
    """A 监票人's part of decrypting the poll's tally (scrutiny.submit_partial); the last one's
    closes the poll with its result."""
    scrutiny.submit_partial(
        user=user,
        target=poll,
        partial=partial,
        proof=proof,
        backup_code=backup_code,
        finish=lambda target, counts: _finish(target, counts, user),
    )
    poll.refresh_from_db()
    return poll


def kept_result(poll: Poll) -> dict:
    """The result kept at close, its counts in the order of the options: PostgreSQL's jsonb keeps
    keys in its own order, and a paper must read 赞成 · 反对 · 弃权 (or the candidates as listed)."""
    kept = dict(poll.result or {})
    if "counts" in kept:
        counts = kept["counts"]
        kept["counts"] = {o: counts[o] for o in poll.options if o in counts} | counts
    return kept


def result(poll: Poll) -> dict:
    """What may be shown: the kept result once closed; while voting or counting, how many have
    voted and no counts."""
    if poll.state == Poll.State.CLOSED and poll.result:
        return kept_result(poll)
    if poll.total_delegates is not None:  # counting: the snapshot taken at close
        total, present = poll.total_delegates, poll.present
        base = poll.majority_base
    else:
        status = quorum_status(poll.congress)
        total, present = status.total, status.present
        base = value_for(poll.org, "congress.majority_base")
    quorum = value_for(poll.org, "congress.quorum")
    return {
        "state": poll.state,
        "title": poll.title,
        "kind": poll.kind,
        "total_delegates": total,
        "present": present,
        "cast": poll.turnout.count(),
        "counts": {},
        "quorum_met": rules.quorum_met(present, total, quorum),
        "passed": None,
        "majority_base": base,
        "conforms": rules.base_conforms(base),
        "yes_needed": rules.yes_needed(rules.majority_base_count(base, total, present)),
        "receipts": [],
    }


def bulletin(poll: Poll) -> dict:
    """The public record of a secret poll (scrutiny.bulletin), with its decrypted counts once closed."""
    if poll.kind != Poll.Kind.SECRET:
        raise Conflict("not_secret", "记名表决没有加密公告板：每位代表的表决本身就是公开的。")
    decrypted = None
    if poll.state == Poll.State.CLOSED and poll.result:
        kept = kept_result(poll)
        decrypted = {
            "cast": kept["cast"],
            "counts": [[kept["counts"][o] for o in poll.options]],
            "outcome": {
                k: kept.get(k) for k in ("passed", "elected", "runoff", "vacant", "quorum_met") if k in kept
            },
        }
    return scrutiny.bulletin(poll, kind="poll", title=poll.title, result=decrypted)


def recount(poll: Poll) -> tuple[dict, list[str]]:
    """Count a closed poll again from its stored ballots; the differences from the kept result.
    A secret poll is checked as the verifier does: every proof, the sum, the decryption."""
    if poll.state != Poll.State.CLOSED:
        raise Conflict("poll_not_closed", "表决结束后才能复核计票。")
    kept = poll.result or {}
    if poll.kind == Poll.Kind.SECRET:
        report = verify.verify_bulletin(bulletin(poll))
        fresh = kept_result(poll)
        if report.counts is not None:
            fresh = {**fresh, "counts": dict(zip(poll.options, report.counts[0], strict=True))}
        return fresh, report.problems
    fresh = tally(poll)
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
    """A voter finds their ballot: a secret poll's tracker (on the bulletin from the moment it is
    cast; it says nothing of the choice), a named poll's receipt after the close."""
    text = "".join(ch for ch in (receipt or "").upper() if ch.isalnum())
    if poll.kind == Poll.Kind.SECRET:
        if len(text) < 8:
            return None
        found = list(SealedBallot.objects.filter(poll=poll, tracker__startswith=text)[:2])
        return {"tracker": found[0].tracker} if len(found) == 1 else None
    if poll.state != Poll.State.CLOSED:
        return None
    ballot = Ballot.objects.filter(poll=poll, receipt=text).first()
    return {"receipt": ballot.receipt, "choices": ballot.choices} if ballot else None


def has_voted(poll: Poll, delegate) -> bool:
    return Turnout.objects.filter(poll=poll, delegate=delegate).exists()


def not_voted(poll: Poll) -> int:
    """Present formal delegates who have not voted yet (the projector's 未投票 N)."""
    present = present_voters(poll.congress).count()
    return max(present - poll.turnout.count(), 0)
