"""The text of an uploaded bulletin: a .docx through ``check_upload`` and python-docx, a .txt
checked here (``check_upload`` judges binary kinds only) and decoded as UTF-8 or GB18030."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath
from typing import IO, cast

import docx
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from oversight.utilities.uploads import check_upload

from .models import SourceKind

MAX_BYTES = 5 * 1024 * 1024
MAX_CHARS = 200_000
EXTENSIONS = ("txt", "docx")


def read_upload(upload: UploadedFile) -> tuple[str, str]:
    """The upload's text and its ``SourceKind``; ``ValidationError`` (in Chinese) for a file of
    another kind, too big, empty, unreadable or without text."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension == "docx":
        check_upload(upload, allowed=["docx"], max_bytes=MAX_BYTES)
        text = _docx_text(cast(IO[bytes], upload), name)
        kind = SourceKind.DOCX
    elif extension == "txt":
        _check_size(upload, name)
        text = _decode(cast(IO[bytes], upload).read(), name)
        kind = SourceKind.TXT
    else:
        raise ValidationError(
            _("不支持的文件类型“%(name)s”，只能上传：%(allowed)s。"),
            code="file_type",
            params={"name": name, "allowed": "、".join(EXTENSIONS)},
        )
    return check_text(text, name), kind


def check_text(text: str, name: str = "") -> str:
    """``text`` trimmed, refused when empty or too long to be a bulletin."""
    text = text.replace("\x00", "").strip()
    if not text:
        if name:
            raise ValidationError(
                _("文件“%(name)s”中没有文字。"), code="no_text", params={"name": name}
            )
        raise ValidationError(_("请粘贴简报正文。"), code="no_text")
    if len(text) > MAX_CHARS:
        raise ValidationError(
            _("正文超过 %(limit)s 字，请分段提取。"), code="too_long", params={"limit": MAX_CHARS}
        )
    return text


def _check_size(upload: UploadedFile, name: str) -> None:
    size = upload.size or 0
    if size > MAX_BYTES:
        raise ValidationError(
            _("文件“%(name)s”为 %(size)s，超过 %(limit)s 的上限。"),
            code="file_size",
            params={
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(MAX_BYTES),
            },
        )
    if size == 0:
        raise ValidationError(
            _("文件“%(name)s”是空文件。"), code="file_empty", params={"name": name}
        )


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (Chinese Windows); binary is refused."""
    if b"\x00" in data[:8192]:
        raise ValidationError(
            _("文件“%(name)s”不是纯文本文件。"), code="file_content", params={"name": name}
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("无法识别文件“%(name)s”的文字编码，请另存为 UTF-8 文本。"),
        code="file_encoding",
        params={"name": name},
    )


def _docx_text(stream: IO[bytes], name: str) -> str:
    """Paragraphs and table cells, in document order, one per line."""
    stream.seek(0)
    try:
        document = docx.Document(BytesIO(stream.read()))
    except Exception as error:  # python-docx raises many kinds on a damaged file
        raise ValidationError(
            _("无法读取 Word 文档“%(name)s”。"), code="file_content", params={"name": name}
        ) from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                lines.append("　".join(cell.text.strip() for cell in row.cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)
