"""Reference data for administrative divisions, shipped with the project as CSV."""

import csv
from pathlib import Path

from django.db import transaction

from .models import Level, Region

DATA_FILE = Path(__file__).parent / "data" / "henan.csv"


@transaction.atomic
def load_regions(path: Path = DATA_FILE) -> int:
    """Create or update every region in ``path``; returns how many rows were read.

    Rows are ordered parent before child, so each parent exists when its children load.
    """
    count = 0
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] not in Level.values:
                raise ValueError(f"{path.name}: 未知层级 {row['level']!r}（区划 {row['code']}）")
            parent = Region.objects.get(code=row["parent"]) if row["parent"] else None
            Region.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "level": row["level"], "parent": parent},
            )
            count += 1
    return count
