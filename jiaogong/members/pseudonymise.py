"""Pseudonymisation of members who left (个人信息保护法 第十九条、第四十七条).

A member transferred out (调出) or deceased (去世) keeps their personal data for
`members.pseudonymise_after_years` years after leaving (national default 3, core/rules.py), then:

- the member row keeps its id, org, gender, status and dates of membership (the union's statistics
  and every foreign key stay as they were) but its name becomes "已离会会员 #<id>", and the ID
  number, phone, post and destination are cleared; the birth date keeps the year only (1 January of
  it: the column is required, and the year is what the old year-end figures counted);
- the notes of their status changes are cleared (the dated steps themselves remain: the evidence of
  the 会籍接转);
- the audit rows that carried the old name, ID number or phone (as the member's own history, or as
  text in another record's event: a dues payment, a 慰问) have those values replaced: by the
  pseudonym for the name, by "" for the numbers, the year for the birth date. Nothing else of a
  row changes (actor, time, action, object). The audit table is append-only evidence
  (core/append_only.py): the guard is lifted for that one table inside this transaction and put back
  before it commits, as the data migration 0002 does, so no other connection sees it unguarded;
- one audit row "members.member.pseudonymise" says who, when, which member (by id) and what was
  cleared, without the old values.

What keeps the name, by decision: the funds ledger (payee and memo of a dues payment or a 慰问).
The ledger is append-only accounting evidence that must be kept as written (会计档案管理办法: 会计
凭证 and 账簿 30 years), and its totals must not move; it is read only by the funds roles. Secret
ballots never carried a name; the congress's delegates, turnout and proposals point at the member
row, so their counts and results are unchanged and show the pseudonym.

`run_daily()` is the function a scheduler calls (`jiaogong.members.pseudonymise.run_daily`);
`manage.py pseudonymise_members` runs it by hand (`--dry-run` lists who is due).
"""

import datetime

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from jiaogong.core import append_only, audit
from jiaogong.core.models import AuditEvent, Org
from jiaogong.core.rules import value_for
from jiaogong.members import rules
from jiaogong.members.models import Member, MemberStatusChange

AUDIT_TABLE = "core_auditevent"
CLEARED_FIELDS = ["name", "id_number", "phone", "birth_date", "post", "transferred_to", "status_change_notes"]


def left_on(member: Member) -> datetime.date | None:
    """The day the member left: their status date, else the last step to 调出/去世 recorded."""
    if member.status_since:
        return member.status_since
    return (
        MemberStatusChange.objects.filter(member=member, to_status__in=rules.LEFT_STATUSES)
        .aggregate(d=Max("effective_on"))
        .get("d")
    )


def due(org, today: datetime.date) -> list[Member]:
    """The org's members due for pseudonymisation today (and not yet pseudonymised)."""
    years = value_for(org, "members.pseudonymise_after_years")
    out = []
    for m in Member.objects.filter(org=org, status__in=rules.LEFT_STATUSES):
        if m.name == rules.pseudonym(m.pk):
            continue
        if rules.pseudonymise_due(m.status, left_on(m), today, years):
            out.append(m)
    return out


class _AuditGuardLifted:
    """Lift the append-only guard of the audit table inside the current transaction."""

    def __enter__(self):
        if not connection.in_atomic_block:
            raise RuntimeError("the audit guard is lifted only inside a transaction")
        if connection.vendor == "sqlite":
            statements = append_only.sqlite_drop((AUDIT_TABLE,))
        else:
            statements = [f'DROP TRIGGER IF EXISTS "{AUDIT_TABLE}_append_only" ON "{AUDIT_TABLE}"']
        self._run(statements)

    def __exit__(self, *exc):
        create = append_only.sqlite_create if connection.vendor == "sqlite" else append_only.postgres_create
        self._run(create((AUDIT_TABLE,)))
        return False

    @staticmethod
    def _run(statements):
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _replace(value, replacements: dict[str, str]):
    if isinstance(value, str):
        for old, new in replacements.items():
            if old and old in value:
                value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, replacements) for k, v in value.items()}
    return value


