"""Backups and restore (`manage.py backup`, `manage.py restore`; API.md "Running it").

A backup is one .tar.gz:
  database.sqlite3 | database.pgdump   SQLite's online backup API (a consistent copy while the
                                       app writes) or `pg_dump --format=custom`
  media/...                            every uploaded file under MEDIA_ROOT
  manifest.json                        last: version and commit, engine, time, the applied
                                       migrations and each app's leaf, every table's row count,
                                       the figures apps register (the ledger balance per org), and
                                       the sha256 of every other member

A restore checks the manifest and every checksum before it touches anything, refuses a non-empty
database without `force`, a backup of the other engine or of a schema newer than the code; then
restores the database and the files and checks every table's row count and the figures against
the manifest.

Apps contribute figures to the manifest through `register_figure` in their AppConfig.ready()
(funds: the ledger balance per org), so core names no app.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
NAME_PREFIX = "jiaogong-"
SUFFIX = ".tar.gz"
CHUNK = 1024 * 1024

# name → callable(using) returning a JSON-able dict; compared exactly after a restore.
FIGURES: dict[str, Callable[[str], dict]] = {}


def register_figure(name: str, compute: Callable[[str], dict]) -> None:
    """An app's figure that a restore must reproduce exactly (e.g. the ledger balance per org)."""
    FIGURES[name] = compute


class BackupError(Exception):
    """A backup or restore refused or failed; the message is Chinese and names what is wrong."""


# ---- what the database holds ------------------------------------------------------------------


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"不支持备份此类数据库：{vendor}")
    return vendor


def table_counts(using: str = "default") -> dict[str, int]:
    """Every table's row count."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(using: str = "default") -> dict[str, list[str]]:
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    applied: dict[str, list[str]] = {}
    for app, name in sorted(loader.applied_migrations):
        applied.setdefault(app, []).append(name)
    return applied


def migration_leaves(using: str = "default") -> dict[str, str]:
    """Each app's newest applied migration (the leaf of what the database has)."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    leaves = {}
    for app, name in applied:
        node = (app, name)
        children = loader.graph.node_map[node].children if node in loader.graph.node_map else set()
        if not any(child[0] == app and child in applied for child in children):
            leaves[app] = name
    return dict(sorted(leaves.items()))


def figures(using: str = "default") -> dict[str, dict]:
    return {name: compute(using) for name, compute in sorted(FIGURES.items())}


def snapshot(using: str = "default") -> dict:
    """What a restore must reproduce: every table's row count and the registered figures."""
    return {"tables": table_counts(using), "figures": figures(using)}


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _version() -> str | None:
    try:
        return metadata.version("jiaogong")
    except metadata.PackageNotFoundError:
        return None


# ---- backup -----------------------------------------------------------------------------------


