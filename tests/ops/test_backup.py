"""A backup restores into an empty database with every row in place."""

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from claims.models import Claim

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
]


def row_counts(conninfo: str) -> dict[str, int]:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def server() -> tuple[str, str, int]:
    db = connection.settings_dict
    return db["USER"], db["HOST"] or "localhost", db["PORT"] or 5432


def conninfo(name: str) -> str:
    user, host, port = server()
    return f"host={host} port={port} user={user} dbname={name}"


@pytest.fixture
def scratch_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = conninfo("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# pg_dump runs in its own process, so the demo rows must be committed; serialized rollback
# puts back the rows migrations seeded (verdict scale, desk groups) for the tests after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_into_a_scratch_database_with_the_same_row_counts(
    demo, tmp_path, scratch_database
):
    dump = tmp_path / "factdesk.dump"
    call_command("db_backup", output=str(dump))
    assert dump.stat().st_size > 0

    user, host, port = server()
    url = f"postgres://{user}@{host}:{port}/{scratch_database}"
    call_command("db_restore", str(dump), database_url=url, yes=True)

    original = row_counts(conninfo(connection.settings_dict["NAME"]))
    restored = row_counts(conninfo(scratch_database))
    assert restored == original
    assert restored["claims_claim"] == Claim.objects.count() == 13


def test_restore_asks_before_replacing_data(db, tmp_path, monkeypatch):
    dump = tmp_path / "factdesk.dump"
    call_command("db_backup", output=str(dump))
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("db_restore", str(dump))


def test_restore_of_a_missing_file_says_so(db):
    with pytest.raises(CommandError, match=r"No backup file at /nonexistent\.dump"):
        call_command("db_restore", "/nonexistent.dump", yes=True)


def test_backup_keeps_only_the_newest_files_when_asked(db, tmp_path):
    for stamp in ["20260101T000000Z", "20260102T000000Z", "20260103T000000Z"]:
        (tmp_path / f"factdesk-{stamp}.dump").write_bytes(b"old")
    call_command("db_backup", output=str(tmp_path / "factdesk-20260104T000000Z.dump"), keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "factdesk-20260103T000000Z.dump",
        "factdesk-20260104T000000Z.dump",
    ]
