"""Backup and restore: one .tar.gz holding the database, the var directory's files and a MANIFEST.json.

The dump is the database's own, chosen per vendor because the audit log is append-only:
- PostgreSQL: pg_dump in its custom format, taken inside a REPEATABLE READ transaction whose snapshot pg_dump
  shares (--snapshot), so the row counts and the audit checksum in the manifest describe exactly the rows
  dumped while the application keeps writing. pg_dump keeps what a JSON dump (dumpdata) would lose or need
  rebuilding: the trigger that refuses UPDATE/DELETE on the audit log, the sequences' positions, every row
  as stored (exact decimals, jsonb, inet). Restore replays it with pg_restore | psql in ONE transaction: the
  target's old tables are dropped and the backup's created, or nothing changes.
- SQLite: the sqlite3 online backup API, a consistent copy of the open database while the application runs
  (readers do not block writers in WAL mode); restore copies it back the same way, page by page, into the
  open database, replacing every table.
Restoring across vendors (PostgreSQL into SQLite or back) is refused: the dumps are the vendors' own.

The var directory's files leave out the backups and the background exports (var/downloads/: regenerable).

MANIFEST.json: format, created_at, the database vendor and dump file, the latest applied migration per app,
the row count of every table, the audit log's row count and SHA-256 (over every column of every row, in id
order), and the SHA-256 and size of every file in the archive. Restore checks every file against it before
touching anything, and the restored database's counts and audit checksum against it afterwards.

core knows no business: it finds the audit log's table through the app registry, not an import.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "zhaoshang-backup/1"
MANIFEST = "MANIFEST.json"
ARCHIVE_PREFIX = "zhaoshang-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
ARCHIVE_NAME = re.compile(r"zhaoshang-backup-(?P<time>\d{8}-\d{6})(?:-(?P<n>\d+))?\.tar\.gz")
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
FILES_DIR = "files"
# Where `backup` writes by default; never itself backed up (each archive would hold all the earlier ones).
BACKUPS_SUBDIR = "backups"
# Half-written files: an archive being written, a download in progress.
TEMPORARY_SUFFIXES = (".part", ".tmp", ".temp")
# Files that may hold secrets in clear (an uploaded 账号 sheet with initial passwords waits a few minutes under
# var/imports as secret-….xlsx): never copied into a backup that is kept for days.
SECRET_PREFIX = "secret-"
# Tables `migrate` fills by itself: a database holding rows only there has no data of its own.
MIGRATE_FILLED = {"django_migrations", "django_content_type", "auth_permission"}
CHUNK = 1024 * 1024
AUDIT_PAGE = 2000


class BackupError(Exception):
    """A refusal or failure, worded for the operator (Chinese); nothing secret in it."""


@dataclass
class DatabaseState:
    counts: dict
    audit: dict
    migrations: dict = field(default_factory=dict)


@dataclass
class RestoreResult:
    manifest: dict
    replaced: list  # what the target held before (lines), empty when it held no data
    pending_migrations: list  # migrations of this program the restored database has not applied
    files_written: int


# ---------------------------------------------------------------------------------------------------------
# What a database holds: tables and their row counts, the audit log's checksum, the applied migrations.
# Each works on any DB-API cursor (Django's, or sqlite3's on a copy) so a backup's figures and a restored
# database's are computed by the same code.


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def table_counts(cursor, vendor: str) -> dict:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _audit_model():
    return apps.get_model("audit", "AuditEntry")


def _columns(cursor, vendor: str, table: str) -> list[str]:
    """The table's columns as they are in this database (a backup may predate a column the code knows)."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            f"AND table_name = '{table}' ORDER BY column_name"
        )
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(f"PRAGMA table_info({_quote(table)})")
    return sorted(row[1] for row in cursor.fetchall())


def _canonical(value, kind: str):
    """One spelling per value whichever driver read it: times in UTC ISO, JSON re-serialised with sorted keys."""
    if value is None:
        return None
    if kind == "datetime":
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if kind == "json":
        if isinstance(value, (bytes, memoryview)):
            value = bytes(value).decode()
        if isinstance(value, str):
            value = json.loads(value)
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (int, str, float, bool)):
        return value
    return str(value)  # inet, Decimal, dates


