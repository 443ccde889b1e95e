"""The ledger is append-only in the database: a trigger refuses any UPDATE or DELETE of an entry."""

from django.db import migrations

from jiaogong.core import append_only


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_salary_bases_and_ledger"), ("congress", "0003_evidence_is_append_only")]

    operations = [append_only.operation("funds_ledgerentry")]
