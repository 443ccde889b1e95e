"""Evidence the database itself keeps append-only: the audit trail, the turnout and ballots of
every vote and appraisal, the funds ledger with its dues payments and the 经审's records, the
contributions to a donation campaign and their hand-over, and the hardship files' category
history, reviews, help given and the log of who read them, and the welfare visits with their
visitors and photos. A trigger refuses any UPDATE or DELETE of their rows, whoever sends it (the
application never does; a script, a shell or a mistaken migration would be stopped too).
The refusal is an integrity error on both databases.

Emptying the whole database (`manage.py flush`, which the test runner uses between tests that
commit) is not an edit of evidence: on PostgreSQL it truncates, which row triggers do not see;
the SQLite backend lifts the triggers for the duration of the flush (core/sqlite/base.py).
"""

TABLES = (
    "core_auditevent",
    "congress_turnout",
    "congress_ballot",
    "congress_sealedballot",
    "congress_appraisalturnout",
    "congress_sealedappraisalballot",
    "congress_partialdecryption",
    "funds_ledgerentry",
    "funds_duespayment",
    "funds_yearsignoff",
    "funds_entrycomment",
    "funds_attachment",
    "funds_allocationpayment",
    "funds_remittance",
    "funds_benefit",
    "funds_duesreminder",
    "donations_contribution",
    "donations_handover",
    "hardship_categorychange",
    "hardship_review",
    "hardship_helprecord",
    "hardship_fileread",
    "welfare_visit",
    "welfare_visit_visitors",
    "welfare_visitphoto",
)

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION jiaogong_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only evidence: rows are never changed or removed', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""


def sqlite_create(tables=TABLES) -> list[str]:
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_append_only_{op.lower()}" BEFORE {op} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only evidence: rows are never changed or removed'); END"
        for table in tables
        for op in ("UPDATE", "DELETE")
    ]


def sqlite_drop(tables=TABLES) -> list[str]:
    return [
        f'DROP TRIGGER IF EXISTS "{table}_append_only_{op}"'
        for table in tables
        for op in ("update", "delete")
    ]


def postgres_create(tables=TABLES) -> list[str]:
    statements = [_POSTGRES_FUNCTION]
    for table in tables:
        statements += [
            f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"',
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION jiaogong_append_only()",
        ]
    return statements


def operation(*tables: str):
    """The migration operation that guards `tables` (and lifts the guard when unapplied)."""
    from django.db import migrations

    def install(apps, schema_editor):
        create = {"sqlite": sqlite_create, "postgresql": postgres_create}[schema_editor.connection.vendor]
        for sql in create(tables):
            schema_editor.execute(sql, None)  # no parameters: the function's "%" is RAISE's own

    def uninstall(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            statements = sqlite_drop(tables)
        else:  # the shared function stays for the other guarded tables
            statements = [f'DROP TRIGGER IF EXISTS "{t}_append_only" ON "{t}"' for t in tables]
        for sql in statements:
            schema_editor.execute(sql, None)

    return migrations.RunPython(install, uninstall, elidable=False)
