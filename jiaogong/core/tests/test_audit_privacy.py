"""A database reader of the audit trail finds no ID number or phone in clear; the migration masks
the rows written before, and leaves the table append-only."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from jiaogong.core import audit
from jiaogong.core.models import AuditEvent
from jiaogong.factories import make_id_number
from jiaogong.members import services

migration = importlib.import_module("jiaogong.members.migrations.0002_mask_personal_numbers_in_audit_rows")

ID = make_id_number(datetime.date(1984, 7, 9), "F", 12)
PHONE = "13912345678"


def _raw_dump() -> str:
    with connection.cursor() as c:
        c.execute("SELECT action, object_repr, changes FROM core_auditevent")
        return "\n".join(str(row) for row in c.fetchall())


def test_creating_and_editing_a_member_leaves_no_clear_number_in_the_audit_rows(chair_a, school_a):
    member = services.create_member(
        actor=chair_a,
        org=school_a,
        data={
            "name": "刘洋",
            "gender": "F",
            "birth_date": datetime.date(1984, 7, 9),
            "id_number": ID,
            "phone": PHONE,
        },
    )
    services.update_member(actor=chair_a, member=member, data={"phone": "13700000001"})
    dump = _raw_dump()
    assert "members.member.create" in dump and "members.member.update" in dump
    assert ID not in dump and PHONE not in dump and "13700000001" not in dump
    assert ID[:6] + "*" * 12 in dump and "139****5678" in dump


def test_masked_changes_masks_pairs_and_values_and_leaves_the_rest():
    assert audit.masked_changes({"id_number": [None, ID], "phone": PHONE, "name": ["甲", "乙"]}) == {
        "id_number": [None, ID[:6] + "*" * 12],
        "phone": "139****5678",
        "name": ["甲", "乙"],
    }


class _Editor:
    """What the migration uses of a schema editor: its connection and execute()."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as c:
            c.execute(sql)


def test_the_migration_masks_old_rows_and_the_table_stays_append_only(chair_a, school_a):
    # A row as the old code wrote it: the numbers in clear.
    old = AuditEvent.objects.create(
        org=school_a,
        actor=chair_a,
        action="members.member.create",
        object_type="members.member",
        object_id="1",
        object_repr="刘洋",
        changes={"name": [None, "刘洋"], "id_number": [None, ID], "phone": [None, PHONE]},
    )
    other = AuditEvent.objects.create(org=school_a, action="core.rule.set", changes={"value": [1, 2]})
    assert ID in _raw_dump()
    migration.mask_personal_numbers(apps, _Editor())
    old.refresh_from_db()
    assert old.changes == {
        "name": [None, "刘洋"],
        "id_number": [None, ID[:6] + "*" * 12],
        "phone": [None, "139****5678"],
    }
    assert old.actor == chair_a and old.object_repr == "刘洋"
    other.refresh_from_db()
    assert other.changes == {"value": [1, 2]}
    assert ID not in _raw_dump() and PHONE not in _raw_dump()
    # The guard is back.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=old.pk).update(object_repr="x")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=other.pk).delete()
