"""SQLite with writers queued instead of sleeping in SQLite's busy handler.

SQLite lets one writer at a time. With `BEGIN IMMEDIATE` a second writer waits in SQLite's busy
handler, which sleeps in growing steps (up to 100 ms) before it looks again: under a burst of
ballots most of the time goes to sleeping while the database is free. Here a write transaction
first takes a queue: a lock shared by the threads of the process, then (where the system has
it) an advisory lock on a file beside the database shared by the processes of the server. The
writer that holds both is the only one asking SQLite, so the database passes from one writer
to the next at once.

Waiting is bounded by the database's timeout; when it runs out the transaction fails like a
locked database does (OperationalError), and nothing has been written.
"""

import os
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base, operations

from jiaogong.core import append_only

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the threads of one process still queue
    fcntl = None

_queues: dict[str, "WriterQueue"] = {}
_queues_guard = threading.Lock()


class WriterQueue:
    """One per database file in a process: a thread lock, then a lock on `<database>.writers`."""

    def __init__(self, name: str):
        self.thread_lock = threading.Lock()
        self.path = f"{name}.writers"
        self.fd = None

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self.thread_lock.acquire(timeout=timeout):
            return False
        if fcntl is None:
            return True
        try:
            if self.fd is None:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            pause = 0.0002
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(pause)
                    pause = min(pause * 2, 0.002)
        except BaseException:
            self.thread_lock.release()
            raise
        self.thread_lock.release()
        return False

    def release(self) -> None:
        try:
            if fcntl is not None and self.fd is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.thread_lock.release()


def _queue_for(name: str) -> WriterQueue:
    with _queues_guard:
        queue = _queues.get(name)
        if queue is None:
            queue = _queues[name] = WriterQueue(name)
        return queue


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        """Emptying every table lifts the append-only triggers for the duration (core/append_only.py)."""
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        guarded = [t for t in append_only.TABLES if t in tables]
        if not statements or not guarded:
            return statements
        return [*append_only.sqlite_drop(guarded), *statements, *append_only.sqlite_create(guarded)]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _holds_write_lock = False

    def _queue(self) -> WriterQueue | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or name.startswith("file:"):
            return None
        return _queue_for(name)

    def _start_transaction_under_autocommit(self):
        queue = self._queue()
        if queue is not None:
            timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
            if not queue.acquire(timeout):
                raise OperationalError("database is locked (waited for the writers' queue)")
            self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self):
        if self._holds_write_lock:
            self._holds_write_lock = False
            self._queue().release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
