"""A backup restored into an empty database and media folder gives back every row and file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from oversight.accounts.models import User
from oversight.backups.services import FORMAT_VERSION, row_counts
from oversight.problems import actions
from oversight.problems.models import Attachment, ProblemEvent, RawReport

from .conftest import checksums, read_archive, row_total, snapshot


def empty_everything(settings: Any, tmp_path: Path) -> Path:
    """A freshly migrated database and a new, empty media folder, as on a new server."""
    call_command("flush", interactive=False, verbosity=0)
    assert row_total() == 0
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    return Path(settings.MEDIA_ROOT)


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_every_row_and_file(filled, media, settings, tmp_path):
    before = snapshot()
    files = checksums(media)
    assert len(files) == 2
    call_command("backup", str(tmp_path / "backup.tar.gz"), verbosity=0)
    restored_media = empty_everything(settings, tmp_path)

    call_command("restore", str(tmp_path / "backup.tar.gz"), verbosity=0)

    assert snapshot() == before
    assert checksums(restored_media) == files
    staff = User.objects.get(username="staff")
    assert staff.has_perm("problems.change_problem")  # through the group, by natural key
    assert staff.has_perm("campaigns.view_campaign")
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as stored:
            assert len(stored.read()) == attachment.size


@pytest.mark.django_db(transaction=True)
def test_new_rows_after_restore_get_fresh_ids(filled, staff, campaign, settings, tmp_path):
    last_report = RawReport.objects.order_by("pk").last()
    last_event = ProblemEvent.objects.order_by("pk").last()
    call_command("backup", str(tmp_path / "backup.tar.gz"), verbosity=0)
    empty_everything(settings, tmp_path)
    call_command("restore", str(tmp_path / "backup.tar.gz"), verbosity=0)

    report = actions.record_raw_report(
        actor=User.objects.get(username="staff"),
        campaign=campaign,
        channel="inspection",
        text="恢复后新收到的问题",
    )

    assert report.pk > last_report.pk
    assert ProblemEvent.objects.order_by("pk").last().pk >= last_event.pk


@pytest.mark.django_db(transaction=True)
def test_restore_drops_every_cached_figure(filled, settings, tmp_path):
    """Cached figures are keyed by versions and ids the restored rows take back; kept, they
    would be served again once later changes reuse those keys with other data."""
    call_command("backup", str(tmp_path / "backup.tar.gz"), verbosity=0)
    empty_everything(settings, tmp_path)
    cache.set("survey-tallies:1:1::", "counted before the restore")
    call_command("restore", str(tmp_path / "backup.tar.gz"), verbosity=0)
    assert cache.get("survey-tallies:1:1::") is None


def test_manifest_lists_versions_migrations_counts_and_checksums(filled, tmp_path):
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), verbosity=0)

    members = read_archive(path)
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["format"] == "oversight-backup"
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["django_version"] and manifest["app_version"] and manifest["created_at"]
    assert "0001_initial" in manifest["migrations"]["problems"]
    assert manifest["tables"] == row_counts()
    assert manifest["tables"]["problems_attachment"] == 2
    assert manifest["tables"]["accounts_user_user_permissions"] == 1
    assert "django_content_type" not in manifest["tables"]
    assert sorted(manifest["members"]) == sorted(members)
    assert sum(name.startswith("media/evidence/") for name in members) == 2
    for name, data in members.items():
        assert manifest["members"][name] == {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }


def test_backup_refuses_to_overwrite_a_file(filled, tmp_path):
    path = tmp_path / "backup.tar.gz"
    path.write_bytes(b"an earlier backup")

    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(path), verbosity=0)
    assert path.read_bytes() == b"an earlier backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