def audit_digest(cursor, vendor: str) -> dict:
    """{"rows": n, "sha256": …} over every column of every audit entry, in id order, read a page at a time."""
    model = _audit_model()
    table = model._meta.db_table
    if table not in _tables(cursor, vendor):
        return {"rows": 0, "sha256": hashlib.sha256().hexdigest()}
    kinds = {f.column: f.get_internal_type() for f in model._meta.concrete_fields}
    columns = _columns(cursor, vendor, table)
    special = {"DateTimeField": "datetime", "JSONField": "json"}
    kind_of = [special.get(kinds.get(c), "") for c in columns]
    id_at = columns.index("id")
    select = ", ".join(_quote(c) for c in columns)
    digest, rows, last = hashlib.sha256(), 0, None
    while True:
        where = "" if last is None else f"WHERE id > {int(last)} "
        cursor.execute(f"SELECT {select} FROM {_quote(table)} {where}ORDER BY id LIMIT {AUDIT_PAGE}")
        page = cursor.fetchall()
        if not page:
            break
        for row in page:
            values = dict(zip(columns, (_canonical(v, k) for v, k in zip(row, kind_of, strict=True)), strict=True))
            digest.update(json.dumps(values, ensure_ascii=False, sort_keys=True).encode())
            digest.update(b"\n")
        rows += len(page)
        last = page[-1][id_at]
    return {"rows": rows, "sha256": digest.hexdigest()}


def applied_migrations(cursor, vendor: str) -> dict:
    """{app: its latest applied migration} (migration names start with their number)."""
    if "django_migrations" not in _tables(cursor, vendor):
        return {}
    cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app ORDER BY app")
    return dict(cursor.fetchall())


def database_state(cursor, vendor: str) -> DatabaseState:
    return DatabaseState(
        counts=table_counts(cursor, vendor),
        audit=audit_digest(cursor, vendor),
        migrations=applied_migrations(cursor, vendor),
    )


def _own_rows(counts: dict) -> dict:
    return {t: n for t, n in counts.items() if n and t not in MIGRATE_FILLED}


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL client tools. The password goes to them in PGPASSWORD, never on a command line (ps shows those)
# nor in any message.


def pg_connection(settings_dict: dict) -> tuple[list[str], dict]:
    """(connection arguments without the database name, environment) for pg_dump, pg_restore and psql."""
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(key):
            env[var] = str(options[key])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 PostgreSQL 客户端程序 {name}：请安装 postgresql-client（版本不低于数据库服务器）")
    return path


def _tool_failed(name: str, stderr_path: Path, note: str = "") -> BackupError:
    text = stderr_path.read_text(errors="replace").strip() if stderr_path.exists() else ""
    return BackupError(f"{name} 执行失败{note}：{text[-2000:] or '（无输出）'}")


