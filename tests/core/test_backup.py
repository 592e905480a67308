"""backup and restore: a round trip on the test database's own vendor (row counts and the audit checksum equal),
and every refusal before anything is touched. The tests commit for real (pg_dump reads committed rows only) and
restore into a second database: on PostgreSQL one created and dropped here, on SQLite a file under tmp_path."""

import hashlib
import io
import json
import tarfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from tests.factories import make_project
from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.core.backup import (
    MANIFEST,
    backup_create,
    database_state,
    manifest_digest,
    pg_connection,
)

pytestmark = pytest.mark.django_db(transaction=True)

TARGET = "restore_target"
PREVIEW = "imports/0123abcd.xlsx"
NOTE = "报表/说明 2026.txt"


@pytest.fixture
def var_dir(settings, tmp_path):
    var = tmp_path / "var"
    (var / "imports").mkdir(parents=True)
    (var / PREVIEW).write_bytes(b"PK\x03\x04 a preview waiting to be committed")
    (var / NOTE).parent.mkdir()
    (var / NOTE).write_text("中文文件名也能备份", encoding="utf-8")
    (var / "half-written.tmp").write_bytes(b"temporary")
    (var / "imports" / "secret-0123abcd.xlsx").write_bytes(b"an accounts sheet with initial passwords in clear")
    (var / "backups").mkdir()
    (var / "backups" / "zhaoshang-backup-20250101-000000.tar.gz").write_bytes(b"an older backup")
    (var / "downloads").mkdir()
    (var / "downloads" / "3-ledger.xlsx").write_bytes(b"PK\x03\x04 a background export, made again on request")
    settings.VAR_DIR, settings.DOWNLOADS_DIR = var, var / "downloads"
    return var


@pytest.fixture
def seeded(county, var_dir):
    for _ in range(3):
        make_project(county.bureau, county.town)
    with transaction.atomic():
        record(
            county.bureau,
            action="project.updated",
            target=county.project,
            data={"name": ["旧名称", "新名称"], "amount": ["1.50", "2.00"], "nested": {"b": 1, "a": [1, 2]}},
            source=Source.PAGE,
            ip="10.0.0.1",
        )
        record(None, action="totals.rebuilt", source=Source.COMMAND, data={"unit_rows": 3})
    return county


@pytest.fixture
def target(transactional_db, tmp_path):
    """A second, empty database under the alias TARGET."""
    default = connections["default"]
    config = dict(default.settings_dict)
    if default.vendor == "postgresql":
        config["NAME"] = f"{default.settings_dict['NAME']}_restore"
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    else:
        config["NAME"] = str(tmp_path / "restored.sqlite3")
    use_target(config)
    yield TARGET
    connections[TARGET].close()
    del connections[TARGET]
    if default.vendor == "postgresql":
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


def use_target(config):
    """Registers a connection under TARGET the way Django's tests allow a database made at run time: the
    connection object only, not a settings entry (an alias in the settings must be declared by the test case)."""
    connections.settings[TARGET] = config
    try:
        connection = connections.create_connection(TARGET)
    finally:
        del connections.settings[TARGET]
    connections[TARGET] = connection


def state(alias):
    conn = connections[alias]
    with conn.cursor() as cursor:
        return database_state(cursor, conn.vendor)


def make_backup(tmp_path) -> Path:
    out = StringIO()
    call_command("backup", output=str(tmp_path / "out"), stdout=out)
    assert "备份完成" in out.getvalue()
    (archive,) = (tmp_path / "out").glob("zhaoshang-backup-*.tar.gz")
    return archive


def read_archive(archive) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def write_archive(path, members: dict) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def repack(archive, path, *, edit_manifest=None, edit_files=None, rehash=False, reseal=True) -> Path:
    """A copy of the archive with its files or manifest changed. rehash lists the changed files' checksums in the
    manifest and reseal recomputes the manifest's own digest: a backup written wrong, as opposed to one damaged
    afterwards."""
    members = read_archive(archive)
    manifest = json.loads(members.pop(MANIFEST))
    if edit_files:
        edit_files(members)
    if rehash:
        manifest["files"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()}
    if edit_manifest:
        edit_manifest(manifest)
    if reseal:
        manifest["manifest_sha256"] = manifest_digest(manifest)
    members[MANIFEST] = json.dumps(manifest).encode()
    return write_archive(path, members)


def restore(archive, *args, database=TARGET):
    out = StringIO()
    call_command("restore", str(archive), *args, database=database, stdout=out)
    return out.getvalue()


def assert_untouched(alias, settings):
    assert state(alias).counts == {}, "the target database was changed"
    assert not any(p.is_file() for p in Path(settings.VAR_DIR).rglob("*")), "files were written"


