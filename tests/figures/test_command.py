"""``oversight extract-figures FILE --json``: the contract with scripts."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .conftest import PARAGRAPH, docx_bytes

SEED = Path(__file__).parent / "seeds" / "000_0d5cac026b1b12cf.txt"
KEYS = {"subject", "value", "unit", "before", "sentence"}


def run(path: Path) -> dict:  # type: ignore[type-arg]
    out = StringIO()
    call_command("extract-figures", str(path), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_of_a_txt_seed() -> None:
    figures = run(SEED)["figures"]
    assert all(set(figure) == KEYS for figure in figures)
    beds = next(f for f in figures if f["unit"] == "张")
    assert (beds["value"], beds["before"]) == (39.0, 2.0)
    assert isinstance(beds["value"], float) and isinstance(beds["sentence"], str)
    assert "３９" in beds["sentence"]
    assert next(f for f in figures if f["unit"] == "万元")["before"] is None


def test_json_of_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "简报.docx"
    path.write_bytes(docx_bytes(*PARAGRAPH.split("。")))
    figures = run(path)["figures"]
    assert [(f["value"], f["unit"], f["before"]) for f in figures] == [
        (430.0, "所", None),
        (435.0, "所", None),
        (71.16, "%", None),
        (111.5, "万元", None),
        (96.0, "%", 76.0),
    ]
    assert figures[4]["subject"] == "街道综合养老服务中心运营率"


def test_human_output(tmp_path: Path) -> None:
    path = tmp_path / "简报.txt"
    path.write_text(PARAGRAPH, encoding="utf-8")
    out = StringIO()
    call_command("extract-figures", str(path), stdout=out)
    assert "76 → 96%" in out.getvalue()
    assert out.getvalue().rstrip().endswith("共 5 项数据。")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("简报.pdf", b"%PDF-1.4\n%%EOF\n", "不支持的文件类型"),
        ("简报.docx", b"not a zip", "无法识别文件"),
        ("简报.txt", b"", "空文件"),
        ("简报.txt", b"\x00\x01", "不是纯文本文件"),
    ],
)
def test_a_bad_file_is_a_command_error_in_chinese(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("extract-figures", str(path), "--json", stdout=StringIO())


def test_a_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("extract-figures", str(tmp_path / "nope.txt"), "--json")
