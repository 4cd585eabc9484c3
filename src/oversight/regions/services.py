"""Reference data for administrative divisions, shipped with the project as CSV."""

import csv
from pathlib import Path

from django.db import transaction

from .models import Level, Region

DATA_FILE = Path(__file__).parent / "data" / "henan.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seen: set[str] = set()
    for row in rows:
        if row["level"] not in Level.values:
            raise ValueError(f"{path.name}: 未知层级 {row['level']!r}（区划 {row['code']}）")
        if row["parent"] and row["parent"] not in seen:
            raise ValueError(f"{path.name}: 区划 {row['code']} 的上级 {row['parent']} 须在它之前")
        seen.add(row["code"])
    return rows


def shipped_regions(path: Path = DATA_FILE) -> list[tuple[str, str, str]]:
    """``(code, name, parent code)`` of every region in the shipped file, for code that must
    know the divisions without a database (the ``dedupe`` command)."""
    return [(row["code"], row["name"], row["parent"]) for row in _read(path)]


@transaction.atomic
def load_regions(path: Path = DATA_FILE) -> int:
    """Create or update every region in ``path``; returns how many rows were read.

    Rows are ordered parent before child. Every test loads the regions, so this runs in a
    handful of queries (one insert per level, one update for the rows that changed) rather
    than a few per row.
    """
    rows = _read(path)
    depth: dict[str, int] = {}
    for row in rows:
        depth[row["code"]] = depth[row["parent"]] + 1 if row["parent"] else 0
    existing = {region.code: region for region in Region.objects.all()}
    changed: list[Region] = []
    # Parents come first, so inserting depth by depth gives each row its parent's key.
    for level in range(max(depth.values(), default=-1) + 1):
        new: list[Region] = []
        for row in rows:
            if depth[row["code"]] != level:
                continue
            parent = existing[row["parent"]] if row["parent"] else None
            region = existing.get(row["code"])
            if region is None:
                new.append(
                    Region(code=row["code"], name=row["name"], level=row["level"], parent=parent)
                )
            elif (region.name, region.level, region.parent_id) != (
                row["name"],
                row["level"],
                parent.pk if parent else None,
            ):
                region.name, region.level, region.parent = row["name"], row["level"], parent
                changed.append(region)
        if new:
            Region.objects.bulk_create(new)
            codes = [region.code for region in new]
            existing.update({r.code: r for r in Region.objects.filter(code__in=codes)})
    if changed:
        Region.objects.bulk_update(changed, ["name", "level", "parent"])
    return len(rows)
