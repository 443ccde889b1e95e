"""manage.py backup and restore: a round trip on the database the suite runs on (SQLite or
PostgreSQL) into a second, fresh database, with every table's row count, the ledger balances and
the uploaded files compared; and the refusals (a non-empty database, a tampered or truncated
archive, the other engine, a newer schema)."""

import datetime
import io
import json
import os
import stat
import subprocess
import sys
import tarfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from jiaogong.congress import voting
from jiaogong.congress.models import SealedBallot
from jiaogong.core import backup, ops
from jiaogong.factories import MemberFactory, UserFactory, congress_with_delegates, delegate_user, grant
from jiaogong.funds import books, services
from jiaogong.members.models import Member

REPO = Path(django_settings.BASE_DIR)
PDF = b"%PDF-1.4\n%\xe5\x8f\x91\xe7\xa5\xa8\n" + bytes(range(256)) * 4
JAN = datetime.date(2026, 1, 10)


@pytest.fixture(autouse=True)
def places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JIAOGONG_BACKUP_DIR = tmp_path / "backups"


def build_union(school_a, chair_a):
    """Members, a ledger with income, expenses and a reversal, a receipt scan, and a congress whose
    secret ballot has been cast by three delegates."""
    MemberFactory.create_batch(4, org=school_a)
    finance = grant(UserFactory(), school_a, "finance")
    income = services.record_entry(
        actor=finance,
        org=school_a,
        date=JAN,
        kind="income",
        category="会费收入",
        amount=Decimal("2145.50"),
        memo="一月会费",
    )
    spent = services.record_entry(
        actor=finance,
        org=school_a,
        date=JAN,
        kind="expense",
        category="职工活动支出",
        subcategory="文体活动",
        amount=Decimal("300.25"),
        memo="气排球比赛",
    )
    services.reverse_entry(actor=finance, entry=spent, reason="记错金额")
    services.record_entry(
        actor=finance,
        org=school_a,
        date=JAN,
        kind="expense",
        category="职工活动支出",
        subcategory="文体活动",
        amount=Decimal("320.00"),
        memo="气排球比赛",
    )
    books.add_attachment(
        actor=finance,
        entry=income,
        upload=SimpleUploadedFile("收据.pdf", PDF, content_type="application/pdf"),
    )
    congress, delegates = congress_with_delegates(school_a, 6, present=6)
    poll = voting.create_poll(
        actor=chair_a, congress=congress, title="审议《绩效工资分配方案》", kind="secret"
    )
    voting.open_poll(actor=chair_a, poll=poll)
    for d, choice in zip(delegates[:3], ["赞成", "反对", "赞成"], strict=True):
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice=choice)
    assert SealedBallot.objects.count() == 3
    assert books.balance(school_a) == Decimal("1825.50")


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---- a second, fresh database to restore into ------------------------------------------------


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
    """The environment of a process whose database is new and empty: a SQLite file, or on the
    PostgreSQL run a database `<test database>_restore` made here and dropped after."""
    env = {
        **os.environ,
        "JIAOGONG_VAR_DIR": str(tmp_path / "var2"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media2"),
        "DJANGO_SECRET_KEY": "restore-test",
    }
    env.pop("DATABASE_TEST_NAME", None)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield env
        return
    conf = connection.settings_dict
    name = f"{conf['NAME']}_restore"
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    _pg_admin(f'CREATE DATABASE "{name}"')
    auth = quote(conf["USER"] or "") + (f":{quote(conf['PASSWORD'])}" if conf["PASSWORD"] else "")
    env["DATABASE_URL"] = f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{name}"
    try:
        yield env
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


SNAPSHOT = "import json; from jiaogong.core.backup import snapshot; print(json.dumps(snapshot()))"


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_has_every_row_balance_and_file(
    school_a, chair_a, fresh_database, settings
):
    build_union(school_a, chair_a)
    before = backup.snapshot()
    files = media_files(Path(settings.MEDIA_ROOT))
    assert len(files) == 1

    call_command("backup", stdout=io.StringIO())
    [made] = backup.backups_in(Path(settings.JIAOGONG_BACKUP_DIR))

    done = manage(fresh_database, "restore", str(made))
    assert done.returncode == 0, done.stderr
    assert "与备份时一致" in done.stdout and "恢复了 1 个上传文件" in done.stdout

    after = json.loads(manage(fresh_database, "shell", "--no-imports", "-c", SNAPSHOT).stdout)
    assert after == before
    assert after["tables"]["congress_sealedballot"] == 3 and after["tables"]["funds_ledgerentry"] == 4
    assert after["figures"]["ledger_balances"] == {str(school_a.pk): "1825.50"}
    assert media_files(Path(fresh_database["DJANGO_MEDIA_ROOT"])) == files
    assert manage(fresh_database, "migrate", "--check").returncode == 0
    # A second restore into what is now a full database is refused.
    again = manage(fresh_database, "restore", str(made))
    assert again.returncode != 0 and "数据库不是空的" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_puts_back_the_database_as_it_was(school_a, chair_a, settings):
    build_union(school_a, chair_a)
    before = backup.snapshot()
    made = backup.create_backup()
    MemberFactory.create_batch(3, org=school_a)
    assert backup.snapshot() != before

    out = io.StringIO()
    call_command("restore", str(made.path), "--force", stdout=out)
    assert "与备份时一致" in out.getvalue()
    assert backup.snapshot() == before
    assert Member.objects.count() == before["tables"]["members_member"]
    assert books.balance(school_a) == Decimal("1825.50")


# ---- the file itself --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_backup_is_one_private_file_with_a_manifest_of_checksums(school_a, settings):
    (Path(settings.MEDIA_ROOT) / "welfare").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "welfare" / "photo.jpg").write_bytes(b"\xff\xd8\xff jpeg")
    made = backup.create_backup()
    assert made.path.parent == Path(settings.JIAOGONG_BACKUP_DIR)
    assert made.path.name.startswith("jiaogong-") and made.path.name.endswith(".tar.gz")
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert [p.name for p in made.path.parent.iterdir()] == [made.path.name]  # no temporary left
    manifest = backup.verify(made.path)
    engine_member = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    assert set(manifest["members"]) == {engine_member, "media/welfare/photo.jpg"}
    assert manifest["engine"] == connection.vendor
    assert manifest["migration_leaves"]["core"] == sorted(manifest["migrations"]["core"])[-1]
    assert manifest["tables"]["core_org"] == 2  # the federation and school A
    assert "ledger_balances" in manifest["figures"]
    with tarfile.open(made.path) as tar:
        assert tar.getnames()[-1] == "manifest.json"