def _pg_dump(conn, snapshot: str, out: Path, workdir: Path) -> None:
    args, env = pg_connection(conn.settings_dict)
    err = workdir / "pg_dump.err"
    with err.open("wb") as stderr:
        done = subprocess.run(
            [_tool("pg_dump"), *args, "--format=custom", f"--snapshot={snapshot}", f"--file={out}", "--no-password"]
            + [f"--dbname={conn.settings_dict['NAME']}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            check=False,
        )
    if done.returncode != 0:
        raise _tool_failed("pg_dump", err)


def _pg_check_dump(conn, dump: Path, workdir: Path) -> None:
    """pg_restore --list reads the whole table of contents: a dump it cannot read is refused before any change."""
    err = workdir / "pg_restore-list.err"
    with err.open("wb") as stderr:
        done = subprocess.run(
            [_tool("pg_restore"), "--list", str(dump)], stdout=subprocess.DEVNULL, stderr=stderr, check=False
        )
    if done.returncode != 0:
        raise _tool_failed("pg_restore", err)


def _pg_restore(conn, dump: Path, workdir: Path) -> None:
    """One transaction: drop every table of the target's schema, then run the backup's script (pg_restore
    --clean --if-exists also drops the functions and triggers it creates). We open the transaction and commit it
    only once pg_restore has written its whole script and psql has run every statement (ON_ERROR_STOP); any
    failure leaves it uncommitted, and the target is as it was."""
    args, env = pg_connection(conn.settings_dict)
    with conn.cursor() as cursor:
        tables = _tables(cursor, "postgresql")
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    conn.close()  # our own idle connection must not hold anything the drops wait for
    preamble = "SET client_min_messages = warning;\nBEGIN;\n" + "".join(
        f"DROP TABLE IF EXISTS {_quote(schema)}.{_quote(t)} CASCADE;\n" for t in tables
    )
    restore_err, psql_err = workdir / "pg_restore.err", workdir / "psql.err"
    with restore_err.open("wb") as e1, psql_err.open("wb") as e2:
        producer = subprocess.Popen(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=e1,
        )
        consumer = subprocess.Popen(
            [_tool("psql"), *args, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1"]
            + [f"--dbname={conn.settings_dict['NAME']}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=e2,
            env=env,
        )
        psql_stopped = False
        try:
            consumer.stdin.write(preamble.encode())
            shutil.copyfileobj(producer.stdout, consumer.stdin, CHUNK)
            if producer.wait() == 0:
                consumer.stdin.write(b"COMMIT;\n")
            # else: no COMMIT; psql reaches the end of its input inside the transaction, which the server then
            # rolls back (a ROLLBACK written here could land inside a COPY block the dump broke off in)
        except BrokenPipeError:
            psql_stopped = True  # psql stopped on an error, its transaction uncommitted: its message says which
        finally:
            producer.stdout.close()
            try:
                consumer.stdin.close()
            except BrokenPipeError:
                psql_stopped = True
        producer_rc, consumer_rc = producer.wait(), consumer.wait()
    rolled_back = "，恢复已整体回滚，目标数据库未改变"
    if psql_stopped or (consumer_rc != 0 and producer_rc == 0):
        raise _tool_failed("psql", psql_err, rolled_back)
    if producer_rc != 0:
        raise _tool_failed("pg_restore", restore_err, rolled_back)


# ---------------------------------------------------------------------------------------------------------
# Files


class _HashingReader:
    def __init__(self, f):
        self.f, self.digest = f, hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _sqlite_files(conn) -> set[Path]:
    """The SQLite database file and its companions (in the dump already, or transient), if it is a file."""
    name = str(conn.settings_dict["NAME"])
    if conn.vendor != "sqlite" or name == ":memory:" or name.startswith("file:"):
        return set()
    db = Path(name).resolve()
    return {db} | {db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal")}


def _var_files(var_dir: Path, skip: set[Path], skip_dirs: set[Path]) -> list[tuple[Path, str]]:
    """(path, archive-relative POSIX name) of every regular file under var_dir worth keeping; symbolic links
    are neither followed nor kept."""
    found = []
    if not var_dir.is_dir():
        return found
    for top, dirs, names in os.walk(var_dir):
        top_path = Path(top)
        dirs[:] = sorted(
            d for d in dirs if (top_path / d).resolve() not in skip_dirs and not (top_path / d).is_symlink()
        )
        for name in sorted(names):
            path = top_path / name
            if path.is_symlink() or not path.is_file() or path.resolve() in skip:
                continue
            if name.endswith(TEMPORARY_SUFFIXES) or name.startswith(SECRET_PREFIX):
                continue
            found.append((path, path.relative_to(var_dir).as_posix()))
    return found


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict | None:
    """Adds one file, hashing the very bytes archived; None if it vanished meanwhile (an import preview swept)."""
    try:
        f = path.open("rb")
    except FileNotFoundError:
        return None
    with f:
        stat = os.fstat(f.fileno())
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": stat.st_size}


# ---------------------------------------------------------------------------------------------------------
# backup


def default_output_dir() -> Path:
    return Path(settings.VAR_DIR) / BACKUPS_SUBDIR


def _archive_path(output_dir: Path, now: datetime) -> Path:
    stem = ARCHIVE_PREFIX + timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    path, n = output_dir / f"{stem}{ARCHIVE_SUFFIX}", 1
    while path.exists():
        n += 1
        path = output_dir / f"{stem}-{n}{ARCHIVE_SUFFIX}"
    return path


def _dump(conn, workdir: Path) -> tuple[Path, DatabaseState]:
    """The dump file and the state it holds, both from one consistent view of the database."""
    out = workdir / DUMP_NAMES[conn.vendor]
    if conn.vendor == "postgresql":
        if conn.in_atomic_block:
            raise BackupError("备份须在事务之外执行")
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _pg_dump(conn, snapshot, out, workdir)  # sees exactly what this transaction sees
            return out, database_state(cursor, "postgresql")
    conn.ensure_connection()
    copy = sqlite3.connect(out)
    try:
        conn.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return out, database_state(copy.cursor(), "sqlite")
    finally:
        copy.close()


def backup_create(*, output_dir: Path | None = None, using: str = "default", now: datetime | None = None) -> tuple:
    """Writes one archive into output_dir (the var directory's backups/ by default); returns (path, manifest).
    The archive is written under a .part name and renamed when complete, readable by its owner only (it holds
    every account's password hash)."""
    conn = connections[using]
    if conn.vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份 {conn.vendor} 数据库（仅支持 PostgreSQL 与 SQLite）")
    now = now or timezone.now()
    output_dir = Path(output_dir or default_output_dir())
    var_dir = Path(settings.VAR_DIR)
    try:
        output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        workdir = Path(tempfile.mkdtemp(prefix=".backup-", dir=output_dir))
    except OSError as exc:
        raise BackupError(f"写入备份失败：{exc.strerror or exc}（{output_dir}）") from None
    final = _archive_path(output_dir, now)
    part = final.with_name(final.name + ".part")
    try:
        dump, state = _dump(conn, workdir)
        # Left out: the backups themselves, and the background exports (DOWNLOADS_DIR): files made again from the
        # database on request, often large, and kept a few days only; after a restore their links say "已过保留期".
        downloads = Path(getattr(settings, "DOWNLOADS_DIR", var_dir / "downloads"))
        skip_dirs = {output_dir.resolve(), (var_dir / BACKUPS_SUBDIR).resolve(), workdir.resolve(), downloads.resolve()}
        files = {}
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            files[dump.name] = _add_file(tar, dump, dump.name)
            for path, rel in _var_files(var_dir, _sqlite_files(conn), skip_dirs):
                added = _add_file(tar, path, f"{FILES_DIR}/{rel}")
                if added is not None:
                    files[f"{FILES_DIR}/{rel}"] = added
            manifest = {
                "format": FORMAT,
                "created_at": timezone.localtime(now).isoformat(),
                "database": {"vendor": conn.vendor, "dump": dump.name},
                "migrations": state.migrations,
                "row_counts": state.counts,
                "audit": state.audit,
                "files": files,
            }
            manifest["manifest_sha256"] = manifest_digest(manifest)
            data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
        os.replace(part, final)
    except OSError as exc:  # a full disk, a directory not writable: no half archive is left behind
        raise BackupError(f"写入备份失败：{exc.strerror or exc}（{exc.filename or output_dir}）") from None
    finally:
        part.unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)
    return final, manifest


def _archive_order(path: Path):
    """(time, sequence) from a name `zhaoshang-backup-YYYYmmdd-HHMMSS[-N].tar.gz`; None for any other name."""
    match = ARCHIVE_NAME.fullmatch(path.name)
    return (match["time"], int(match["n"] or 1)) if match else None


def backup_prune(*, output_dir: Path, keep: int) -> list[Path]:
    """Deletes all but the newest `keep` archives in output_dir (by the time in their names; files named
    otherwise are left alone); returns those deleted."""
    if keep < 1:
        raise BackupError("保留份数至少为 1")
    archives = sorted((p for p in Path(output_dir).iterdir() if _archive_order(p)), key=_archive_order, reverse=True)
    removed = archives[keep:]
    for path in removed:
        path.unlink()
    return removed


# ---------------------------------------------------------------------------------------------------------
# restore


def manifest_digest(manifest: dict) -> str:
    """SHA-256 of the manifest without its own digest: a changed byte in MANIFEST.json is refused too."""
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def _unpack(archive: Path, workdir: Path) -> dict:
    """Extracts the archive into workdir (our own copy loop: no links, no paths outside workdir) and checks
    every file against the manifest. Returns the manifest; raises BackupError on any doubt."""
    hashes = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"备份文件中有不允许的条目：{member.name!r}")
                target = workdir / "content" / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                reader = _HashingReader(tar.extractfile(member))
                with target.open("wb") as out:
                    shutil.copyfileobj(reader, out, CHUNK)
                hashes[member.name] = (reader.digest.hexdigest(), member.size)
            # Read on to the end of the gzip stream so its CRC is checked too (tar stops at its end marker).
            while tar.fileobj.read(CHUNK):
                pass
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件：{archive}") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"备份文件已损坏或不完整，无法读取（{type(exc).__name__}），未做任何改动") from None
    if MANIFEST not in hashes:
        raise BackupError("备份文件中没有 MANIFEST.json，不是本系统的备份，未做任何改动")
    try:
        manifest = json.loads((workdir / "content" / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BackupError("MANIFEST.json 无法解析，备份已损坏，未做任何改动") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式（应为 {FORMAT}），未做任何改动")
    if manifest.get("manifest_sha256") != manifest_digest(manifest):
        raise BackupError("MANIFEST.json 校验和不符，备份已损坏或被改动，未做任何改动")
    listed = manifest.get("files") or {}
    del hashes[MANIFEST]
    missing, extra = sorted(set(listed) - set(hashes)), sorted(set(hashes) - set(listed))
    if missing:
        raise BackupError(f"备份不完整，缺少清单所列文件：{'、'.join(missing[:5])}，未做任何改动")
    if extra:
        raise BackupError(f"备份中有清单未列出的文件：{'、'.join(extra[:5])}，未做任何改动")
    wrong = [n for n, (sha, size) in sorted(hashes.items()) if listed[n] != {"sha256": sha, "size": size}]
    if wrong:
        raise BackupError(f"校验和不符，备份已损坏或被改动：{'、'.join(wrong[:5])}，未做任何改动")
    return manifest


def _check_fits(manifest: dict, conn) -> None:
    vendor = (manifest.get("database") or {}).get("vendor")
    if vendor != conn.vendor:
        raise BackupError(
            f"这是 {VENDOR_NAMES.get(vendor, vendor)} 数据库的备份，只能恢复到 {VENDOR_NAMES.get(vendor, vendor)}；"
            f"当前数据库是 {VENDOR_NAMES.get(conn.vendor, conn.vendor)}（不支持跨数据库恢复），未做任何改动"
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    applied = sorted((manifest.get("migrations") or {}).items())
    unknown = [f"{app}.{name}" for app, name in applied if (app, name) not in known]
    if unknown:
        raise BackupError(
            f"备份的数据库结构比本程序新（本程序没有迁移 {'、'.join(unknown[:5])}）：请先升级程序再恢复，未做任何改动"
        )


def _precheck_dump(manifest: dict, conn, dump: Path, workdir: Path) -> None:
    """Before touching the target: the dump must be readable, and (SQLite, where we can look inside without
    restoring) hold exactly the rows the manifest says."""
    if conn.vendor == "postgresql":
        _pg_check_dump(conn, dump, workdir)
        return
    copy = sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)
    try:
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("备份中的 SQLite 数据库文件已损坏，未做任何改动")
        state = database_state(copy.cursor(), "sqlite")
    except sqlite3.DatabaseError:
        raise BackupError("备份中的 SQLite 数据库文件无法读取，未做任何改动") from None
    finally:
        copy.close()
    problems = _compare(manifest, state)
    if problems:
        raise BackupError("备份中的数据库与清单不符：" + "；".join(problems) + "，未做任何改动")


def _compare(manifest: dict, state: DatabaseState) -> list[str]:
    problems = []
    expected = manifest.get("row_counts") or {}
    for table in sorted(set(expected) | set(state.counts)):
        if expected.get(table) != state.counts.get(table):
            want, have = expected.get(table, "（无此表）"), state.counts.get(table, "（无此表）")
            problems.append(f"表 {table} 应有 {want} 行，实有 {have} 行")
    if (manifest.get("audit") or {}) != state.audit:
        problems.append("审计日志校验和不符")
    return problems


def describe_rows(counts: dict) -> str:
    own = _own_rows(counts)
    audit = counts.get(_audit_model()._meta.db_table, 0)
    biggest = sorted(own.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return (
        f"{len(own)} 张表共 {sum(own.values())} 行（审计日志 {audit} 条；最多的："
        + "，".join(f"{t} {n} 行" for t, n in biggest)
        + "）"
    )


def _restore_files(manifest: dict, content: Path, var_dir: Path, conn) -> int:
    """Writes each archived file back under var_dir (atomically: a temporary name, then rename). Files of the
    var directory that the backup does not hold are left as they are."""
    forbidden = _sqlite_files(conn)
    names = [n for n in sorted(manifest["files"]) if n.startswith(f"{FILES_DIR}/")]
    for name in names:
        target = var_dir / PurePosixPath(name).relative_to(FILES_DIR)
        if target.resolve() in forbidden:
            raise BackupError(f"备份中的文件 {name} 会覆盖数据库文件，已拒绝")
    for name in names:
        target = var_dir / PurePosixPath(name).relative_to(FILES_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.restore.tmp")
        shutil.copyfile(content / name, temp)
        os.replace(temp, target)
    return len(names)


def restore_inspect(*, archive: Path, using: str = "default") -> tuple[dict, dict]:
    """(manifest, the target's current row counts) after every check that needs no change: for a dry look."""
    conn = connections[using]
    workdir = Path(tempfile.mkdtemp(prefix="zhaoshang-restore-"))
    try:
        manifest = _unpack(Path(archive), workdir)
        _check_fits(manifest, conn)
        _precheck_dump(manifest, conn, workdir / "content" / manifest["database"]["dump"], workdir)
        with conn.cursor() as cursor:
            return manifest, table_counts(cursor, conn.vendor)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def backup_restore(*, archive: Path, using: str = "default", force: bool = False, on_replace=None) -> RestoreResult:
    """Restores an archive into the database `using` and the var directory. Every check that needs no change
    comes first (checksums, vendor, migrations, the dump itself); a target holding data of its own is refused
    unless force (on_replace(lines) is told what is replaced before it is). Afterwards the restored database's
    row counts and audit checksum must equal the manifest's, else BackupError."""
    conn = connections[using]
    if conn.in_atomic_block:
        raise BackupError("恢复须在事务之外执行")
    workdir = Path(tempfile.mkdtemp(prefix="zhaoshang-restore-"))
    try:
        manifest = _unpack(Path(archive), workdir)
        content = workdir / "content"
        dump = content / manifest["database"]["dump"]
        _check_fits(manifest, conn)
        _precheck_dump(manifest, conn, dump, workdir)
        with conn.cursor() as cursor:
            current = table_counts(cursor, conn.vendor)
        var_dir = Path(settings.VAR_DIR)
        overwritten = [
            n
            for n in manifest["files"]
            if n.startswith(f"{FILES_DIR}/") and (var_dir / PurePosixPath(n).relative_to(FILES_DIR)).exists()
        ]
        replaced = []
        if _own_rows(current):
            replaced.append(f"数据库中现有的 {describe_rows(current)}")
        if overwritten:
            replaced.append(f"var 目录中 {len(overwritten)} 个与备份同名的文件")
        if _own_rows(current) and not force:
            raise BackupError(
                "目标数据库已有数据，恢复将替换：" + "；".join(replaced) + "。确认要用备份整体替换时，"
                "加 --force 重新执行；未做任何改动"
            )
        if replaced and on_replace is not None:
            on_replace(replaced)
        _replace_database(conn, dump, workdir)
        # The restored data's version numbers (org.DataChange) may be ones a shared cache (Redis) already holds
        # figures of the replaced data under: forget them all. A per-process cache goes with the restart.
        cache.clear()
        written = _restore_files(manifest, content, var_dir, conn)
        conn.close()
        with conn.cursor() as cursor:
            state = database_state(cursor, conn.vendor)
        problems = _compare(manifest, state)
        if problems:
            raise BackupError("恢复后的数据库与备份清单不符：" + "；".join(problems))
        return RestoreResult(manifest, replaced, _pending_migrations(conn), written)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _replace_database(conn, dump: Path, workdir: Path) -> None:
    if conn.vendor == "postgresql":
        _pg_restore(conn, dump, workdir)
        return
    conn.ensure_connection()
    source = sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)
    try:
        source.backup(conn.connection)  # replaces every page of the open database in one step
    except sqlite3.Error:
        raise BackupError("写入 SQLite 数据库失败（数据库被占用？请先停止应用再恢复）") from None
    finally:
        source.close()
    conn.close()  # the next connection runs the settings' PRAGMAs (WAL) on the restored file


def _pending_migrations(conn) -> list[str]:
    executor = MigrationExecutor(conn)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]
