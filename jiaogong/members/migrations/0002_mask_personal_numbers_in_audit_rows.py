"""Audit rows written before core/audit.py masked personal numbers carry ID numbers and phones in
clear (a member's creation snapshot, an edit's before/after). Mask them as audit.record now does.

core_auditevent is append-only evidence (core/append_only.py: a trigger refuses UPDATE and DELETE).
This migration is the one sanctioned edit: inside the migration's transaction it lifts the guard of
that one table, rewrites only the values under the keys id_number and phone (nothing else of any
row changes: actor, time, action, object, the other fields), and puts the guard back before the
transaction commits, so no other connection ever sees the table unguarded (PostgreSQL's DDL is
transactional; SQLite's migration holds the database's write lock throughout). Irreversible: the
clear numbers are gone, which is the point; unapplying it changes nothing.
"""

from django.db import migrations

from jiaogong.core import append_only
from jiaogong.core.audit import PERSONAL_KEYS, masked_changes

TABLE = "core_auditevent"


def _guard(schema_editor, on: bool):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = append_only.sqlite_create((TABLE,)) if on else append_only.sqlite_drop((TABLE,))
    elif on:
        statements = append_only.postgres_create((TABLE,))
    else:
        statements = [f'DROP TRIGGER IF EXISTS "{TABLE}_append_only" ON "{TABLE}"']
    for sql in statements:
        schema_editor.execute(sql, None)


def mask_personal_numbers(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    db = schema_editor.connection.alias
    candidates = AuditEvent.objects.using(db).filter(changes__has_any_keys=list(PERSONAL_KEYS))
    updates = []
    for pk, changes in candidates.values_list("pk", "changes").iterator(chunk_size=2000):
        if isinstance(changes, dict):
            masked = masked_changes(changes)
            if masked != changes:
                updates.append((pk, masked))
    if not updates:
        return
    _guard(schema_editor, on=False)
    for pk, masked in updates:
        AuditEvent.objects.using(db).filter(pk=pk).update(changes=masked)
    _guard(schema_editor, on=True)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_registry_groups_committees"),
        ("core", "0002_holiday_table"),
        # the migration that made core_auditevent append-only
        ("congress", "0003_evidence_is_append_only"),
    ]

    operations = [migrations.RunPython(mask_personal_numbers, migrations.RunPython.noop, elidable=False)]
