"""Secret ballots stored in plaintext by earlier releases are removed; their results are kept.

Before this release a secret ballot was a row of plaintext choices written in the voter's own
transaction, which a reader of the database files could join to the voter (PostgreSQL's xmin,
SQLite's WAL order). From now on a secret ballot is stored only encrypted under the 监票人's
joint key (SealedBallot). For the ballots already stored:

- a closed secret poll keeps its result (counts, passed, elected…); the list that published each
  receipt next to its choice is emptied, and its plaintext ballots are deleted;
- a secret poll still open (or with ballots) at the upgrade is closed with the count of its
  plaintext ballots by the national rules (quorum 2/3, more than half of all delegates), marked
  `legacy_open` — hold the vote again if the school's own rules differ;
- 民主评议 likewise: closed ones keep their result; open ones are closed with their count; the
  plaintext table is dropped.

The delete lifts the append-only triggers of congress_ballot for its own duration only. On
SQLite, `secure_delete` overwrites the deleted cells with zeros; run `VACUUM` afterwards to drop
the freed pages and the WAL (the README's upgrade notes say so). On PostgreSQL the dead rows stay
in the table's files until vacuumed: run `VACUUM FULL congress_ballot` after the upgrade.
Named ballots (public by nature) are untouched; a closed named poll's published receipts keep
their numbers only (its choices are in its public list of votes).
"""

from collections import Counter

from django.db import migrations

from jiaogong.congress import rules
from jiaogong.core import append_only

LEGACY_NOTE = "升级前的无记名投票：逐张明文选票已删除，只保留票数。"


def _seats(apps, congress):
    Delegate = apps.get_model("congress", "Delegate")
    Attendance = apps.get_model("congress", "Attendance")
    seats = Delegate.objects.filter(term_id=congress.term_id, kind="formal", elected_on__lte=congress.opens_on)
    seats = [d for d in seats if d.until is None or d.until > congress.opens_on]
    present = set(Attendance.objects.filter(congress=congress).values_list("delegate_id", flat=True))
    return len(seats), sum(1 for d in seats if d.pk in present)


def _legacy_poll_result(apps, poll, ballots) -> dict:
    total, present = _seats(apps, poll.congress)
    counter = Counter()
    for choices in ballots:
        counter.update(choices)
    counts = {o: counter.get(o, 0) for o in poll.options}
    base_count = rules.majority_base_count("total", total, present)
    result = {
        "state": "closed",
        "title": poll.title,
        "kind": poll.kind,
        "total_delegates": total,
        "present": present,
        "cast": len(ballots),
        "counts": counts,
        "quorum_met": rules.quorum_met(present, total),
        "majority_base": "total",
        "conforms": True,
        "yes_needed": rules.yes_needed(base_count),
        "receipts": [],
        "legacy": LEGACY_NOTE,
        "legacy_open": True,
    }
    if poll.seats is not None:
        outcome = rules.election_outcome(counts, poll.seats, base_count)
        ok = rules.quorum_met(present, total)
        result.update(
            seats=poll.seats,
            attendance_ok=ok,
            elected=outcome.elected if ok else [],
            runoff=outcome.runoff if ok else [],
            vacant=outcome.vacant if ok else poll.seats,
            passed=ok and bool(outcome.elected),
        )
    else:
        result["passed"] = result["quorum_met"] and rules.passes(counts.get(rules.YES, 0), base_count)
    return result


def _legacy_appraisal_result(apps, appraisal, ballots, eligible) -> dict:
    Subject = apps.get_model("congress", "AppraisalSubject")
    subjects = []
    for subject in Subject.objects.filter(appraisal=appraisal).order_by("id"):
        outcome = rules.appraise_subject([b.get(str(subject.pk)) for b in ballots], appraisal.scale)
        good = outcome.good_rate
        subjects.append(
            {
                "id": subject.pk,
                "name": subject.name,
                "position": subject.position,
                "counts": outcome.counts,
                "percentages": outcome.percentages,
                "good_rate": rules.percent(good.numerator, good.denominator) if good is not None else None,
                "flags": outcome.flags,
                "strengths": subject.strengths,
                "weaknesses": subject.weaknesses,
            }
        )
    return {
        "eligible": eligible,
        "valid": len(ballots),
        "participation_pct": rules.percent(len(ballots), eligible),
        "participation_ok": rules.appraisal_participation_ok(len(ballots), eligible),
        "scale": appraisal.scale,
        "subjects": subjects,
        "receipts": [],
        "legacy": LEGACY_NOTE,
        "legacy_open": True,
    }


