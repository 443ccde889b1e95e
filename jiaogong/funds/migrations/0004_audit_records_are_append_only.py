"""A signed year, an auditor's remark and a dues payment are kept as written."""

from django.db import migrations

from jiaogong.core import append_only


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_dues_payments_and_audit")]

    operations = [append_only.operation("funds_yearsignoff", "funds_entrycomment", "funds_duespayment")]
