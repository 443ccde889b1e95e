"""On SQLite, keep ballots in a WITHOUT ROWID table, stored in the order of their random receipts.

An ordinary SQLite table numbers its rows in the order they were written (the rowid), and the
audit trail records in which order the delegates voted: together they would join a secret ballot
to its voter. Without the rowid nothing records the order in which ballots came. (PostgreSQL
keeps rows in write order in its heap as well, where no such option exists: see voting.py.)
"""

from django.db import migrations


def rebuild_without_rowid(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'congress_ballot'")
        (create,) = cursor.fetchone()
        if create.rstrip().upper().endswith("WITHOUT ROWID"):
            return
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'congress_ballot' AND sql IS NOT NULL"
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute('ALTER TABLE "congress_ballot" RENAME TO "congress_ballot_old"')
        cursor.execute(create + " WITHOUT ROWID")
        cursor.execute(
            'INSERT INTO "congress_ballot" ("receipt", "choices", "delegate_id", "poll_id")'
            ' SELECT "receipt", "choices", "delegate_id", "poll_id" FROM "congress_ballot_old"'
        )
        cursor.execute('DROP TABLE "congress_ballot_old"')
        for sql in indexes:
            cursor.execute(sql)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [("congress", "0001_terms_sessions_votes_proposals")]

    operations = [migrations.RunPython(rebuild_without_rowid, migrations.RunPython.noop, elidable=False)]
