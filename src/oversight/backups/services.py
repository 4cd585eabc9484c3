"""Backup and restore of the whole platform: every application row and every uploaded file.

A backup is one gzip-compressed tar file:

- ``database/<app_label>.<model_name>.jsonl``: the rows of one model, one JSON object a line
  (Django's serialization, primary keys kept so that every relation stays as it was);
- ``media/<path>``: each file under MEDIA_ROOT, at its path relative to MEDIA_ROOT;
- ``manifest.json`` (last): format version, creation time, versions, database vendor, the
  migrations applied per app, the row count of every table and the SHA-256 of every member.

Content types and permissions are created by ``migrate`` with ids of their own in each database,
so they are not backed up and references to them are written as natural keys
(``["view_problem", "problems", "problem"]``): a backup made on SQLite restores into PostgreSQL.

A restore only writes into an empty database and an empty media folder, and checks the whole
archive against its manifest before it writes anything; the rows are loaded in one transaction
and the files written inside it, so a failure leaves both as they were.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import hashlib
import importlib.metadata
import json
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "oversight-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
# Rows that migrate creates by itself (with ids of its own), and sessions, which are worthless
# in another installation.
NOT_BACKED_UP = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session"})
NATURAL_KEY_MODELS: tuple[type[Model], ...] = (ContentType, Permission)
CHUNK_SIZE = 2000
COPY_BUFFER = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    created_at: str
    django_version: str
    app_version: str
    database_vendor: str
    migrations: dict[str, list[str]]
    tables: dict[str, int]
    # Archive member of each model's rows, in the order they were written.
    models: dict[str, str]
    members: dict[str, Member]

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "django_version": self.django_version,
            "app_version": self.app_version,
            "database_vendor": self.database_vendor,
            "migrations": self.migrations,
            "tables": self.tables,
            "models": [{"model": label, "member": name} for label, name in self.models.items()],
            "members": {
                name: {"sha256": member.sha256, "size": member.size}
                for name, member in self.members.items()
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
        except ValueError:
            raise BackupError(_("备份文件已损坏：清单 manifest.json 不是有效的 JSON。")) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(_("这不是本平台的备份文件（清单中的格式标识不符）。"))
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                _("备份格式版本为 %(found)s，本程序只能恢复格式版本 %(expected)s 的备份。")
                % {"found": data.get("format_version"), "expected": FORMAT_VERSION}
            )
        try:
            return cls(
                created_at=str(data["created_at"]),
                django_version=str(data["django_version"]),
                app_version=str(data["app_version"]),
                database_vendor=str(data["database_vendor"]),
                migrations={
                    str(app): [str(name) for name in names]
                    for app, names in data["migrations"].items()
                },
                tables={str(table): int(rows) for table, rows in data["tables"].items()},
                models={str(item["model"]): str(item["member"]) for item in data["models"]},
                members={
                    str(name): Member(sha256=str(item["sha256"]), size=int(item["size"]))
                    for name, item in data["members"].items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BackupError(_("备份文件已损坏：清单 manifest.json 的内容不完整。")) from None


@dataclass(frozen=True)
class Summary:
    """What a backup wrote or a restore loaded."""

    path: Path
    rows: int
    files: int


# --- what is backed up ---------------------------------------------------------------------


def backed_up_models() -> list[type[Model]]:
    """Every concrete model of every installed app whose rows are data of this installation."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
    ]


def _tables(models: Iterable[type[Model]]) -> list[type[Model]]:
    """The models and the automatic many-to-many tables they own: every table of their data."""
    tables: list[type[Model]] = []
    for model in models:
        tables.append(model)
        for field in model._meta.local_many_to_many:
            through: type[Model] = field.remote_field.through  # type: ignore[assignment]
            if through._meta.auto_created:
                tables.append(through)
    return tables


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows in each backed-up table, by table name."""
    return {
        model._meta.db_table: model._base_manager.using(using).count()
        for model in _tables(backed_up_models())
    }


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The migrations recorded as applied, per installed app."""
    installed = {config.label for config in apps.get_app_configs()}
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        if app_label in installed:
            applied.setdefault(app_label, []).append(name)
    return applied


def _app_version() -> str:
    try:
        return importlib.metadata.version("oversight")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _member_for(model: type[Model]) -> str:
    return f"{DATABASE_PREFIX}{model._meta.label_lower}.jsonl"


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(jsonl.Serializer):
    """JSON Lines with natural keys for content types and permissions only: their ids differ
    between databases, while every other row keeps its primary key."""

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        self.use_natural_foreign_keys = field.remote_field.model in NATURAL_KEY_MODELS
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        self.use_natural_foreign_keys = field.remote_field.model in NATURAL_KEY_MODELS
        super().handle_m2m_field(obj, field)
        # In a stable order, whatever order the database returns them in.
        current: dict[str, Any] | None = getattr(self, "_current", None)
        if current is not None and field.name in current:
            current[field.name] = sorted(current[field.name])