@dataclass
class Made:
    path: Path
    manifest: dict
    removed: list[Path]


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it (a member is hashed as it is written)."""

    def __init__(self, raw):
        self.raw, self.sha = raw, hashlib.sha256()

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        self.sha.update(data)
        buffer[: len(data)] = data
        return len(data)


def _sqlite_copy(using: str, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while other connections write."""
    name = connections[using].settings_dict["NAME"]
    source = sqlite3.connect(f"file:{Path(name).resolve()}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)
    finally:
        dest.close()
        source.close()


def _pg_env_args(using: str) -> tuple[dict, list[str]]:
    conf = connections[using].settings_dict
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = conf["PASSWORD"]
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conf.get(key):
            args += [flag, str(conf[key])]
    return env, args


def _run(command: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"无法运行 {command[0]}（请安装 PostgreSQL 客户端程序）：{exc}") from exc
    if done.returncode != 0:
        raise BackupError(f"{what}失败：{done.stderr.strip()[-2000:]}")


def _pg_dump(using: str, target: Path) -> None:
    env, args = _pg_env_args(using)
    name = connections[using].settings_dict["NAME"]
    _run(["pg_dump", "--format=custom", *args, f"--file={target}", name], env, "pg_dump 导出数据库")


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((MEDIA_PREFIX + path.relative_to(root).as_posix(), path))
    return found


def _default_path(directory: Path) -> Path:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    path = directory / f"{NAME_PREFIX}{stamp}{SUFFIX}"
    n = 1
    while path.exists():
        path = directory / f"{NAME_PREFIX}{stamp}-{n}{SUFFIX}"
        n += 1
    return path


def backups_in(directory: Path) -> list[Path]:
    """The backups of a directory, oldest first (their names carry the time)."""
    if not directory.is_dir():
        return []
    return sorted((p for p in directory.glob(f"{NAME_PREFIX}*{SUFFIX}") if p.is_file()), key=lambda p: p.name)


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups of the directory; returns the ones deleted."""
    if keep < 1:
        raise BackupError("--keep 至少为 1")
    old = backups_in(directory)[:-keep]
    for path in old:
        path.unlink()
    return old


def _add(tar: tarfile.TarFile, name: str, path: Path) -> str:
    info = tarfile.TarInfo(name)
    stat = path.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
    with path.open("rb") as raw:
        hashing = _Hashing(raw)
        tar.addfile(info, hashing)
    return hashing.sha.hexdigest()


def create_backup(*, output: Path | None = None, keep: int | None = None, using: str = "default") -> Made:
    """Write one backup file atomically (a temporary file renamed into place), mode 0600."""
    vendor = _vendor(using)
    directory = Path(settings.JIAOGONG_BACKUP_DIR)
    target = Path(output) if output else _default_path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not output:
        directory.chmod(0o700)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".jiaogong-backup-") as work:
        dump = Path(work) / DB_MEMBER[vendor]
        (_sqlite_copy if vendor == "sqlite" else _pg_dump)(using, dump)
        manifest = {
            "format": FORMAT,
            "app": "jiaogong",
            "version": _version(),
            "commit": _git_commit(),
            "engine": vendor,
            "created_at": timezone.now().isoformat(),
            "migrations": applied_migrations(using),
            "migration_leaves": migration_leaves(using),
            **snapshot(using),
            "members": {},
        }
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".jiaogong-backup-", suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                manifest["members"][DB_MEMBER[vendor]] = _add(tar, DB_MEMBER[vendor], dump)
                for name, path in _media_files():
                    manifest["members"][name] = _add(tar, name, path)
                body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(body))
            os.chmod(partial, 0o600)
            os.replace(partial, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise
    removed = prune(directory, keep) if keep else []
    return Made(path=target, manifest=manifest, removed=removed)


# ---- restore ----------------------------------------------------------------------------------


@dataclass
class Restored:
    manifest: dict
    files: int
    older_schema: bool
    figures_checked: bool = True


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    try:
        return tarfile.open(path, mode="r:gz")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"不是有效的备份文件（无法读取）：{path.name}") from exc


def _safe_member_name(name: str) -> None:
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or not parts:
        raise BackupError(f"备份中的文件名不安全，拒绝恢复：{name}")


def read_manifest(path: Path) -> dict:
    with _open(path) as tar:
        try:
            member = tar.getmember(MANIFEST)
            manifest = json.loads(tar.extractfile(member).read())
        except KeyError:
            raise BackupError("备份文件不完整：缺少清单 manifest.json（文件可能被截断）") from None
        except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
            raise BackupError("备份文件已损坏：清单 manifest.json 无法读取") from exc
    if not isinstance(manifest, dict) or manifest.get("app") != "jiaogong":
        raise BackupError("这不是教工之家的备份文件（清单不符）")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不受此版本支持")
    for key in ("engine", "members", "tables", "figures", "migrations"):
        if key not in manifest:
            raise BackupError(f"备份清单缺少 {key}")
    return manifest


def verify(path: Path) -> dict:
    """The manifest, after every member's sha256 is checked against it (and nothing is missing or
    extra). Touches nothing."""
    manifest = read_manifest(path)
    expected = dict(manifest["members"])
    if DB_MEMBER.get(manifest["engine"]) not in expected:
        raise BackupError("备份清单中没有数据库文件")
    seen = set()
    with _open(path) as tar:
        try:
            for member in tar:
                name = member.name
                if name == MANIFEST:
                    continue
                _safe_member_name(name)
                if name not in expected:
                    raise BackupError(f"备份中有清单之外的文件：{name}")
                if not member.isfile():
                    raise BackupError(f"备份中的 {name} 不是普通文件")
                sha = hashlib.sha256()
                with tar.extractfile(member) as data:
                    while chunk := data.read(CHUNK):
                        sha.update(chunk)
                if sha.hexdigest() != expected[name]:
                    raise BackupError(f"备份中的 {name} 校验和不符（文件已被改动或损坏），拒绝恢复")
                seen.add(name)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise BackupError(f"备份文件已损坏或不完整（读到 {len(seen)} 个文件后出错）") from exc
    if missing := sorted(set(expected) - seen):
        raise BackupError(
            f"备份文件不完整：缺少 {missing[0]}" + (f" 等 {len(missing)} 个文件" if len(missing) > 1 else "")
        )
    return manifest


def _check_schema(manifest: dict, using: str) -> bool:
    """Refuse a backup whose database has migrations this code does not know (a newer release).
    Returns True when the backup is older than the code (migrate after restoring)."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True, load=True)
    known = set(loader.disk_migrations) | set(loader.graph.nodes)
    unknown = sorted(
        (app, name)
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"备份来自较新的版本（数据库迁移 {app}.{name} 在当前程序中不存在），请先升级程序再恢复"
        )
    backed_up = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    return bool(set(loader.graph.nodes) - backed_up)