def remove_plaintext_secret_ballots(apps, schema_editor):
    connection = schema_editor.connection
    Poll = apps.get_model("congress", "Poll")
    Ballot = apps.get_model("congress", "Ballot")
    Appraisal = apps.get_model("congress", "Appraisal")
    AppraisalBallot = apps.get_model("congress", "AppraisalBallot")

    for poll in Poll.objects.filter(kind="secret").select_related("congress"):
        ballots = list(Ballot.objects.filter(poll=poll, delegate__isnull=True).values_list("choices", flat=True))
        if poll.state == "closed" and poll.result:
            poll.result = {**poll.result, "receipts": [], "legacy": LEGACY_NOTE}
        elif poll.state == "open" or ballots:
            poll.result = _legacy_poll_result(apps, poll, ballots)
            poll.state = "closed"
        else:
            continue
        poll.save(update_fields=["result", "state"])

    # A named poll's receipts were published with their choices too (they are public anyway, in
    # the list of votes): the list keeps the receipt numbers, as the API now gives them.
    for poll in Poll.objects.filter(kind="named", state="closed", result__isnull=False):
        receipts = poll.result.get("receipts") or []
        if any(isinstance(r, dict) for r in receipts):
            poll.result = {**poll.result, "receipts": sorted(r["receipt"] if isinstance(r, dict) else r for r in receipts)}
            poll.save(update_fields=["result"])

    for appraisal in Appraisal.objects.select_related("congress"):
        ballots = list(AppraisalBallot.objects.filter(appraisal=appraisal).values_list("ratings", flat=True))
        if appraisal.state == "closed" and appraisal.result:
            appraisal.result = {**appraisal.result, "receipts": [], "legacy": LEGACY_NOTE}
        else:
            eligible, _ = _seats(apps, appraisal.congress)
            appraisal.eligible = eligible
            appraisal.result = _legacy_appraisal_result(apps, appraisal, ballots, eligible)
            appraisal.state = "closed"
        appraisal.save(update_fields=["result", "state", "eligible"])

    guarded = ["congress_ballot", "congress_appraisalballot"]
    if connection.vendor == "sqlite":
        drop, create = append_only.sqlite_drop(guarded), append_only.sqlite_create(["congress_ballot"])
        schema_editor.execute("PRAGMA secure_delete = ON", None)
    else:
        drop = [f'DROP TRIGGER IF EXISTS "{t}_append_only" ON "{t}"' for t in guarded]
        create = append_only.postgres_create(["congress_ballot"])
    for sql in drop:
        schema_editor.execute(sql, None)
    Ballot.objects.filter(poll__kind="secret").delete()
    AppraisalBallot.objects.all().delete()
    for sql in create:
        schema_editor.execute(sql, None)


def without_rowid(apps, schema_editor):
    """The sealed ballots, like migration 0002's ballots: on SQLite no rowid numbers them in the
    order they came (they are stored in the order of their trackers)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    for table in ("congress_sealedballot", "congress_sealedappraisalballot"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            (create,) = cursor.fetchone()
            if create.rstrip().upper().endswith("WITHOUT ROWID"):
                continue
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL", [table]
            )
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            assert cursor.fetchone()[0] == 0, f"{table} is new and empty"
            cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute(create + " WITHOUT ROWID")
            for sql in indexes:
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("congress", "0004_sealed_ballots_scrutineers_and_partial_decryptions")]

    operations = [
        migrations.RunPython(remove_plaintext_secret_ballots, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="AppraisalBallot"),
        migrations.RunPython(without_rowid, migrations.RunPython.noop, elidable=False),
        append_only.operation(
            "congress_sealedballot", "congress_sealedappraisalballot", "congress_partialdecryption"
        ),
    ]