def _rows(model: type[Model], using: str) -> Iterator[Model]:
    """All rows of a model in primary-key order, streamed, with what their natural keys need."""
    related: list[str] = []
    prefetched: list[str] = []
    for field in model._meta.concrete_fields:
        target = field.remote_field.model if field.remote_field else None
        if target is ContentType:
            related.append(field.name)
        elif target is Permission:
            related.append(f"{field.name}__content_type")
    for m2m in model._meta.many_to_many:
        if m2m.remote_field.model is Permission:
            prefetched.append(f"{m2m.name}__content_type")
        else:
            prefetched.append(m2m.name)
    queryset = model._base_manager.using(using).order_by("pk")
    if related:
        queryset = queryset.select_related(*related)
    if prefetched:
        queryset = queryset.prefetch_related(*prefetched)
    return queryset.iterator(chunk_size=CHUNK_SIZE)


class _HashingReader:
    """A file read once, hashed as it goes: the checksum is of exactly the bytes archived."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1, /) -> bytes:
        chunk = self.file.read(size)
        self.digest.update(chunk)
        return chunk


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(COPY_BUFFER):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(media_root: Path) -> Iterator[Path]:
    """Regular files under MEDIA_ROOT in a stable order; links are not followed."""
    if not media_root.is_dir():
        return
    for directory, subdirectories, files in os.walk(media_root):
        subdirectories.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = int(timezone.now().timestamp())
    return info


# --- backup --------------------------------------------------------------------------------


def create_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the whole database and every uploaded file into a new archive at ``path``."""
    path = path.absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if path.exists():
        raise BackupError(_("文件 %(path)s 已存在，请另选文件名。") % {"path": path})
    if not path.parent.is_dir():
        raise BackupError(_("目录 %(path)s 不存在。") % {"path": path.parent})
    if path.is_relative_to(media_root):
        raise BackupError(_("备份文件不能放在上传文件目录 %(path)s 中。") % {"path": media_root})
    partial = path.with_name(f".{path.name}.partial")
    try:
        with tarfile.open(partial, "w:gz") as archive:
            manifest = _write_archive(archive, path.parent, media_root, using)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    rows = sum(manifest.tables.values())
    return Summary(path=path, rows=rows, files=len(manifest.members) - len(manifest.models))


def _write_archive(
    archive: tarfile.TarFile, workdir: Path, media_root: Path, using: str
) -> Manifest:
    connection = connections[using]
    members: dict[str, Member] = {}
    models: dict[str, str] = {}
    outermost = not connection.in_atomic_block
    # One transaction, so that every table is read at the same moment.
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with tempfile.TemporaryDirectory(dir=workdir, prefix=".oversight-backup-") as scratch:
            for model in backed_up_models():
                name = _member_for(model)
                rows_file = Path(scratch) / "rows.jsonl"
                with rows_file.open("w", encoding="utf-8") as stream:
                    _Serializer().serialize(_rows(model, using), stream=stream, cls=_ExactEncoder)
                members[name] = Member(_sha256_of(rows_file), rows_file.stat().st_size)
                archive.add(rows_file, arcname=name, filter=_normalised)
                rows_file.unlink()
                models[model._meta.label_lower] = name
        tables = row_counts(using)
        migrations = applied_migrations(connection)
    for file in _media_files(media_root):
        name = MEDIA_PREFIX + file.relative_to(media_root).as_posix()
        size = file.stat().st_size
        with file.open("rb") as source:
            reader = _HashingReader(source)
            archive.addfile(_tar_info(name, size), reader)
        members[name] = Member(reader.digest.hexdigest(), size)
    manifest = Manifest(
        created_at=timezone.now().isoformat(),
        django_version=django.get_version(),
        app_version=_app_version(),
        database_vendor=connection.vendor,
        migrations=migrations,
        tables=tables,
        models=models,
        members=members,
    )
    raw = manifest.to_json()
    with tempfile.SpooledTemporaryFile() as buffer:
        buffer.write(raw)
        buffer.seek(0)
        archive.addfile(_tar_info(MANIFEST, len(raw)), buffer)
    return manifest


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o644
    return info


