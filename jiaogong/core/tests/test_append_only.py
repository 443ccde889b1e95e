"""The database refuses to change or remove evidence: audit rows, turnout and ballots."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from jiaogong.congress import voting
from jiaogong.congress.models import Ballot, PartialDecryption, SealedBallot, Turnout
from jiaogong.core import append_only
from jiaogong.core.models import AuditEvent
from jiaogong.factories import congress_with_delegates, decrypt, delegate_user


@pytest.fixture
def voted(school_a, chair_a):
    congress, delegates = congress_with_delegates(school_a, 3, present=3)
    poll = voting.create_poll(actor=chair_a, congress=congress, title="审议《方案》", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    voting.cast_ballot(user=delegate_user(delegates[0]), poll_id=poll.pk, choice="赞成")
    named = voting.create_poll(actor=chair_a, congress=congress, title="审议《报告》", kind="named")
    voting.open_poll(actor=chair_a, poll=named)
    voting.cast_ballot(user=delegate_user(delegates[0]), poll_id=named.pk, choice="赞成")
    voting.close_poll(actor=chair_a, poll=poll)
    decrypt(poll, skip=1)
    return poll


@pytest.mark.parametrize(
    ("model", "change"),
    [
        (Ballot, {"choices": ["反对"]}),
        (SealedBallot, {"body": {}}),
        (PartialDecryption, {"factors": []}),
        (Turnout, {"delegate_id": None}),
        (AuditEvent, {"action": "congress.poll.nothing"}),
    ],
)
def test_evidence_cannot_be_changed_or_removed(voted, model, change):
    rows = model.objects.all()
    before = list(rows.values())
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        rows.update(**change)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(f"DELETE FROM {model._meta.db_table}")
    assert list(rows.values()) == before


@pytest.mark.django_db
def test_every_guarded_table_exists():
    tables = set(connection.introspection.table_names())
    assert set(append_only.TABLES) <= tables


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_still_works_and_keeps_the_guard(school_a, chair_a):
    congress, delegates = congress_with_delegates(school_a, 3, present=3)
    poll = voting.create_poll(actor=chair_a, congress=congress, title="审议《方案》", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    voting.cast_ballot(user=delegate_user(delegates[0]), poll_id=poll.pk, choice="赞成")
    call_command("flush", "--no-input", verbosity=0)
    assert not SealedBallot.objects.exists() and not AuditEvent.objects.exists()
    # The guard is back after the flush.
    AuditEvent.objects.create(action="test.row")
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEvent.objects.all().delete()
