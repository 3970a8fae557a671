"""Backup and restore (scripts/backup.sh, scripts/restore.sh) round trip on a real PostgreSQL."""

import os
import subprocess

import psycopg
import pytest
from django.core.management import call_command

from tests.production.processes import REPO

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_script(name: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(REPO / "scripts" / name), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for (table,) in tables
        }


def sequence_positions(url: str) -> dict[str, int | None]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall()
    return dict(rows)


@pytest.fixture
def backed_up(test_database_url, tmp_path):
    """The seed plans and demo data in the test database, and a backup of it and its media."""
    call_command("load_plans", verbosity=0)
    call_command("load_demo", verbosity=0)
    media = tmp_path / "media"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "2026-Q3-progress.pdf").write_bytes(b"%PDF-1.7 generated report")

    result = run_script(
        "backup.sh",
        str(tmp_path / "backups"),
        DATABASE_URL=test_database_url,
        MEDIA_ROOT=str(media),
    )
    assert result.returncode == 0, result.stderr
    dump, tarball = result.stdout.split()
    return {"dump": dump, "tarball": tarball, "media": media}


def test_a_backup_restored_into_a_fresh_database_has_every_row(
    backed_up, test_database_url, fresh_database, tmp_path
):
    target = fresh_database()
    restored_media = tmp_path / "restored-media"

    result = run_script(
        "restore.sh",
        backed_up["dump"],
        backed_up["tarball"],
        DATABASE_URL=target,
        MEDIA_ROOT=str(restored_media),
    )

    assert result.returncode == 0, result.stderr
    original = row_counts(test_database_url)
    assert original["actions_action"] > 0
    assert original["reporting_statusupdate"] > 0
    assert row_counts(target) == original
    # New rows after a restore must not collide with restored ids.
    assert sequence_positions(target) == sequence_positions(test_database_url)
    assert (restored_media / "reports" / "2026-Q3-progress.pdf").read_bytes() == (
        backed_up["media"] / "reports" / "2026-Q3-progress.pdf"
    ).read_bytes()


def test_a_restore_that_fails_part_way_leaves_nothing_behind(
    backed_up, test_database_url, fresh_database
):
    target = fresh_database()
    # A clash with the table the dump creates last: every table before it is created first.
    last_table = max(row_counts(test_database_url))
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute(f'CREATE TABLE "{last_table}" (id integer)')

    result = run_script("restore.sh", backed_up["dump"], DATABASE_URL=target)

    assert result.returncode != 0
    assert row_counts(target) == {last_table: 0}


def test_restore_with_clean_replaces_an_existing_database(
    backed_up, test_database_url, fresh_database
):
    target = fresh_database()
    assert run_script("restore.sh", backed_up["dump"], DATABASE_URL=target).returncode == 0
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("TRUNCATE actions_action CASCADE")

    result = run_script("restore.sh", "--clean", backed_up["dump"], DATABASE_URL=target)

    assert result.returncode == 0, result.stderr
    assert row_counts(target) == row_counts(test_database_url)
