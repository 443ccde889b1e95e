"""Statements on the hot paths (every API call's token, every ballot), prepared on PostgreSQL.

Django binds parameters on the client, so PostgreSQL plans each of its statements anew; for a
ballot the planning took longer than the work. `prepared_cursor()` gives a cursor whose
statements are prepared on the server once per connection (the settings set
`prepare_threshold`, without which psycopg prepares nothing and this is a plain cursor), with
Django's database errors around it. On SQLite, in-process, it is Django's own cursor.
"""

import contextlib

from django.db import connection


class _PreparingCursor:
    def __init__(self, cursor):
        self._cursor = cursor

    def execute(self, sql: str, params):
        self._cursor.execute(sql, params, prepare=True)

    def fetchone(self):
        return self._cursor.fetchone()

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount


@contextlib.contextmanager
def prepared_cursor():
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield _PreparingCursor(cursor)
