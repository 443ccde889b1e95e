"""Triggers that refuse any UPDATE or DELETE of the audit trail, turnout and ballots."""

from django.db import migrations

from jiaogong.core import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_ballots_without_rowid_on_sqlite"),
        ("core", "0001_orgs_rules_audit"),
    ]

    operations = [
        append_only.operation(
            "core_auditevent",
            "congress_turnout",
            "congress_ballot",
            "congress_appraisalturnout",
            "congress_appraisalballot",
        )
    ]