# --- restore -------------------------------------------------------------------------------


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Load an archive made by :func:`create_backup` into an empty database and media folder.

    Everything is checked before anything is written; on any failure nothing is changed."""
    path = path.absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if not path.is_file():
        raise BackupError(_("备份文件 %(path)s 不存在。") % {"path": path})
    _require_empty_database(using)
    _require_empty_media(media_root)
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _verify(archive)
            _require_same_schema(manifest, connections[using])
            _load(archive, manifest, media_root, using)
    except _READ_ERRORS as error:
        raise BackupError(
            _("无法读取备份文件 %(path)s（%(error)s），文件可能已损坏或不是本平台的备份。")
            % {"path": path, "error": str(error) or type(error).__name__}
        ) from error
    # Cached figures are keyed by versions and ids that the restored rows take back, and
    # that later changes would reuse with other data: none of them may outlive the restore.
    cache.clear()
    return Summary(
        path=path,
        rows=sum(manifest.tables.values()),
        files=len(manifest.members) - len(manifest.models),
    )


def _require_empty_database(using: str) -> None:
    filled = [
        model._meta.db_table
        for model in _tables(backed_up_models())
        if model._base_manager.using(using).exists()
    ]
    if filled:
        raise BackupError(
            _(
                "数据库不是空的（%(tables)s 中已有数据）。恢复只能写入刚执行过 "
                "oversight migrate、尚无业务数据的数据库。"
            )
            % {"tables": _listing(filled)}
        )


def _require_empty_media(media_root: Path) -> None:
    if next(_media_files(media_root), None) is not None or (
        media_root.exists() and not media_root.is_dir()
    ):
        raise BackupError(
            _("上传文件目录 %(path)s 不是空的。恢复只能写入空的上传文件目录。")
            % {"path": media_root}
        )


def _listing(names: list[str], shown: int = 5) -> str:
    listed = "、".join(names[:shown])
    if len(names) > shown:
        listed += _(" 等 %(count)s 项") % {"count": len(names)}
    return listed


def _check_member_name(info: tarfile.TarInfo) -> None:
    name = info.name
    parts = PurePosixPath(name).parts
    well_formed = (
        info.isfile()
        and not name.startswith("/")
        and ".." not in parts
        and (
            name == MANIFEST
            or (name.startswith(DATABASE_PREFIX) and len(parts) == 2)
            or (name.startswith(MEDIA_PREFIX) and len(parts) >= 2)
        )
    )
    if not well_formed:
        raise BackupError(_("备份文件中有不应出现的条目“%(name)s”。") % {"name": name})


def _verify(archive: tarfile.TarFile) -> Manifest:
    """Read every member once: the archive must hold exactly what its manifest lists, intact."""
    digests: dict[str, str] = {}
    raw_manifest: bytes | None = None
    for info in archive:
        _check_member_name(info)
        if info.name in digests or (info.name == MANIFEST and raw_manifest is not None):
            raise BackupError(_("备份文件中“%(name)s”出现了不止一次。") % {"name": info.name})
        source = archive.extractfile(info)
        assert source is not None  # a regular file, checked above
        if info.name == MANIFEST:
            if info.size > MAX_MANIFEST_BYTES:
                raise BackupError(_("备份文件已损坏：清单 manifest.json 大得不合常理。"))
            raw_manifest = source.read()
            continue
        digest = hashlib.sha256()
        while chunk := source.read(COPY_BUFFER):
            digest.update(chunk)
        digests[info.name] = digest.hexdigest()
    if raw_manifest is None:
        raise BackupError(_("备份文件不完整：缺少清单 manifest.json。"))
    manifest = Manifest.from_json(raw_manifest)
    missing = sorted(set(manifest.members) - set(digests))
    if missing:
        raise BackupError(_("备份文件不完整：缺少 %(names)s。") % {"names": _listing(missing)})
    extra = sorted(set(digests) - set(manifest.members))
    if extra:
        raise BackupError(
            _("备份文件中有清单未列出的内容：%(names)s。") % {"names": _listing(extra)}
        )
    damaged = sorted(
        name for name, digest in digests.items() if digest != manifest.members[name].sha256
    )
    if damaged:
        raise BackupError(
            _("备份文件已损坏：%(names)s 的 SHA-256 校验和与清单不符。")
            % {"names": _listing(damaged)}
        )
    row_members = {name for name in digests if name.startswith(DATABASE_PREFIX)}
    if row_members != set(manifest.models.values()):
        raise BackupError(_("备份文件已损坏：清单中的数据表与备份内容不一致。"))
    return manifest


def _require_same_schema(manifest: Manifest, connection: BaseDatabaseWrapper) -> None:
    """The rows fit only a database at the same migrations as the one they came from."""
    ours = {(app, name) for app, names in applied_migrations(connection).items() for name in names}
    theirs = {(app, name) for app, names in manifest.migrations.items() for name in names}
    if missing := sorted(f"{app}.{name}" for app, name in theirs - ours):
        raise BackupError(
            _(
                "备份来自较新的程序版本：本数据库尚未执行迁移 %(names)s。"
                "请先升级程序并执行 oversight migrate，再恢复。"
            )
            % {"names": _listing(missing)}
        )
    if extra := sorted(f"{app}.{name}" for app, name in ours - theirs):
        raise BackupError(
            _(
                "本数据库已执行备份中没有的迁移 %(names)s。请用与备份时相同版本的程序恢复，"
                "再升级程序并执行 oversight migrate。"
            )
            % {"names": _listing(extra)}
        )
    known = {model._meta.label_lower for model in backed_up_models()}
    if unknown := sorted(set(manifest.models) - known):
        raise BackupError(
            _("备份中有本程序没有的数据表：%(names)s。") % {"names": _listing(unknown)}
        )


def _load(archive: tarfile.TarFile, manifest: Manifest, media_root: Path, using: str) -> None:
    """Rows in one transaction, then the files; any failure undoes both."""
    connection = connections[using]
    labels = {name: label for label, name in manifest.models.items()}
    infos = archive.getmembers()
    tables = _tables(backed_up_models())
    written: list[Path] = []
    try:
        with transaction.atomic(using=using):
            # As loaddata does: references are checked once every row is in.
            with connection.constraint_checks_disabled():
                for info in infos:
                    if info.name in labels:
                        _load_rows(archive, info, labels[info.name], manifest, using)
            try:
                connection.check_constraints(table_names=[model._meta.db_table for model in tables])
            except DatabaseError as error:
                raise BackupError(
                    _("备份中的数据引用了不存在的行，无法恢复：%(error)s") % {"error": error}
                ) from error
            counts = row_counts(using)
            if differing := sorted(
                table
                for table in set(counts) | set(manifest.tables)
                if counts.get(table, 0) != manifest.tables.get(table, 0)
            ):
                raise BackupError(
                    _("恢复后 %(tables)s 的行数与清单不符，已撤销恢复。")
                    % {"tables": _listing(differing)}
                )
            _reset_sequences(connection, tables)
            for info in infos:
                if info.name.startswith(MEDIA_PREFIX):
                    _write_file(archive, info, manifest, media_root, written)
    except BaseException:
        _remove(written)
        raise


def _load_rows(
    archive: tarfile.TarFile, info: tarfile.TarInfo, label: str, manifest: Manifest, using: str
) -> None:
    source = archive.extractfile(info)
    assert source is not None
    digest = hashlib.sha256()

    def lines() -> Iterator[str]:
        for line in source:
            digest.update(line)
            yield line.decode("utf-8")

    try:
        for row in serializers.deserialize("jsonl", lines(), using=using):
            if row.object._meta.label_lower != label:
                raise BackupError(
                    _("备份文件已损坏：%(name)s 中有其他数据表的行。") % {"name": info.name}
                )
            # The database is empty: insert straight away, without trying an update first.
            row.save(using=using, force_insert=True)
    except (DeserializationError, DatabaseError, ObjectDoesNotExist, ValueError) as error:
        raise BackupError(
            _("无法载入 %(name)s：%(error)s") % {"name": info.name, "error": error}
        ) from error
    if digest.hexdigest() != manifest.members[info.name].sha256:
        raise BackupError(
            _("备份文件已损坏：%(names)s 的 SHA-256 校验和与清单不符。") % {"names": info.name}
        )


def _reset_sequences(connection: BaseDatabaseWrapper, tables: list[type[Model]]) -> None:
    """Rows came with their ids; the next new row must get a fresh one (PostgreSQL sequences)."""
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _write_file(
    archive: tarfile.TarFile,
    info: tarfile.TarInfo,
    manifest: Manifest,
    media_root: Path,
    written: list[Path],
) -> None:
    relative = PurePosixPath(info.name).relative_to(MEDIA_PREFIX.rstrip("/"))
    target = media_root.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(_("备份文件中有不应出现的条目“%(name)s”。") % {"name": info.name})
    missing = [parent for parent in target.parents if not parent.exists()]
    for directory in reversed(missing):
        directory.mkdir()
        written.append(directory)
    source = archive.extractfile(info)
    assert source is not None
    digest = hashlib.sha256()
    with target.open("xb") as out:
        written.append(target)
        while chunk := source.read(COPY_BUFFER):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != manifest.members[info.name].sha256:
        raise BackupError(
            _("备份文件已损坏：%(names)s 的 SHA-256 校验和与清单不符。") % {"names": info.name}
        )


def _remove(written: list[Path]) -> None:
    """Undo a failed restore's files and the folders made for them, newest first."""
    for path in reversed(written):
        with contextlib.suppress(OSError):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
