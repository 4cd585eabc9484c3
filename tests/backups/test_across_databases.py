"""Backups move between processes and database vendors: SQLite to the database under test
(PostgreSQL when DATABASE_URL says so) and back, content types and permissions matched by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from oversight.accounts.models import User
from oversight.regions.models import Region

from .conftest import (
    PNG,
    OversightRunner,
    checksums,
    content_type_ids,
    files_of,
    read_archive,
    row_total,
    rows_of,
)

# Run by ``oversight shell`` in the other process: rows that refer to content types and
# permissions by their ids there.
GRANTS = """
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from oversight.accounts.models import User
from oversight.organisations.models import Organisation
reviewers = Group.objects.create(name="审核组")
reviewers.permissions.set(Permission.objects.filter(content_type__app_label="problems"))
congress = Organisation.objects.get(region__code="411700", code="congress")
user = User.objects.create_user(
    "reviewer", password="a-long-test-password", organisation=congress,
    role="congress_staff", full_name="审核员",
)
user.groups.add(reviewers)
user.user_permissions.add(Permission.objects.get(codename="view_campaign"))
LogEntry.objects.log_actions(
    user_id=user.pk, queryset=[congress], action_flag=ADDITION, change_message="测试"
)
"""


def same_backup(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    """Two archives hold the same rows, row counts and files."""
    assert rows_of(first) == rows_of(second)
    assert files_of(first) == files_of(second)
    assert (
        json.loads(first["manifest.json"])["tables"]
        == (json.loads(second["manifest.json"])["tables"])
    )


@pytest.mark.django_db(transaction=True)
def test_restores_a_backup_made_on_sqlite_by_another_process(
    oversight: OversightRunner, media: Path, tmp_path: Path
) -> None:
    home: Path = oversight.home  # type: ignore[attr-defined]
    oversight("migrate", "--verbosity", "0")
    oversight("load_reference")
    oversight("shell", "--command", GRANTS)
    evidence = home / "media" / "evidence" / "2024" / "06"
    evidence.mkdir(parents=True)
    (evidence / "现场照片.png").write_bytes(PNG)
    oversight("backup", str(tmp_path / "sqlite.tar.gz"))
    made_on_sqlite = read_archive(tmp_path / "sqlite.tar.gz")
    assert json.loads(made_on_sqlite["manifest.json"])["database_vendor"] == "sqlite"
    assert row_total() == 0
    # On PostgreSQL the flushes between tests give content types ids unlike SQLite's.
    assert content_type_ids()

    call_command("restore", str(tmp_path / "sqlite.tar.gz"), verbosity=0)

    call_command("backup", str(tmp_path / "here.tar.gz"), verbosity=0)
    made_here = read_archive(tmp_path / "here.tar.gz")
    assert json.loads(made_here["manifest.json"])["database_vendor"] == connection.vendor
    same_backup(made_on_sqlite, made_here)
    assert checksums(media) == checksums(home / "media")
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.has_perm("problems.change_problem")
    assert reviewer.has_perm("campaigns.view_campaign")
    last = Region.objects.order_by("pk").last()
    new = Region.objects.create(code="419999", name="测试区", level=last.level, parent=last.parent)
    assert new.pk > last.pk


def test_a_backup_restores_into_a_fresh_sqlite_database_in_another_process(
    filled: dict[str, Any], oversight: OversightRunner, media: Path, tmp_path: Path
) -> None:
    home: Path = oversight.home  # type: ignore[attr-defined]
    call_command("backup", str(tmp_path / "here.tar.gz"), verbosity=0)
    oversight("migrate", "--verbosity", "0")

    restored = oversight("restore", str(tmp_path / "here.tar.gz"))
    oversight("backup", str(tmp_path / "sqlite.tar.gz"))

    assert "已从" in restored.stdout
    made_here = read_archive(tmp_path / "here.tar.gz")
    made_on_sqlite = read_archive(tmp_path / "sqlite.tar.gz")
    assert json.loads(made_on_sqlite["manifest.json"])["database_vendor"] == "sqlite"
    same_backup(made_here, made_on_sqlite)
    assert checksums(home / "media") == checksums(media)
    assert len(checksums(media)) == 2
