"""The database file: durable settings, STRICT tables, forward-only migrations."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.offline.database import (
    MIGRATIONS,
    DatabaseTooNew,
    Migration,
    database_path,
    destructive_statements,
    open_database,
    schema_version,
)


def test_database_runs_in_wal_with_full_sync(tmp_path):
    db = open_database(tmp_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_every_table_is_strict(tmp_path):
    db = open_database(tmp_path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    assert {"schema_version", "outbox_items", "outbox_attachments", "alerts"} <= set(tables)
    assert all(db[name].strict for name in tables), [t for t in tables if not db[t].strict]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO alerts (created_at, kind, message) VALUES ('yesterday', 'x', 'y')")


def test_migrations_are_recorded_once_each(tmp_path):
    open_database(tmp_path).close()
    db = open_database(tmp_path)  # reopening must not apply anything again
    rows = db.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]


def test_new_migration_is_applied_to_an_existing_database(tmp_path):
    open_database(tmp_path).close()
    extra = Migration(len(MIGRATIONS) + 1, "a note per item", ("ALTER TABLE outbox_items ADD COLUMN note TEXT",))
    db = open_database(tmp_path, MIGRATIONS + (extra,))
    assert schema_version(db) == extra.version
    assert "note" in db["outbox_items"].columns_dict


def test_failed_migration_leaves_the_previous_version_whole(tmp_path):
    open_database(tmp_path).close()
    broken = Migration(
        len(MIGRATIONS) + 1,
        "half a migration",
        ("CREATE TABLE half_done (x INTEGER) STRICT", "THIS IS NOT SQL"),
    )
    with pytest.raises(sqlite3.OperationalError):
        open_database(tmp_path, MIGRATIONS + (broken,))
    db = open_database(tmp_path)
    assert schema_version(db) == len(MIGRATIONS)
    assert not db["half_done"].exists()


def test_database_newer_than_the_software_is_refused(tmp_path):
    db = open_database(tmp_path)
    db.execute("INSERT INTO schema_version VALUES (99, 'from the future', 0)")
    db.close()
    with pytest.raises(DatabaseTooNew) as refused:
        open_database(tmp_path)
    message = str(refused.value)
    assert "99" in message and "newer" in message and str(database_path(tmp_path)) in message


def test_shipped_migrations_never_drop_or_rename():
    assert destructive_statements() == []


def test_destructive_migration_is_detected():
    bad = (Migration(1, "x", ("ALTER TABLE outbox_items DROP COLUMN payload",)), Migration(2, "y", ("DROP TABLE alerts",)))
    assert len(destructive_statements(bad)) == 2


def test_migration_numbers_must_not_have_gaps(tmp_path):
    gap = MIGRATIONS + (Migration(len(MIGRATIONS) + 2, "skips one", ("SELECT 1",)),)
    with pytest.raises(Exception, match="without gaps"):
        open_database(tmp_path, gap)
