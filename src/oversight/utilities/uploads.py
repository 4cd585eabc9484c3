"""Uploaded files are judged by their content, never by their name alone.

A browser decides what to do with a file from its bytes as much as from its name, so an
HTML page renamed ``报告.pdf`` would still be a page. ``check_upload`` accepts only the
kinds listed in ``KINDS``, recognised from the first bytes with ``filetype`` and, where
that library guesses from a few fixed offsets (OLE2 and ZIP-based Office files), by
reading the container's own directory. The content must also agree with the extension.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any, cast

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HEADER_BYTES = 8192
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Stream names in an OLE2 directory are UTF-16LE and NUL-terminated.
OLE2_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
}
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/"}
EXECUTABLE_MAGICS = (
    b"\x7fELF",  # Linux
    b"MZ",  # Windows PE
    b"#!",  # scripts
    b"\xfe\xed\xfa\xce",  # Mach-O, both word sizes and byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)


@dataclass(frozen=True)
class Kind:
    extension: str  # the canonical one, used for stored names
    mime: str
    label: Any  # lazy translation


KINDS: dict[str, Kind] = {
    kind.extension: kind
    for kind in (
        Kind("pdf", "application/pdf", gettext_lazy("PDF 文档")),
        Kind("jpg", "image/jpeg", gettext_lazy("JPEG 图片")),
        Kind("png", "image/png", gettext_lazy("PNG 图片")),
        Kind("doc", "application/msword", gettext_lazy("Word 97-2003 文档")),
        Kind("xls", "application/vnd.ms-excel", gettext_lazy("Excel 97-2003 表格")),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            gettext_lazy("Word 文档"),
        ),
        Kind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            gettext_lazy("Excel 表格"),
        ),
    )
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
# What ``filetype`` reports for the kinds it recognises reliably from the first bytes.
# An animated PNG is still a PNG to every viewer.
FILETYPE_MIMES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/apng": "png",
}


@dataclass(frozen=True)
class CheckedType:
    """What the content was found to be: the canonical extension and its MIME type."""

    extension: str
    mime: str


def extension_for(mime: str) -> str:
    """The canonical extension of a checked MIME type (``bin`` for anything else)."""
    return next((kind.extension for kind in KINDS.values() if kind.mime == mime), "bin")


def check_upload(
    upload: UploadedFile,
    allowed: Collection[str] | None = None,
    max_bytes: int | None = None,
) -> CheckedType:
    """Refuse ``upload`` unless its size, extension and content all say it is one of the
    ``allowed`` kinds (extensions; default ``settings.ATTACHMENT_EXTENSIONS``).

    The size is checked before any byte is read. Raises ``ValidationError`` naming the file.
    """
    allowed = list(settings.ATTACHMENT_EXTENSIONS if allowed is None else allowed)
    unknown = {EXTENSION_ALIASES.get(e, e) for e in allowed} - KINDS.keys()
    if unknown:
        raise ValueError(f"no content check for {sorted(unknown)}")
    max_bytes = settings.ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    name = upload.name or ""
    params: dict[str, Any] = {"name": name}

    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("不支持的文件类型“%(name)s”，只能上传：%(allowed)s。"),
            code="file_type",
            params={**params, "allowed": "、".join(allowed)},
        )
    size = upload.size or 0
    if size > max_bytes:
        raise ValidationError(
            _("文件“%(name)s”为 %(size)s，超过 %(limit)s 的上限。"),
            code="file_size",
            params={**params, "size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    if size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。"), code="file_empty", params=params)

    # The uploaded file proxies read/seek/tell to its in-memory or temporary file.
    stream = cast(IO[bytes], upload)
    stream.seek(0)
    header = stream.read(HEADER_BYTES)
    stream.seek(0)
    try:
        refusal = _refused_content(header)
        if refusal:
            raise ValidationError(refusal, code="file_content", params=params)
        found = _recognise(header, stream)
    finally:
        stream.seek(0)
    if not found:
        raise ValidationError(
            _(
                "无法识别文件“%(name)s”的内容。只能上传 PDF、Word（doc、docx）、"
                "Excel（xls、xlsx）文件和 JPEG、PNG 图片。"
            ),
            code="file_content",
            params=params,
        )
    claimed = KINDS[EXTENSION_ALIASES.get(extension, extension)]
    if claimed.extension not in found:
        actual = "、".join(str(KINDS[kind].label) for kind in sorted(found))
        raise ValidationError(
            _("文件“%(name)s”的扩展名是 .%(extension)s，但内容是%(actual)s，请核对后重新上传。"),
            code="file_mismatch",
            params={**params, "extension": extension, "actual": actual},
        )
    return CheckedType(extension=claimed.extension, mime=claimed.mime)


def _refused_content(header: bytes) -> str | None:
    """A clearer refusal for the dangerous kinds than “unrecognised”."""
    if header.startswith(EXECUTABLE_MAGICS):
        return _("文件“%(name)s”是可执行程序或脚本，不能上传。")
    # HTML, SVG and XML all open with markup, possibly after a byte-order mark or blanks.
    if header.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n\x0c").startswith(b"<"):
        return _("文件“%(name)s”是网页、SVG 或其他标记文件，不能上传。")
    return None


def _recognise(header: bytes, stream: IO[bytes]) -> set[str]:
    """The allowed kinds the content could be (an Office container may hold both)."""
    if header.startswith(OLE2_MAGIC):
        return _ole2_kinds(stream)
    if header.startswith(ZIP_MAGIC):
        return _ooxml_kinds(stream)
    guess = filetype.guess(header)
    kind = FILETYPE_MIMES.get(guess.mime) if guess is not None else None
    return {kind} if kind else set()


def _ole2_kinds(stream: IO[bytes]) -> set[str]:
    """Word and Excel 97-2003 files are OLE2 compound files holding a ``WordDocument`` or a
    ``Workbook`` stream; other compound files (installers, Outlook messages) hold neither.
    The directory may sit anywhere in the file, so search it all, a chunk at a time."""
    needles = {
        kind: [f"{stream_name}\x00".encode("utf-16-le") for stream_name in names]
        for kind, names in OLE2_STREAMS.items()
    }
    overlap = max(len(needle) for group in needles.values() for needle in group)
    found: set[str] = set()
    tail = b""
    while chunk := stream.read(1024 * 1024):
        window = tail + chunk
        found |= {kind for kind, group in needles.items() if any(n in window for n in group)}
        tail = window[-overlap:]
    return found


def _ooxml_kinds(stream: IO[bytes]) -> set[str]:
    """A .docx or .xlsx is a ZIP archive with ``[Content_Types].xml`` and its ``word/`` or
    ``xl/`` parts. Only the archive's directory is read; nothing is extracted."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return set()
    if "[Content_Types].xml" not in names:
        return set()
    return {
        kind
        for kind, folder in OOXML_PARTS.items()
        if any(name.startswith(folder) for name in names)
    }
