"""Data worth backing up, built through the real actions, and ways to look at a whole database.

A restore needs an empty database, so the tests that restore run in ``transactional_db``:
``flush`` empties it (content types and permissions come back, with new ids on PostgreSQL)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from oversight.accounts.models import User
from oversight.problems import actions
from oversight.problems.models import Attachment, Status

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NOT_DATA = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """An empty media folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def filled(make_problem: Any, staff: User, liaison_a: User, media: Path) -> dict[str, Any]:
    """A campaign with problems at every stage, evidence uploaded through report_progress, and
    rows that point at content types and permissions (whose ids differ between databases)."""
    for status in Status.values:
        make_problem(status, title=f"问题（{status}）")
    problem = make_problem(Status.IN_PROGRESS, title="农村互助幸福院闲置")
    actions.report_progress(
        actor=liaison_a,
        problem=problem,
        text="已盘活闲置幸福院两处",
        evidence=[
            SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
            SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf"),
        ],
    )
    reviewers = Group.objects.create(name="审核组")
    reviewers.permissions.set(Permission.objects.filter(content_type__app_label="problems"))
    staff.groups.add(reviewers)
    staff.user_permissions.add(Permission.objects.get(codename="view_campaign"))
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[problem], action_flag=ADDITION, change_message="测试"
    )
    assert Attachment.objects.count() == 2
    return {"problem": problem, "staff": staff}


def data_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in NOT_DATA and not model._meta.proxy
    ]


def snapshot() -> dict[str, list[Any]]:
    """Every row of every data table, with natural keys for references, so that two databases
    (or one before and after a flush) compare equal exactly when they hold the same data.
    Rows of automatic many-to-many tables have no identity of their own: compared without id."""
    tables: dict[str, list[Any]] = {}
    for model in data_models():
        rows = serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        if model._meta.auto_created:
            tables[model._meta.db_table] = sorted(
                json.dumps(row["fields"], sort_keys=True) for row in rows
            )
        else:
            tables[model._meta.db_table] = rows
    return tables


def row_total() -> int:
    return sum(model._base_manager.count() for model in data_models())


def checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder, by path relative to it."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def read_archive(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {
            info.name: archive.extractfile(info).read()  # type: ignore[union-attr]
            for info in archive.getmembers()
        }


def write_archive(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def rows_of(members: dict[str, bytes]) -> dict[str, list[Any]]:
    """The rows in an archive, parsed (JSON objects compare equal whatever their key order)."""
    return {
        name: [json.loads(line) for line in data.splitlines() if line.strip()]
        for name, data in members.items()
        if name.startswith("database/")
    }


def files_of(members: dict[str, bytes]) -> dict[str, str]:
    return {
        name.removeprefix("media/"): hashlib.sha256(data).hexdigest()
        for name, data in members.items()
        if name.startswith("media/")
    }


def content_type_ids() -> set[int]:
    return set(ContentType.objects.values_list("pk", flat=True))


OversightRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def oversight(tmp_path: Path) -> OversightRunner:
    """Run the ``oversight`` command in another process, on a SQLite database of its own."""
    home = tmp_path / "other"
    home.mkdir()
    command = Path(sys.executable).with_name("oversight")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "OVERSIGHT_DATA_DIR": str(home),
        "MEDIA_ROOT": str(home / "media"),
        "SECRET_KEY": "x",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(command), *args], cwd=home, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"oversight {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done

    run.home = home  # type: ignore[attr-defined]
    return run
