"""Evidence the database itself keeps append-only: the audit trail, and the turnout and ballots of
every vote and appraisal. A trigger refuses any UPDATE or DELETE of their rows, whoever sends it
(the application never does; a script, a shell or a mistaken migration would be stopped too).
The refusal is an integrity error on both databases.

Emptying the whole database (`manage.py flush`, which the test runner uses between tests that
commit) is not an edit of evidence: on PostgreSQL it truncates, which row triggers do not see;
the SQLite backend lifts the triggers for the duration of the flush (core/sqlite/base.py).
"""

TABLES = (
    "core_auditevent",
    "congress_turnout",
    "congress_ballot",
    "congress_appraisalturnout",
    "congress_appraisalballot",
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


def postgres_drop(tables=TABLES) -> list[str]:
    return [f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"' for table in tables] + [
        "DROP FUNCTION IF EXISTS jiaogong_append_only()"
    ]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_create, "postgresql": postgres_create}[vendor]()
    for sql in statements:
        schema_editor.execute(sql, None)  # no parameters: the function's "%" is RAISE's own


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_drop, "postgresql": postgres_drop}[vendor]()
    for sql in statements:
        schema_editor.execute(sql, None)
