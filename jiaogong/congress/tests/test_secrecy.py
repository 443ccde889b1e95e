"""The database attacker: full read access to everything the server stores, and no vote learnt.

After a secret poll with known votes, the attacker reads every table; on PostgreSQL also each
row's xmin and ctid, on SQLite the database file and its WAL copied in the middle of the vote.
It links ballots to voters wherever it can (the ballot, the turnout and the audit row of one vote
are written in one transaction — the link is real, and the test shows it), then tries to read
each ballot: plaintext in or around it, and decryption with every key-sized value found anywhere
in what it holds. It must learn nothing. The same attack given the 监票人's joint secret (which
only their phones and backup codes hold) reads every vote — so the attack would see a leak.
"""

import json
import re
import struct

import pytest
from django.db import connection

from jiaogong.congress import crypto, voting
from jiaogong.congress.models import Poll, SealedAppraisalBallot, SealedBallot
from jiaogong.factories import SCRUTINEER_CODES, UserFactory, congress_with_delegates, delegate_user, grant

OPTIONS = ["赞成", "反对", "弃权"]
VOTES = [0, 1, 0, 2, 1, 0, 0, 1, 2, 0, 1, 0]  # the known vote of each of the 12 voters
HEX = re.compile(rb"[0-9a-f]{64}")
TRACKER = re.compile(rb"[A-Z2-7]{52}")
DELEGATE = re.compile(rb'"delegate": ?(\d+)')


def decrypts(a: bytes, b: bytes, x: bytes) -> int | None:
    """0 or 1 if x decrypts (A, B) to a mark; None if x is not the key."""
    try:
        m = crypto.sub(b, crypto.mul(x, a))
    except crypto.InvalidBallot:
        return None
    return 0 if m == crypto.IDENTITY else 1 if m == crypto.G else None


def read_ballot(body: dict, candidates: list[bytes]) -> int | None:
    """Every way the attacker has to read one stored ballot: plaintext, then every candidate key."""
    text = json.dumps(body, ensure_ascii=False)
    for i, option in enumerate(OPTIONS):
        if option in text:
            return i
    cts = [(bytes.fromhex(a), bytes.fromhex(b)) for a, b in body["answers"][0]["ciphertexts"]]
    for x in candidates:
        first = decrypts(*cts[0], x)
        if first is None:
            continue
        marks = [first] + [decrypts(a, b, x) for a, b in cts[1:]]
        if None not in marks and sum(marks) == 1:
            return marks.index(1)
    return None


def candidate_keys(blob: bytes) -> list[bytes]:
    """Every 32-byte value the attacker can find, as a scalar: each hex token, reduced mod L."""
    out = set()
    for token in HEX.findall(blob):
        out.add(crypto.scalar_from_int(int.from_bytes(bytes.fromhex(token.decode()), "little")))
    out.discard(bytes(32))
    return sorted(out)


def dump_tables() -> bytes:
    """Every row of every table, as text (what `pg_dump` or the SQLite file give a reader)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if connection.vendor == "postgresql":
                cursor.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')
            else:
                cursor.execute(f'SELECT * FROM "{table}"')
            chunks += [repr(row) for row in cursor.fetchall()]
    return "\n".join(chunks).encode()


def wal_first_appearance(wal: bytes, pattern: re.Pattern) -> list[bytes]:
    """The values matching `pattern` in the order the WAL first holds them: SQLite appends each
    commit's pages as frames, so this is the order of the commits that wrote them."""
    page_size = struct.unpack(">I", wal[8:12])[0]
    seen, order = set(), []
    at = 32
    while at + 24 + page_size <= len(wal):
        page = wal[at + 24 : at + 24 + page_size]
        for match in pattern.finditer(page):
            value = match.group(1) if pattern.groups else match.group(0)
            if value not in seen:
                seen.add(value)
                order.append(value)
        at += 24 + page_size
    return order


@pytest.fixture
def vote(school_a):
    """12 present delegates vote in a secret poll; 3 监票人 hold the key. Returns what the test
    (and nobody else) knows: each voter's tracker and vote, and the snapshots taken mid-vote."""
    chair = grant(UserFactory(), school_a, "chair")
    congress, delegates = congress_with_delegates(school_a, 15, present=12, scrutineers=3)
    poll = voting.create_poll(actor=chair, congress=congress, title="审议《奖励性绩效方案》", kind="secret")
    voting.open_poll(actor=chair, poll=poll)
    snapshots = {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a clean WAL: only this vote's frames from here on
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    truth = {}
    for i, (d, v) in enumerate(zip(delegates[:12], VOTES, strict=True)):
        tracker = voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice=OPTIONS[v])
        truth[d.pk] = (tracker, v)
        if connection.vendor == "sqlite" and i == 5:
            snapshots["mid"] = copy_sqlite()
    if connection.vendor == "sqlite":
        snapshots["end"] = copy_sqlite()
    return poll, congress, truth, snapshots


def copy_sqlite() -> dict:
    """The database file and its WAL, copied as a backup script (or a thief) would copy var/."""
    name = connection.settings_dict["NAME"]
    out = {}
    for suffix in ("", "-wal"):
        with open(f"{name}{suffix}", "rb") as f:
            out[suffix or "db"] = f.read()
    return out


def secret_of_all_scrutineers(congress) -> bytes:
    """What only the 监票人's phones hold together: the joint secret (the sum of theirs)."""
    total = bytes(32)
    for code in SCRUTINEER_CODES[congress.pk].values():
        total = crypto.s_add(total, crypto.secret_from_seed(crypto.seed_from_backup_code(code)))
    return total


