"""The SQLite backend: WAL, the durability setting, and the writers' queue that makes a burst of
ballots wait their turn instead of failing with "database is locked"."""

import threading
import time

import pytest
from django.db import connection

from jiaogong.config.settings import _sqlite_synchronous
from jiaogong.core.sqlite.base import WriterQueue


def test_the_synchronous_setting_is_checked():
    assert _sqlite_synchronous(" full ") == "FULL"
    assert _sqlite_synchronous("NORMAL") == "NORMAL"
    with pytest.raises(ValueError, match="JIAOGONG_SQLITE_SYNCHRONOUS"):
        _sqlite_synchronous("OFF")  # never: a crash could corrupt the database


@pytest.mark.django_db
def test_the_connection_is_set_up_for_a_burst_of_ballots():
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL, the default
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    else:  # PostgreSQL: the ballot and token statements can be prepared on the server
        assert connection.connection.prepare_threshold == 5


def test_the_queue_lets_one_writer_at_a_time_and_the_next_goes_at_once(tmp_path):
    queue = WriterQueue(str(tmp_path / "db.sqlite3"))
    order = []
    assert queue.acquire(timeout=1)

    def second():
        assert queue.acquire(timeout=5)
        order.append(("second in", time.monotonic()))
        queue.release()

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.05)
    order.append(("first out", time.monotonic()))
    queue.release()
    thread.join(5)
    assert [name for name, _ in order] == ["first out", "second in"]
    assert order[1][1] - order[0][1] < 0.05  # handed on at once, not after a busy-handler sleep


def test_a_writer_that_waits_too_long_gives_up(tmp_path):
    queue = WriterQueue(str(tmp_path / "db.sqlite3"))
    assert queue.acquire(timeout=1)
    result = []
    thread = threading.Thread(target=lambda: result.append(queue.acquire(timeout=0.1)))
    thread.start()
    thread.join(5)
    assert result == [False]
    queue.release()
    assert queue.acquire(timeout=0.1)
    queue.release()


def test_the_queue_is_shared_by_processes_through_the_lock_file(tmp_path):
    """Two queues on the same file stand for two server processes: the second waits."""
    name = str(tmp_path / "db.sqlite3")
    first, second = WriterQueue(name), WriterQueue(name)
    assert first.acquire(timeout=1)
    assert second.acquire(timeout=0.1) is False
    first.release()
    assert second.acquire(timeout=1)
    second.release()
