"""Evidence is judged by its content: refused files leave nothing behind, accepted ones are
stored under random names and downloaded as attachments of their checked type."""

import base64
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from oversight.problems.models import Attachment, Problem, ProgressReport, Status
from oversight.utilities.uploads import CheckedType, check_upload

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00"
SCRIPT = b"#!/bin/sh\nrm -rf ~\n"


def ooxml(folder: str, part: str) -> bytes:
    """A real (minimal) .docx or .xlsx: a ZIP with [Content_Types].xml and its main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(f"{folder}/{part}", '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


DOCX = ooxml("word", "document.xml")
XLSX = ooxml("xl", "workbook.xml")


def compound(stream_name: str) -> bytes:
    """An OLE2 compound file whose directory names ``stream_name`` (UTF-16LE, as stored)."""
    return OLE2 + b"\x00" * 1016 + f"{stream_name}\x00".encode("utf-16-le") + b"\x00" * 64


DOC = compound("WordDocument")
XLS = compound("Workbook")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's claimed type is deliberately wrong: only the content counts.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def media_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


# --- the checker ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("整改报告.pdf", PDF, CheckedType("pdf", "application/pdf")),
        ("现场.PNG", PNG, CheckedType("png", "image/png")),
        ("现场.jpeg", JPEG, CheckedType("jpg", "image/jpeg")),
        ("现场.jpg", JPEG, CheckedType("jpg", "image/jpeg")),
        ("方案.doc", DOC, CheckedType("doc", "application/msword")),
        ("台账.xls", XLS, CheckedType("xls", "application/vnd.ms-excel")),
        (
            "方案.docx",
            DOCX,
            CheckedType(
                "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
        ),
        (
            "台账.xlsx",
            XLSX,
            CheckedType(
                "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        ),
    ],
)
def test_it_accepts_real_files(name, content, expected):
    file = upload(name, content)
    assert check_upload(file) == expected
    # The check leaves the file ready to be stored whole.
    assert file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("通知.pdf", HTML, "是网页、SVG 或其他标记文件"),
        ("通知.jpg", b"\xef\xbb\xbf  \n" + HTML, "是网页、SVG 或其他标记文件"),
        ("图.png", SVG, "是网页、SVG 或其他标记文件"),
        ("图.svg", SVG, "不支持的文件类型“图.svg”"),
        ("图.svg", PNG, "不支持的文件类型“图.svg”"),
        ("方案.docx", ELF, "是可执行程序或脚本"),
        ("方案.docx", PE, "是可执行程序或脚本"),
        ("报告.pdf", SCRIPT, "是可执行程序或脚本"),
        ("方案.docx", PDF, "扩展名是 .docx，但内容是PDF 文档"),
        ("现场.png", JPEG, "扩展名是 .png，但内容是JPEG 图片"),
        ("方案.docx", XLSX, "扩展名是 .docx，但内容是Excel 表格"),
        ("方案.doc", XLS, "扩展名是 .doc，但内容是Excel 97-2003 表格"),
        ("安装.doc", compound("SummaryInformation"), "无法识别文件“安装.doc”的内容"),
        ("方案.docx", b"PK\x03\x04 not really a zip", "无法识别"),
        ("台账.xlsx", ooxml("data", "x.xml"), "无法识别"),
        ("报告.pdf", b"just some text", "无法识别"),
        ("报告.pdf", b"", "是空文件"),
    ],
)
def test_it_refuses_what_the_content_contradicts(name, content, message):
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload(name, content))
    assert message in refusal.value.messages[0]


def test_a_zip_without_content_types_is_not_a_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ValidationError, match="无法识别"):
        check_upload(upload("方案.docx", buffer.getvalue()))


class Unreadable(SimpleUploadedFile):
    def read(self, *args, **kwargs):
        raise AssertionError("an oversized upload must not be read")


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_the_size_is_checked_before_the_content_is_read():
    big = Unreadable("整改报告.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError) as refusal:
        check_upload(big)
    assert "整改报告.pdf" in refusal.value.messages[0] and "超过" in refusal.value.messages[0]


def test_the_allowed_kinds_can_be_narrowed_for_other_uses():
    assert check_upload(upload("a.pdf", PDF), allowed=["pdf"]).mime == "application/pdf"
    with pytest.raises(ValidationError, match="只能上传：pdf"):
        check_upload(upload("a.png", PNG), allowed=["pdf"])
    with pytest.raises(ValueError, match="txt"):
        check_upload(upload("a.txt", b"x"), allowed=["txt"])


# --- through the progress form --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("通知.pdf", HTML, "是网页、SVG 或其他标记文件"),
        ("图.png", SVG, "是网页、SVG 或其他标记文件"),
        ("图.svg", SVG, "不支持的文件类型“图.svg”"),
        ("方案.docx", ELF, "是可执行程序或脚本"),
        ("方案.docx", PE, "是可执行程序或脚本"),
        ("方案.docx", PDF, "扩展名是 .docx，但内容是PDF 文档"),
    ],
)
def test_a_refused_file_stores_nothing(client, liaison_a, make_problem, name, content, message):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    before = media_files()
    # A good file alongside does not carry the bad one through.
    files = [upload("现场.png", PNG), upload(name, content)]
    response = client.post(
        reverse("problems:progress", args=[problem.pk]), {"text": "已整改", "evidence": files}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"文件“{name}”" in page or f"不支持的文件类型“{name}”" in page
    assert message in page
    assert "已整改" in page  # kept for correcting and resending
    assert not Attachment.objects.exists()
    assert not ProgressReport.objects.filter(problem=problem).exists()
    assert Problem.objects.get(pk=problem.pk).status == Status.ASSIGNED
    assert media_files() == before


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_an_oversized_file_stores_nothing(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    before = media_files()
    response = client.post(
        reverse("problems:claim", args=[problem.pk]),
        {
            "text": "完成",
            "rectification_type": "immediate",
            "evidence": [upload("大.pdf", PDF * 50)],
        },
    )
    assert response.status_code == 400
    assert "文件“大.pdf”" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not ProgressReport.objects.filter(problem=problem).exists()
    assert Problem.objects.get(pk=problem.pk).status == Status.ASSIGNED
    assert media_files() == before


def test_a_too_long_file_name_is_refused(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    name = "长" * 220 + ".pdf"
    response = client.post(
        reverse("problems:progress", args=[problem.pk]),
        {"text": "已整改", "evidence": [upload(name, PDF)]},
    )
    assert response.status_code == 400
    assert "过长" in response.content.decode()
    assert not Attachment.objects.exists()


STORED = re.compile(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}\.(\w+)$")


@pytest.mark.parametrize(
    ("name", "content", "extension", "mime"),
    [
        ("整改报告.pdf", PDF, "pdf", "application/pdf"),
        ("现场照片.png", PNG, "png", "image/png"),
        ("现场照片.jpeg", JPEG, "jpg", "image/jpeg"),
        (
            "整改方案.docx",
            DOCX,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "床位台账.xlsx",
            XLSX,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_an_accepted_file_is_stored_under_a_random_name(
    client, liaison_a, make_problem, name, content, extension, mime
):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    response = client.post(
        reverse("problems:progress", args=[problem.pk]),
        {"text": "已整改", "evidence": [upload(name, content)]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(report__problem=problem)
    match = STORED.match(attachment.file.name)
    assert match and match.group(1) == extension
    assert name.split(".")[0] not in attachment.file.name
    assert attachment.name == name
    assert attachment.content_type == mime
    assert attachment.size == len(content)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=16)
def test_a_large_upload_spooled_to_disk_is_checked_too(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    response = client.post(
        reverse("problems:progress", args=[problem.pk]),
        {"text": "已整改", "evidence": [upload("方案.docx", DOCX), upload("表.xlsx", PDF)]},
    )
    assert response.status_code == 400
    assert "扩展名是 .xlsx，但内容是PDF 文档" in response.content.decode()
    response = client.post(
        reverse("problems:progress", args=[problem.pk]),
        {"text": "已整改", "evidence": [upload("方案.docx", DOCX)]},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().content_type.endswith("wordprocessingml.document")


def test_the_download_is_an_attachment_of_the_checked_type(client, liaison_a, make_problem):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    client.post(
        reverse("problems:progress", args=[problem.pk]),
        {"text": "已整改", "evidence": [upload("整改报告（第一批）.pdf", PDF)]},
    )
    attachment = Attachment.objects.get()
    response = client.get(reverse("problems:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 5987: the Chinese name survives, percent-encoded as UTF-8.
    assert "filename*=utf-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A" in disposition
    assert b"".join(response.streaming_content) == PDF


def test_an_old_attachment_without_a_checked_type_downloads_as_bytes(
    client, liaison_a, make_problem
):
    problem = make_problem(Status.ASSIGNED)
    client.force_login(liaison_a)
    client.post(
        reverse("problems:progress", args=[problem.pk]),
        {"text": "已整改", "evidence": [upload("旧材料.pdf", PDF)]},
    )
    # Rows from before the check have the migration's default type.
    Attachment.objects.update(content_type="application/octet-stream")
    response = client.get(reverse("problems:attachment", args=[Attachment.objects.get().pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