def test_it_round_trips_the_database_and_the_var_files(seeded, target, tmp_path, settings, var_dir):
    archive = make_backup(tmp_path)
    original = state("default")
    manifest = json.loads(read_archive(archive)[MANIFEST])
    assert manifest["database"]["vendor"] == connections["default"].vendor
    assert manifest["row_counts"] == original.counts and manifest["audit"] == original.audit
    assert original.counts["projects_project"] == 6 and original.audit["rows"] >= 8
    assert manifest["migrations"] == original.migrations and "audit" in manifest["migrations"]
    # The var directory's files, not the temporary ones, earlier backups, a sheet holding passwords, nor the
    # background exports (var/downloads/: made again from the database on request).
    assert sorted(manifest["files"]) == sorted([manifest["database"]["dump"], f"files/{PREVIEW}", f"files/{NOTE}"])
    assert oct((archive.stat().st_mode & 0o777)) == oct(0o600)

    settings.VAR_DIR = tmp_path / "var-restored"
    assert state(TARGET).audit != original.audit  # the checksum tells an empty log from this one
    output = restore(archive)

    assert "恢复完成" in output and "审计日志 " in output
    restored = state(TARGET)
    assert restored.counts == original.counts
    assert restored.audit == original.audit
    assert restored.migrations == original.migrations
    for name in (PREVIEW, NOTE):
        assert (settings.VAR_DIR / name).read_bytes() == (var_dir / name).read_bytes()
    assert not (settings.VAR_DIR / "half-written.tmp").exists() and not (settings.VAR_DIR / "backups").exists()
    assert not (settings.VAR_DIR / "downloads").exists()


def test_it_keeps_the_audit_log_append_only_and_the_sequences_on_postgresql(seeded, target, tmp_path):
    if connections["default"].vendor != "postgresql":
        pytest.skip("the trigger and sequences are PostgreSQL's; CI runs this on PostgreSQL")
    restore(make_backup(tmp_path))
    conn = connections[TARGET]
    with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic(using=TARGET):
        with conn.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    with conn.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM projects_project")
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT nextval('projects_project_id_seq')")
        assert cursor.fetchone()[0] > highest


def test_it_leaves_a_postgresql_database_as_it_was_when_the_restore_fails(seeded, target, tmp_path):
    if connections["default"].vendor != "postgresql":
        pytest.skip("SQLite's restore is one call of its backup API; CI runs this on PostgreSQL")
    archive = make_backup(tmp_path)
    restore(archive)
    with connections[TARGET].cursor() as cursor:
        # A type named like one of the backup's tables: dropping the tables leaves it, creating the table fails.
        cursor.execute("ALTER TABLE django_session RENAME TO django_session_kept")
        cursor.execute("CREATE TYPE django_session AS (x integer)")
    before = state(TARGET)

    with pytest.raises(CommandError, match="psql 执行失败，恢复已整体回滚"):
        restore(archive, "--force")
    assert state(TARGET) == before
    assert "django_session_kept" in before.counts and "projects_project" in before.counts


def test_it_leaves_a_postgresql_database_as_it_was_when_the_dump_breaks_off(seeded, target, tmp_path):
    if connections["default"].vendor != "postgresql":
        pytest.skip("pg_restore is PostgreSQL's; CI runs this on PostgreSQL")
    archive = make_backup(tmp_path)
    restore(archive)
    before = state(TARGET)

    def cut_the_end(members):  # its table of contents still reads, its last data block does not
        members["database.pgdump"] = members["database.pgdump"][:-100]

    broken = repack(archive, tmp_path / "broken.tar.gz", edit_files=cut_the_end, rehash=True)
    with pytest.raises(CommandError, match="pg_restore 执行失败，恢复已整体回滚"):
        restore(broken, "--force")
    assert state(TARGET) == before