@pytest.mark.django_db
def test_keep_deletes_all_but_the_newest_backups(settings):
    directory = Path(settings.JIAOGONG_BACKUP_DIR)
    directory.mkdir(parents=True)
    for day in range(1, 5):
        (directory / f"jiaogong-202612{day:02d}-010000.tar.gz").write_bytes(b"old")
    (directory / "notes.txt").write_text("not a backup")
    out = io.StringIO()
    call_command("backup", "--keep", "2", stdout=out)
    left = sorted(p.name for p in directory.iterdir())
    assert len(left) == 3 and "jiaogong-20261204-010000.tar.gz" in left and "notes.txt" in left
    assert "已删除旧备份 jiaogong-20261201-010000.tar.gz" in out.getvalue()


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_partial_file(settings, monkeypatch, tmp_path):
    def broken():
        raise OSError("disk full")

    monkeypatch.setattr(backup, "_media_files", broken)
    target = tmp_path / "out" / "b.tar.gz"
    with pytest.raises(OSError):
        backup.create_backup(output=target)
    assert list(target.parent.iterdir()) == []


@pytest.mark.django_db
def test_the_daily_backup_keeps_the_configured_number(settings):
    settings.JIAOGONG_BACKUP_KEEP = 2
    directory = Path(settings.JIAOGONG_BACKUP_DIR)
    directory.mkdir(parents=True)
    for day in range(1, 4):
        (directory / f"jiaogong-202612{day:02d}-010000.tar.gz").write_bytes(b"old")
    made = ops.daily_backup()
    assert sorted(p.name for p in directory.iterdir()) == ["jiaogong-20261203-010000.tar.gz", made.name]
    assert backup.verify(made)["engine"] == connection.vendor


