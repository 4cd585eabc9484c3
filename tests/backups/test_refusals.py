"""Restore refuses a damaged archive, a non-empty database and a non-empty media folder, with a
clear message, and changes nothing."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import checksums, read_archive, row_total, snapshot, write_archive

Members = dict[str, bytes]


def tamper_file(members: Members) -> Members:
    name = next(name for name in members if name.startswith("media/"))
    return {**members, name: members[name][:-1] + b"\x00"}


def tamper_rows(members: Members) -> Members:
    name = "database/problems.problem.jsonl"
    return {**members, name: members[name].replace("问题".encode(), "文题".encode(), 1)}


def drop_member(members: Members) -> Members:
    return {name: data for name, data in members.items() if name != "database/accounts.user.jsonl"}


def drop_manifest(members: Members) -> Members:
    return {name: data for name, data in members.items() if name != "manifest.json"}


def add_member(members: Members) -> Members:
    return {**members, "media/evidence/extra.png": b"\x89PNG"}


def future_version(members: Members) -> Members:
    manifest = json.loads(members["manifest.json"])
    manifest["format_version"] = 2
    return {**members, "manifest.json": json.dumps(manifest).encode()}


def escaping_path(members: Members) -> Members:
    return {**members, "media/../../outside.png": b"\x89PNG"}


DAMAGES: dict[str, tuple[Callable[[Members], Members], str]] = {
    "tampered file": (tamper_file, "校验和与清单不符"),
    "tampered rows": (tamper_rows, "database/problems.problem.jsonl 的 SHA-256 校验和与清单不符"),
    "missing member": (drop_member, "缺少 database/accounts.user.jsonl"),
    "missing manifest": (drop_manifest, "缺少清单 manifest.json"),
    "unlisted member": (add_member, "清单未列出的内容：media/evidence/extra.png"),
    "wrong format version": (future_version, "只能恢复格式版本 1 的备份"),
    "path out of the media folder": (escaping_path, "不应出现的条目"),
}


def assert_empty(media: Path) -> None:
    assert row_total() == 0
    assert checksums(media) == {}


@pytest.fixture
def archive(filled: dict[str, Any], media: Path, settings: Any, tmp_path: Path) -> Path:
    """A sound backup of the filled database, restored (or not) into an emptied one."""
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    settings.MEDIA_ROOT.mkdir()
    return path


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_archive(archive, settings, tmp_path, damage):
    change, message = DAMAGES[damage]
    damaged = tmp_path / "damaged.tar.gz"
    write_archive(damaged, change(read_archive(archive)))

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("restore", str(damaged), verbosity=0)

    assert_empty(settings.MEDIA_ROOT)
    assert not (tmp_path / "outside.png").exists()


@pytest.mark.parametrize(
    "content",
    [b"not an archive at all", b"\x1f\x8b\x08\x00 truncated gzip"],
    ids=["garbage", "truncated gzip"],
)
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_unreadable_archive(archive, settings, tmp_path, content):
    unreadable = tmp_path / "unreadable.tar.gz"
    unreadable.write_bytes(content)

    with pytest.raises(CommandError, match="无法读取备份文件"):
        call_command("restore", str(unreadable), verbosity=0)

    assert_empty(settings.MEDIA_ROOT)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_half_archive(archive, settings, tmp_path):
    half = tmp_path / "half.tar.gz"
    half.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    with pytest.raises(CommandError, match="无法读取备份文件"):
        call_command("restore", str(half), verbosity=0)

    assert_empty(settings.MEDIA_ROOT)


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_loading_rows_undoes_the_rows_already_loaded(archive, settings, tmp_path):
    """An archive consistent with its manifest whose rows point at a user that is not there."""
    members = read_archive(archive)
    users = "database/accounts.user.jsonl"
    kept = members[users].splitlines(keepends=True)
    members[users] = b"".join(line for line in kept if b'"username": "staff"' not in line)
    manifest = json.loads(members["manifest.json"])
    manifest["members"][users] = {
        "sha256": hashlib.sha256(members[users]).hexdigest(),
        "size": len(members[users]),
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    inconsistent = tmp_path / "inconsistent.tar.gz"
    write_archive(inconsistent, members)

    with pytest.raises(CommandError, match="备份中的数据引用了不存在的行"):
        call_command("restore", str(inconsistent), verbosity=0)

    assert_empty(settings.MEDIA_ROOT)


def test_restore_refuses_a_database_with_data(filled, media, settings, tmp_path):
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), verbosity=0)
    before = snapshot()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", str(path), verbosity=0)

    assert snapshot() == before
    assert not settings.MEDIA_ROOT.exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_media_folder_with_files(archive, settings):
    left_over = settings.MEDIA_ROOT / "evidence" / "旧文件.pdf"
    left_over.parent.mkdir()
    left_over.write_bytes(b"%PDF-1.4")

    with pytest.raises(CommandError, match=r"上传文件目录 .* 不是空的"):
        call_command("restore", str(archive), verbosity=0)

    assert row_total() == 0
    assert checksums(settings.MEDIA_ROOT) == {
        "evidence/旧文件.pdf": hashlib.sha256(b"%PDF-1.4").hexdigest()
    }


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_missing_file(settings, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "nowhere.tar.gz"), verbosity=0)