def test_it_refuses_an_archive_with_one_byte_changed(seeded, target, tmp_path, settings):
    archive = make_backup(tmp_path)
    settings.VAR_DIR = tmp_path / "var-restored"
    data = archive.read_bytes()
    for position in (len(data) // 10, len(data) // 2, len(data) * 9 // 10, len(data) - 3):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        bad = tmp_path / f"damaged-{position}.tar.gz"
        bad.write_bytes(bytes(damaged))
        with pytest.raises(CommandError, match="损坏|校验和不符|不是本系统的备份"):
            restore(bad)
        assert_untouched(TARGET, settings)


def test_it_refuses_a_file_that_does_not_match_its_checksum(seeded, target, tmp_path, settings):
    archive = make_backup(tmp_path)
    settings.VAR_DIR = tmp_path / "var-restored"

    def change_one_byte(members):
        content = bytearray(members[f"files/{PREVIEW}"])
        content[5] ^= 0x01
        members[f"files/{PREVIEW}"] = bytes(content)

    bad = repack(archive, tmp_path / "bad.tar.gz", edit_files=change_one_byte)
    with pytest.raises(CommandError, match=f"校验和不符.*files/{PREVIEW}"):
        restore(bad)
    assert_untouched(TARGET, settings)


def other_vendor(manifest):
    manifest["database"]["vendor"] = "sqlite" if connections["default"].vendor == "postgresql" else "postgresql"


@pytest.mark.parametrize(
    "changes, refusal",
    [
        pytest.param(
            {"edit_manifest": lambda m: m["row_counts"].update(x=1), "reseal": False},
            "MANIFEST.json 校验和不符",
            id="manifest-changed-unsealed",
        ),
        pytest.param({"edit_manifest": other_vendor}, "不支持跨数据库恢复", id="other-database-vendor"),
        pytest.param(
            {"edit_manifest": lambda m: m["migrations"].update(audit="9999_x")},
            "请先升级程序",
            id="newer-than-the-program",
        ),
        pytest.param(
            {"edit_files": lambda members: members.update({"../evil": b"x"})},
            "不允许的条目",
            id="entry-outside-the-archive",
        ),
    ],
)
def test_it_refuses_an_archive_before_touching_anything(seeded, target, tmp_path, settings, changes, refusal):
    archive = make_backup(tmp_path)
    settings.VAR_DIR = tmp_path / "var-restored"
    changed = repack(archive, tmp_path / "changed.tar.gz", **changes)
    with pytest.raises(CommandError, match=refusal):
        restore(changed)
    assert not (tmp_path / "evil").exists()  # where an entry outside the archive would land
    assert_untouched(TARGET, settings)


def test_it_reports_a_restored_audit_log_that_differs_from_the_manifest(seeded, target, tmp_path, settings):
    archive = make_backup(tmp_path)
    settings.VAR_DIR = tmp_path / "var-restored"
    wrong = repack(archive, tmp_path / "wrong.tar.gz", edit_manifest=lambda m: m["audit"].update(sha256="0" * 64))
    with pytest.raises(CommandError, match="审计日志校验和不符"):
        restore(wrong)


def test_it_refuses_a_database_with_data_unless_forced(seeded, target, tmp_path, settings):
    archive = make_backup(tmp_path)
    settings.VAR_DIR = tmp_path / "var-restored"
    restore(archive)
    before = state(TARGET)

    with pytest.raises(CommandError, match="已有数据.*审计日志 \\d+ 条.*--force"):
        restore(archive)
    assert state(TARGET) == before
    with pytest.raises(CommandError, match="已有数据"):
        restore(archive, database="default")  # the live database, which holds the same rows
    assert state("default") == before

    output = restore(archive, "--force")
    assert "将被替换" in output and "恢复完成" in output
    assert state(TARGET) == before


def test_it_checks_an_archive_without_changing_anything(seeded, target, tmp_path, settings):
    archive = make_backup(tmp_path)
    settings.VAR_DIR = tmp_path / "var-restored"
    output = restore(archive, "--check")
    assert "备份文件完好" in output
    assert_untouched(TARGET, settings)


def test_it_keeps_the_newest_backups(seeded, tmp_path):
    out_dir = tmp_path / "out"
    long_ago = timezone.now() - timedelta(days=10)
    old = [backup_create(output_dir=out_dir, now=long_ago + timedelta(days=d))[0] for d in range(3)]
    (out_dir / "notes.txt").write_text("not a backup")
    output = StringIO()
    call_command("backup", output=str(out_dir), keep=2, stdout=output)
    left = sorted(p.name for p in out_dir.iterdir())
    assert len(left) == 3 and "notes.txt" in left and old[2].name in left
    assert not old[0].exists() and not old[1].exists()
    assert "已删除旧备份" in output.getvalue()


def test_it_says_why_it_cannot_write_the_backup(seeded, tmp_path):
    not_a_directory = tmp_path / "taken"
    not_a_directory.write_text("a file where the backups should go")
    with pytest.raises(CommandError, match="写入备份失败"):
        call_command("backup", output=str(not_a_directory), stdout=StringIO())
    assert not_a_directory.read_text() == "a file where the backups should go"


def test_it_names_the_missing_postgresql_client(seeded, tmp_path, monkeypatch):
    if connections["default"].vendor != "postgresql":
        pytest.skip("SQLite needs no client program")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="找不到 PostgreSQL 客户端程序 pg_dump.*postgresql-client"):
        call_command("backup", output=str(tmp_path / "out"), stdout=StringIO())
    assert not list((tmp_path / "out").iterdir())  # no archive, no leftovers


def test_it_leaves_the_sqlite_database_file_out_of_the_files(seeded, target, tmp_path, settings, var_dir):
    if connections["default"].vendor != "sqlite":
        pytest.skip("only a SQLite database lives in the var directory")
    archive = make_backup(tmp_path)
    connections[TARGET].close()
    use_target(dict(connections[TARGET].settings_dict, NAME=str(var_dir / "zhaoshang.sqlite3")))  # the default layout
    restore(archive, "--force")
    path, manifest = backup_create(output_dir=tmp_path / "again", using=TARGET)
    assert (var_dir / "zhaoshang.sqlite3").exists()
    assert not [name for name in manifest["files"] if "zhaoshang.sqlite3" in name]
    assert manifest["row_counts"] == state("default").counts


def test_it_never_puts_the_database_password_on_a_command_line():
    args, env = pg_connection(
        {"HOST": "db.example", "PORT": 5432, "USER": "zs", "PASSWORD": "s3cret!", "OPTIONS": {"sslmode": "require"}}
    )
    assert args == ["-h", "db.example", "-p", "5432", "-U", "zs"]
    assert env["PGPASSWORD"] == "s3cret!" and env["PGSSLMODE"] == "require"
