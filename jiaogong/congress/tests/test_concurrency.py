"""A burst of ballots at once: none lost to a lock, none counted twice.

Runs on both databases (SQLite in WAL with IMMEDIATE transactions, PostgreSQL), with real
transactions and one connection per thread, as the web server has.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from jiaogong.congress import voting
from jiaogong.congress.models import SealedBallot, Turnout
from jiaogong.core.errors import Conflict
from jiaogong.factories import UserFactory, close_and_count, congress_with_delegates, delegate_user, grant

VOTERS = 200


@pytest.mark.django_db(transaction=True)
def test_two_hundred_ballots_at_once_are_all_counted_exactly_once(school_a):
    chair = grant(UserFactory(), school_a, "chair")
    congress, delegates = congress_with_delegates(school_a, VOTERS, present=VOTERS)
    users = [delegate_user(d) for d in delegates]
    poll = voting.create_poll(
        actor=chair, congress=congress, title="审议《教职工奖励性绩效工资分配方案》", kind="secret"
    )
    voting.open_poll(actor=chair, poll=poll)
    choices = ["赞成", "反对", "弃权"]
    # Every delegate votes once; 40 of them press the button twice at the same moment.
    attempts = [(u, choices[i % 3]) for i, u in enumerate(users)] + [(u, "赞成") for u in users[:40]]

    def vote(attempt):
        user, choice = attempt
        try:
            return ("ok", voting.cast_ballot(user=user, poll_id=poll.pk, choice=choice))
        except Conflict as e:
            return (e.code, None)
        except PermissionDenied as e:  # pragma: no cover - would be a failure below
            return (str(e), None)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=24) as pool:
        outcomes = list(pool.map(vote, attempts))

    receipts = [r for status, r in outcomes if status == "ok"]
    refused = [status for status, _ in outcomes if status != "ok"]
    assert len(receipts) == VOTERS and len(set(receipts)) == VOTERS
    assert refused == ["already_voted"] * 40
    assert SealedBallot.objects.filter(poll=poll).count() == VOTERS
    assert Turnout.objects.filter(poll=poll).count() == VOTERS
    result = close_and_count(chair, poll)
    assert result["cast"] == VOTERS
    # The decrypted sums are the plaintext counts: 67 赞成, 67 反对, 66 弃权 (by i % 3).
    assert result["counts"] == {"赞成": 67, "反对": 67, "弃权": 66}
    assert set(result["receipts"]) == set(receipts)
