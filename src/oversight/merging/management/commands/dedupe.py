"""oversight dedupe --input FILE.jsonl --json: proposed groups of raw reports, as the intake
page proposes them (same engine, same default threshold)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from oversight.merging import engine
from oversight.regions.models import Region
from oversight.regions.services import shipped_regions


def _region_table() -> engine.Gazetteer:
    """The GB/T 2260 divisions shipped with the project, and any more the database holds:
    the command answers the same with or without a set-up database."""
    rows = {code: (code, name, parent) for code, name, parent in shipped_regions()}
    try:
        for region in Region.objects.select_related("parent"):
            parent = region.parent.code if region.parent else ""
            rows[region.code] = (region.code, region.name, parent)
    except DatabaseError:
        pass  # not migrated: the shipped divisions are all there is
    return engine.build_gazetteer(rows.values())


def read_reports(path: Path) -> tuple[list[engine.Report], engine.Gazetteer]:
    """One JSON object a line with string ``id`` and ``text`` (``region``, ``channel``
    optional strings); a bad line stops everything with its line number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CommandError(f"无法读取文件 {path}：{error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CommandError(f"文件 {path} 不是 UTF-8 编码的文本。") from None
    gazetteer = _region_table()
    reports: list[engine.Report] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise CommandError(f"第 {number} 行不是有效的 JSON：{error.msg}。") from None
        if not isinstance(row, dict):
            raise CommandError(f"第 {number} 行应为一个 JSON 对象。")
        for key in ("id", "text"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise CommandError(f"第 {number} 行缺少“{key}”，或它不是非空字符串。")
        for key in ("region", "channel"):
            if not isinstance(row.get(key, ""), str):
                raise CommandError(f"第 {number} 行的“{key}”应为字符串。")
        if row["id"] in seen:
            raise CommandError(f"第 {number} 行的 id “{row['id']}”与前面重复。")
        seen.add(row["id"])
        reports.append(
            engine.Report(
                row["id"],
                row["text"],
                engine.region_key(row.get("region", ""), gazetteer),
                row.get("channel", ""),
            )
        )
    return reports, gazetteer


class Command(BaseCommand):
    help = (
        "找出用不同说法反映同一问题的原始问题，提出归并分组"
        "（与原始问题归并页面相同的算法和默认阈值）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="JSON Lines 文件，每行一条原始问题")
        parser.add_argument(
            "--threshold",
            type=float,
            default=engine.DEFAULT_THRESHOLD,
            help=f"相似度阈值（{engine.MIN_THRESHOLD}–{engine.MAX_THRESHOLD}，默认 "
            f"{engine.DEFAULT_THRESHOLD}）",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        threshold: float = options["threshold"]
        if not engine.MIN_THRESHOLD <= threshold <= engine.MAX_THRESHOLD:
            raise CommandError(f"阈值应在 {engine.MIN_THRESHOLD} 到 {engine.MAX_THRESHOLD} 之间。")
        reports, gazetteer = read_reports(Path(options["input"]))
        groups = engine.propose_groups(reports, threshold=threshold, gazetteer=gazetteer)
        if options["json"]:
            self.stdout.write(json.dumps({"groups": groups}, ensure_ascii=False))
            return
        texts = {report.id: report.text for report in reports}
        self.stdout.write(f"{len(reports)} 条原始问题，提出 {len(groups)} 组：")
        for index, group in enumerate(groups, 1):
            self.stdout.write(f"第 {index} 组（{len(group)} 条）")
            for report_id in group:
                self.stdout.write(f"  {report_id}  {texts[report_id][:60]}")
