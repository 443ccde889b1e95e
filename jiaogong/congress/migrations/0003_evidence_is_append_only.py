"""Triggers that refuse any UPDATE or DELETE of the audit trail, turnout and ballots."""

from django.db import migrations

from jiaogong.core import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_ballots_without_rowid_on_sqlite"),
        ("core", "0001_orgs_rules_audit"),
    ]

    operations = [migrations.RunPython(append_only.install, append_only.uninstall, elidable=False)]