def _scrub_member_event(changes: dict, year: int) -> dict:
    """The member's own history: every recorded personal value replaced, whatever it was."""
    out = dict(changes)
    for key in ("id_number", "phone", "post", "transferred_to", "destination", "note"):
        if key in out:
            out[key] = [None, ""] if isinstance(out[key], list) else ""
    if "birth_date" in out:
        pair = out["birth_date"]
        out["birth_date"] = [str(year) if v else v for v in pair] if isinstance(pair, list) else str(year)
    return out


def _scrub_audit(org, people: list[tuple[Member, dict[str, str]]]) -> int:
    """Rewrite the org's audit rows that carry the old values; the number of rows rewritten."""
    own = {str(m.pk): (m, repl) for m, repl in people}
    every = {}
    for _m, repl in people:
        every.update(repl)
    changed = []
    rows = AuditEvent.objects.filter(org=org).values_list(
        "pk", "object_type", "object_id", "object_repr", "changes"
    )
    for pk, object_type, object_id, object_repr, changes in rows.iterator(chunk_size=2000):
        new_changes = changes if isinstance(changes, dict) else {}
        if object_type == "members.member" and object_id in own:
            member, _ = own[object_id]
            new_changes = _scrub_member_event(new_changes, member.birth_date.year)
        new_changes = _replace(new_changes, every)
        new_repr = _replace(object_repr, every)
        if new_changes != changes or new_repr != object_repr:
            changed.append((pk, new_repr, new_changes))
    if changed:
        with _AuditGuardLifted():
            for pk, new_repr, new_changes in changed:
                AuditEvent.objects.filter(pk=pk).update(object_repr=new_repr, changes=new_changes)
    return len(changed)


@transaction.atomic
def pseudonymise(*, actor, org, members: list[Member]) -> int:
    """Pseudonymise these members of `org` (the caller decided they are due: `due`). Returns how
    many were pseudonymised. Audited, one row a member."""
    people = []
    for m in members:
        if m.org_id != org.pk or m.name == rules.pseudonym(m.pk):
            continue
        replacements = {m.name: rules.pseudonym(m.pk)}
        if m.id_number:  # (its mask, the region only, is shared by many: not replaced)
            replacements[m.id_number] = ""
        if m.phone:
            replacements[m.phone] = ""
            replacements[rules.mask_phone(m.phone)] = ""
        # Longest first: a name inside a longer text is replaced after the numbers that contain digits.
        replacements = dict(sorted(replacements.items(), key=lambda kv: -len(kv[0])))
        m.name = rules.pseudonym(m.pk)
        m.id_number = ""
        m.phone = ""
        m.birth_date = datetime.date(m.birth_date.year, 1, 1)
        m.post = ""
        m.transferred_to = ""
        m.save()
        MemberStatusChange.objects.filter(member=m).exclude(note="").update(note="")
        people.append((m, replacements))
    if not people:
        return 0
    rewritten = _scrub_audit(org, people)
    for m, _ in people:
        audit.record(
            actor=actor,
            org=org,
            action="members.member.pseudonymise",
            obj=m,
            changes={"fields": [None, CLEARED_FIELDS], "audit_rows": [None, rewritten]},
            object_repr=m.name,
        )
    return len(people)


def run_daily(today: datetime.date | None = None, *, dry_run: bool = False) -> dict[int, list[int]]:
    """Every school's members due today, pseudonymised (the scheduler's daily job). Returns
    {org id: [member ids]} of those due (and done unless `dry_run`)."""
    today = today or timezone.localdate()
    done = {}
    for org in Org.objects.filter(kind=Org.Kind.SCHOOL).order_by("pk"):
        members = due(org, today)
        if not members:
            continue
        done[org.pk] = [m.pk for m in members]
        if not dry_run:
            pseudonymise(actor=None, org=org, members=members)
    return done