@pytest.mark.django_db(transaction=True)
def test_a_database_reader_links_ballots_to_voters_but_reads_no_vote(vote):
    poll, congress, truth, snapshots = vote
    ballots = dict(SealedBallot.objects.filter(poll=poll).values_list("tracker", "body"))
    voter_of = {tracker: delegate for delegate, (tracker, _) in truth.items()}

    # 1. Linking, as the issue found it.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT s.tracker, a.changes->>'delegate', t.delegate_id
                   FROM congress_sealedballot s
                   JOIN core_auditevent a ON a.xmin = s.xmin AND a.action = 'congress.poll.vote'
                   JOIN congress_turnout t ON t.xmin = s.xmin
                   WHERE s.poll_id = %s""",
                [poll.pk],
            )
            links = {tracker: int(d) for tracker, d, _ in cursor.fetchall()}
            cursor.execute(
                "SELECT tracker FROM congress_sealedballot WHERE poll_id = %s ORDER BY ctid", [poll.pk]
            )
            heap_order = [row[0] for row in cursor.fetchall()]
        assert heap_order == [truth[d][0] for d in truth]  # the heap keeps the order of the votes
    else:
        wal = snapshots["end"]["-wal"]
        trackers = [t.decode() for t in wal_first_appearance(wal, TRACKER) if t.decode() in ballots]
        voters = [int(d) for d in wal_first_appearance(wal, DELEGATE) if int(d) in truth]
        links = dict(zip(trackers, voters, strict=False))
        with connection.cursor() as cursor, pytest.raises(Exception, match="rowid"):
            cursor.execute("SELECT rowid FROM congress_sealedballot")
    correct = sum(1 for tracker, delegate in links.items() if voter_of.get(tracker) == delegate)
    assert correct >= 10, f"the attacker linked only {correct} of 12 (the test must show the link it defeats)"

    # 2. Reading: everything the attacker holds, every key-sized value in it.
    held = dump_tables()
    for snapshot in snapshots.values():
        held += snapshot["db"] + snapshot["-wal"]
    candidates = candidate_keys(held)
    assert len(candidates) > 100  # the public shares, proofs, ciphertexts, descriptor, …
    learnt = {links[t]: read_ballot(ballots[t], candidates) for t in links}
    assert set(learnt.values()) == {None}, f"the attacker read votes: {learnt}"

    # 3. The attack is not blind: with the joint secret of all 监票人 it reads every vote.
    joint = secret_of_all_scrutineers(congress)
    assert joint not in candidates
    learnt_with_key = {links[t]: read_ballot(ballots[t], [*candidates, joint]) for t in links}
    assert sum(1 for d, v in learnt_with_key.items() if truth[d][1] == v) == correct

    # 4. Nothing secret is anywhere in what is stored: no seed, no share's secret, no joint secret.
    for code in SCRUTINEER_CODES[congress.pk].values():
        seed = crypto.seed_from_backup_code(code)
        secret = crypto.secret_from_seed(seed)
        for value in (seed, secret, seed.hex().encode(), secret.hex().encode(), code.encode()):
            assert value not in held
    assert joint not in held and joint.hex().encode() not in held


@pytest.mark.django_db(transaction=True)
def test_the_rows_written_with_a_vote_hold_no_choice(vote):
    poll, congress, truth, _ = vote
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes FROM core_auditevent WHERE action = 'congress.poll.vote'")
        changes = [row[0] for row in cursor.fetchall()]
    assert len(changes) == 12
    for row in changes:
        data = json.loads(row) if isinstance(row, str) else row
        assert set(data) == {"delegate"}
    for body in SealedBallot.objects.filter(poll=poll).values_list("body", flat=True):
        assert not any(option in json.dumps(body, ensure_ascii=False) for option in OPTIONS)
    poll.refresh_from_db()
    assert poll.result is None  # nothing is counted until the 监票人 decrypt


@pytest.mark.django_db
def test_a_plaintext_choice_from_an_api_client_is_neither_stored_nor_logged(
    client, school_a, chair_a, caplog
):
    from jiaogong.accounts.services import create_api_token

    caplog.set_level("DEBUG")
    congress, delegates = congress_with_delegates(school_a, 6, present=6)
    marker = "候选人乙丙丁"
    poll = voting.create_poll(
        actor=chair_a, congress=congress, title="补选", kind="secret", options=["候选人甲", marker], seats=1
    )
    voting.open_poll(actor=chair_a, poll=poll)
    token = create_api_token(delegate_user(delegates[0]))
    response = client.post(
        f"/api/v1/polls/{poll.pk}/ballots",
        {"choice": [marker]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    assert marker not in caplog.text
    stored = json.dumps(list(SealedBallot.objects.values_list("body", flat=True)), ensure_ascii=False)
    assert marker not in stored and "候选人" not in stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes FROM core_auditevent WHERE action = 'congress.poll.vote'")
        assert marker not in str(cursor.fetchall())
    assert Poll.objects.get(pk=poll.pk).result is None


@pytest.mark.django_db
def test_appraisal_ballots_keep_no_rowid_and_no_grade(school_a, chair_a):
    from jiaogong.congress import appraisals

    congress, delegates = congress_with_delegates(school_a, 5, present=5)
    appraisal = appraisals.create_appraisal(
        actor=chair_a, congress=congress, subjects=[{"name": "王建国", "position": "校长"}]
    )
    (subject,) = appraisal.subjects.all()
    appraisals.cast_appraisal_ballot(
        user=delegate_user(delegates[0]), appraisal=appraisal, ratings={subject.pk: "不称职"}
    )
    body = SealedAppraisalBallot.objects.get().body
    assert not any(level in json.dumps(body, ensure_ascii=False) for level in appraisal.scale)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor, pytest.raises(Exception, match="rowid"):
            cursor.execute("SELECT rowid FROM congress_sealedappraisalballot")