def _sqlite_restore(dump: Path, using: str) -> None:
    """Into the configured file through SQLite's backup API (it writes through SQLite's own locks
    and journal, so a WAL file beside the target is handled), Django's connections closed first."""
    connections.close_all()
    name = Path(connections[using].settings_dict["NAME"])
    name.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("备份中的 SQLite 数据库未通过完整性检查")
        dest = sqlite3.connect(name, timeout=30)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def _pg_restore(dump: Path, using: str, force: bool) -> None:
    connections.close_all()
    env, args = _pg_env_args(using)
    name = connections[using].settings_dict["NAME"]
    clean = ["--clean", "--if-exists"] if force else []
    _run(
        [
            "pg_restore",
            *args,
            f"--dbname={name}",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *clean,
            str(dump),
        ],
        env,
        "pg_restore 恢复数据库",
    )


def _restore_media(tar: tarfile.TarFile, manifest: dict) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    for member in tar:
        if not member.name.startswith(MEDIA_PREFIX) or member.name not in manifest["members"]:
            continue
        target = root / PurePosixPath(member.name[len(MEDIA_PREFIX) :])
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
        with os.fdopen(fd, "wb") as out, tar.extractfile(member) as data:
            shutil.copyfileobj(data, out, CHUNK)
        os.replace(partial, target)
        count += 1
    return count


def restore(path: Path, *, force: bool = False, using: str = "default") -> Restored:
    """Restore a backup into the configured database and MEDIA_ROOT, then check it (see module)."""
    path = Path(path)
    manifest = verify(path)
    vendor = _vendor(using)
    if manifest["engine"] != vendor:
        raise BackupError(
            f"这是 {ENGINE_NAMES.get(manifest['engine'], manifest['engine'])} 数据库的备份，"
            f"当前配置的是 {ENGINE_NAMES[vendor]}，不能恢复到这里"
        )
    older = _check_schema(manifest, using)
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if existing and not force:
        raise BackupError(
            f"数据库不是空的（已有 {len(existing)} 张表），恢复会覆盖其中的数据；确认覆盖请加 --force"
        )
    member = DB_MEMBER[vendor]
    with tempfile.TemporaryDirectory(prefix=".jiaogong-restore-") as work, _open(path) as tar:
        tar.extract(member, work, filter="data")
        dump = Path(work) / member
        if vendor == "sqlite":
            _sqlite_restore(dump, using)
        else:
            _pg_restore(dump, using, force)
    with _open(path) as tar:
        files = _restore_media(tar, manifest)
    connections.close_all()
    tables = table_counts(using)
    for table, count in manifest["tables"].items():
        if tables.get(table) != count:
            raise BackupError(
                f"恢复后核对不符：表 {table} 应有 {count} 行，实有 {tables.get(table, '（表不存在）')}"
            )
    try:
        now = figures(using)
    except DatabaseError:
        if not older:
            raise
        # The figures are computed through today's models; an older schema may not have their
        # columns yet: they are checked after `migrate` (the upgrade test keeps balances intact).
        return Restored(manifest=manifest, files=files, older_schema=older, figures_checked=False)
    if now != manifest["figures"]:
        differing = sorted(k for k in manifest["figures"] if now.get(k) != manifest["figures"][k])
        raise BackupError(f"恢复后核对不符：{'、'.join(differing) or '核对数字'} 与备份时不同")
    return Restored(manifest=manifest, files=files, older_schema=older)
