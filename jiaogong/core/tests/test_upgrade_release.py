"""Upgrade safety: a database made by the previous release (tools/previous_release.txt), with its
demo data, migrates to the current code with nothing left unapplied, every table's rows and every
union's ledger balance unchanged (unless a migration says otherwise, INTENDED_CHANGES), and the
main pages answering the demo chair.

The previous release runs from its own tree (`git archive` of the recorded commit) in a
subprocess, on a fresh SQLite file, or on the PostgreSQL run a fresh database
`<test database>_upgrade`, dropped after. The previous release runs with this checkout's
installed packages. Takes about a minute (its `migrate` and `load_demo` are most of it).
"""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

REPO = Path(settings.BASE_DIR)
RELEASE_FILE = REPO / "tools" / "previous_release.txt"

# Tables a migration of this release is meant to grow or shrink: {table: why}. Empty today.
INTENDED_CHANGES: dict[str, str] = {}
# Grow with any release that adds models, migrations or shipped rule parameters.
GROW_WITH_EVERY_RELEASE = {"django_migrations", "django_content_type", "auth_permission", "core_rulevalue"}

# Every table's rows and every union's ledger balance, as the code in the path sees them; and
# which jiaogong package was imported (the previous release's tree, not this checkout).
MEASURE = """
import json, jiaogong
from django.db import connection
from jiaogong.core.models import Org
from jiaogong.funds.books import balance
with connection.cursor() as cursor:
    tables = sorted(connection.introspection.table_names(cursor))
    counts = {}
    for t in tables:
        cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(t))
        counts[t] = cursor.fetchone()[0]
print(json.dumps({
    "package": jiaogong.__file__,
    "tables": counts,
    "balances": {o.name: str(balance(o)) for o in Org.objects.order_by("name")},
}, ensure_ascii=False))
"""

# The demo chair opens every section of the navigation (and the home page) with the current code.
PAGES = """
import json
from django.test import Client
from django.urls import reverse
from jiaogong.accounts.models import RoleGrant, User
from jiaogong.core.navigation import SECTIONS
chair = User.objects.get(username="longsheng_chair")
org = RoleGrant.objects.get(user=chair, role="chair").org
client = Client()
client.force_login(chair)
answers = {"/": client.get("/", follow=True).status_code}
for s in SECTIONS:
    if s.url_name and s.where in ("school", "any"):
        url = reverse(s.url_name, args=[org.pk])
        answers[url] = client.get(url).status_code
print(json.dumps(answers))
"""


def previous_release() -> str:
    lines = [line.strip() for line in RELEASE_FILE.read_text().splitlines()]
    [commit] = [line for line in lines if line and not line.startswith("#")]
    return commit


def git(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, check=False, **kwargs)


def _pg_admin(sql: str) -> None:
    import psycopg

    conf = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=conf["USER"] or None,
        password=conf["PASSWORD"] or None,
        host=conf["HOST"] or None,
        port=conf["PORT"] or None,
        autocommit=True,
    ) as admin:
        admin.execute(sql)


@pytest.fixture
def fresh_database(tmp_path):
    env = {
        **os.environ,
        "JIAOGONG_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SECRET_KEY": "upgrade-test",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    env.pop("DATABASE_TEST_NAME", None)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'upgraded.sqlite3'}"
        yield env
        return
    conf = connection.settings_dict
    name = f"{conf['TEST'].get('NAME') or 'test_' + conf['NAME']}_upgrade"
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{name}"')
    auth = quote(conf["USER"] or "") + (f":{quote(conf['PASSWORD'])}" if conf["PASSWORD"] else "")
    env["DATABASE_URL"] = f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{name}"
    try:
        yield env
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(tree: Path, env: dict, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env={**env, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{tree.name}: manage.py {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}"
    return done.stdout


def measure(tree: Path, env: dict) -> dict:
    return json.loads(manage(tree, env, "shell", "--no-imports", "-c", MEASURE).strip().splitlines()[-1])


def test_the_previous_release_is_recorded_as_a_full_commit():
    assert len(previous_release()) == 40 and int(previous_release(), 16) >= 0


def test_a_database_of_the_previous_release_with_its_demo_upgrades_intact(tmp_path, fresh_database):
    commit = previous_release()
    if git("cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        pytest.fail(
            f"上一版本的提交 {commit}（tools/previous_release.txt）不在本仓库的历史中："
            "升级测试需要完整克隆（CI 中 git fetch --unshallow 或 fetch-depth: 0），不能跳过。"
        )
    old_tree = tmp_path / "previous"
    old_tree.mkdir()
    archive = git("archive", "--format=tar", commit)
    assert archive.returncode == 0, archive.stderr.decode()
    archive_path = tmp_path / "previous.tar"
    archive_path.write_bytes(archive.stdout)
    with tarfile.open(archive_path) as tar:
        tar.extractall(old_tree, filter="data")

    manage(old_tree, fresh_database, "migrate", "--noinput", "-v0")
    manage(old_tree, fresh_database, "load_demo")
    before = measure(old_tree, fresh_database)
    assert before["package"] == str(old_tree / "jiaogong" / "__init__.py")  # the old code ran
    assert before["tables"]["members_member"] > 0 and before["tables"]["funds_ledgerentry"] > 0

    manage(REPO, fresh_database, "migrate", "--noinput", "-v0")
    manage(REPO, fresh_database, "migrate", "--check")  # nothing left unapplied
    after = measure(REPO, fresh_database)
    assert after["package"] == str(REPO / "jiaogong" / "__init__.py")

    changed = {
        table: (count, after["tables"].get(table))
        for table, count in before["tables"].items()
        if table not in INTENDED_CHANGES
        and (
            after["tables"].get(table) is None
            or (
                after["tables"][table] < count
                if table in GROW_WITH_EVERY_RELEASE
                else after["tables"][table] != count
            )
        )
    }
    assert changed == {}, f"rows changed by the upgrade (table: (before, after)): {changed}"
    assert after["balances"] == before["balances"]
    assert len(after["balances"]) == 3 and any(b != "0.00" for b in after["balances"].values())

    pages = json.loads(
        manage(REPO, fresh_database, "shell", "--no-imports", "-c", PAGES).strip().splitlines()[-1]
    )
    assert len(pages) >= 10
    assert {url: code for url, code in pages.items() if code != 200} == {}
