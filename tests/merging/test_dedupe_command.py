"""oversight dedupe --input FILE.jsonl --json: the script contract."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "id": "a",
        "text": "部分养老机构预收费用数额较大，未设立专用账户，缺乏有效监管。",
        "region": "驻马店市",
        "channel": "self_inspection",
    },
    {
        "id": "b",
        "text": "养老院预收的钱太多，没有专用账户，万一跑路了老人的钱找谁要？",
        "region": "411700",
        "channel": "public",
        "extra": 1,
    },
    {
        "id": "c",
        "text": "敬老院消防设施配备不全，安全出口被杂物堵塞。",
        "region": "新蔡县",
        "channel": "inspection",
    },
    {
        "id": "d",
        "text": "敬老院消防设施配备不全，安全出口被杂物堵塞。",
        "region": "汝南县",
        "channel": "inspection",
    },
    {
        "id": "e",
        "text": "新蔡县敬老院消防设施配备不全，安全出口被杂物堵塞。",
        "region": "",
        "channel": "deputy",
    },
    {
        "id": "f",
        "text": "护理员持证上岗率偏低，专业培训不足。",
        "region": "411700",
        "channel": "inspection",
    },
    {
        "id": "g",
        "text": "社区日间照料中心开放时间短，服务项目单一。",
        "region": "411700",
        "channel": "public",
    },
]


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("dedupe", "--input", str(path), *args, stdout=out)
    return out.getvalue()


def test_json_lists_the_groups(reference: Any, tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps(row, ensure_ascii=False) for row in ROWS])
    output = json.loads(run(path, "--json"))
    assert set(output) == {"groups"}
    groups = sorted(sorted(group) for group in output["groups"])
    # Names and codes of one region agree; 新蔡 named in the text counts; 汝南 stays apart.
    assert groups == [["a", "b"], ["c", "e"]]


def test_the_divisions_are_known_without_the_reference_data(tmp_path: Path) -> None:
    """Run where the database holds no regions: the shipped table still says that 411700
    is 驻马店市 and that 新蔡 lies in it."""
    path = write(tmp_path, [json.dumps(row, ensure_ascii=False) for row in ROWS])
    groups = sorted(sorted(group) for group in json.loads(run(path, "--json"))["groups"])
    assert groups == [["a", "b"], ["c", "e"]]


def test_threshold_option(reference: Any, tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps(row, ensure_ascii=False) for row in ROWS])
    assert json.loads(run(path, "--json", "--threshold", "0.6"))["groups"] == [["c", "e"]]
    with pytest.raises(CommandError, match="阈值"):
        run(path, "--json", "--threshold", "5")


def test_plain_output_is_readable(reference: Any, tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps(row, ensure_ascii=False) for row in ROWS])
    assert "提出 2 组" in run(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "第 2 行不是有效的 JSON"),
        ("[1, 2]", "第 2 行应为一个 JSON 对象"),
        ('{"id": "x"}', "第 2 行缺少“text”"),
        ('{"id": 5, "text": "养老"}', "第 2 行缺少“id”"),
        ('{"id": "x", "text": "养老", "region": 411700}', "第 2 行的“region”应为字符串"),
        ('{"id": "a", "text": "养老"}', "第 2 行的 id “a”与前面重复"),
    ],
)
def test_bad_lines_are_refused_with_their_number(
    reference: Any, tmp_path: Path, line: str, message: str
) -> None:
    path = write(tmp_path, [json.dumps(ROWS[0], ensure_ascii=False), line])
    with pytest.raises(CommandError, match=message):
        run(path, "--json")


def test_missing_file_is_refused(reference: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法读取文件"):
        run(tmp_path / "absent.jsonl", "--json")


def test_the_command_runs_as_a_script(reference: Any, tmp_path: Path) -> None:
    """Exit status and stderr through the real entry point (errors are not JSON on stdout)."""
    path = write(tmp_path, ["{broken"])
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["oversight", "dedupe", "--input", str(path), "--json"])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code != 0