# ---- refusals ---------------------------------------------------------------------------------


@pytest.fixture
def archive(db, settings, school_a):
    (Path(settings.MEDIA_ROOT) / "funds").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "funds" / "receipt.pdf").write_bytes(PDF)
    return backup.create_backup().path


def rewrite(path: Path, *, member=None, manifest=None, rename=None) -> Path:
    """A copy of the archive with one member's bytes changed, the manifest edited or a member renamed."""
    out = path.with_name("edited.tar.gz")
    with tarfile.open(path) as src, tarfile.open(out, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif member and info.name == member[0]:
                data = member[1](data)
            if rename and info.name == rename[0]:
                info.name = rename[1]
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def refused(path, *args) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(path), *args, stdout=io.StringIO())
    return str(caught.value)


def test_a_non_empty_database_is_refused_without_force_and_left_alone(archive, school_a):
    MemberFactory(org=school_a)
    before = backup.snapshot()
    assert "数据库不是空的" in refused(archive) and "--force" in refused(archive)
    assert backup.snapshot() == before


def test_a_tampered_member_is_refused_by_name(archive):
    tampered = rewrite(archive, member=("media/funds/receipt.pdf", lambda b: b.replace(b"PDF", b"PDX")))
    assert (
        refused(tampered, "--force")
        == "备份中的 media/funds/receipt.pdf 校验和不符（文件已被改动或损坏），拒绝恢复"
    )


def test_a_tampered_database_is_refused_by_name(archive):
    db = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    tampered = rewrite(archive, member=(db, lambda b: b[:-1] + bytes([b[-1] ^ 1])))
    assert refused(tampered, "--force") == f"备份中的 {db} 校验和不符（文件已被改动或损坏），拒绝恢复"


def test_a_missing_member_is_refused_by_name(archive):
    def drop(m):
        m["members"]["media/funds/other.pdf"] = "0" * 64
        return m

    assert refused(rewrite(archive, manifest=drop), "--force") == "备份文件不完整：缺少 media/funds/other.pdf"


def test_a_truncated_archive_is_refused(archive):
    cut = archive.with_name("cut.tar.gz")
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    message = refused(cut, "--force")
    assert message.startswith("备份文件") and ("不完整" in message or "损坏" in message)


def test_a_member_climbing_out_of_the_media_folder_is_refused(archive, settings):
    """A crafted archive (checksums made to match) whose member would be written above MEDIA_ROOT."""
    evil_name = "media/../../outside.pdf"

    def add(m):
        m["members"][evil_name] = m["members"].pop("media/funds/receipt.pdf")
        return m

    evil = rewrite(archive, manifest=add, rename=("media/funds/receipt.pdf", evil_name))
    assert refused(evil, "--force") == f"备份中的文件名不安全，拒绝恢复：{evil_name}"
    assert not (Path(settings.MEDIA_ROOT) / evil_name[len("media/") :]).resolve().exists()


def test_a_backup_of_the_other_engine_is_refused(archive):
    mine, other = (
        ("database.sqlite3", "postgresql") if connection.vendor == "sqlite" else ("database.pgdump", "sqlite")
    )
    theirs = backup.DB_MEMBER[other]

    def swap(m):
        m["engine"] = other
        m["members"][theirs] = m["members"].pop(mine)
        return m

    message = refused(rewrite(archive, manifest=swap, rename=(mine, theirs)), "--force")
    assert message.startswith(f"这是 {backup.ENGINE_NAMES[other]} 数据库的备份")


def test_a_backup_of_a_newer_schema_is_refused(archive):
    def newer(m):
        m["migrations"]["congress"].append("0099_from_a_later_release")
        return m

    assert refused(rewrite(archive, manifest=newer), "--force") == (
        "备份来自较新的版本（数据库迁移 congress.0099_from_a_later_release 在当前程序中不存在），请先升级程序再恢复"
    )


def test_not_a_backup_is_refused(tmp_path, db):
    junk = tmp_path / "jiaogong-x.tar.gz"
    junk.write_bytes(b"hello")
    assert refused(junk) == "不是有效的备份文件（无法读取）：jiaogong-x.tar.gz"
    assert refused(tmp_path / "nothing.tar.gz").startswith("备份文件不存在")
