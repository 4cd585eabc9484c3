"""Load topics from TOML files, so that a new topic needs a data file and no code."""

import tomllib
from pathlib import Path

from django.db import transaction

from .models import MeetingKind, ProblemArea, Topic, UsualDepartment

DATA_DIR = Path(__file__).parent / "data"


def topic_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.toml"))


@transaction.atomic
def load_topic(path: Path) -> Topic:
    """Create or update the topic described by ``path`` with its areas, departments and
    meeting kinds (the last optional: a topic may hold no meetings of its own)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    for key in ("slug", "name", "short_name", "areas", "departments"):
        if key not in data:
            raise ValueError(f"{path.name}: 缺少字段 {key!r}")
    topic, _ = Topic.objects.update_or_create(
        slug=data["slug"], defaults={"name": data["name"], "short_name": data["short_name"]}
    )
    for position, area in enumerate(data["areas"]):
        ProblemArea.objects.update_or_create(
            topic=topic, code=area["code"], defaults={"name": area["name"], "position": position}
        )
    for position, department in enumerate(data["departments"]):
        UsualDepartment.objects.update_or_create(
            topic=topic,
            code=department["code"],
            defaults={
                "name": department["name"],
                "province_name": department.get("province_name", ""),
                "position": position,
            },
        )
    for position, meeting_kind in enumerate(data.get("meeting_kinds", [])):
        MeetingKind.objects.update_or_create(
            topic=topic,
            code=meeting_kind["code"],
            defaults={"name": meeting_kind["name"], "position": position},
        )
    return topic


def load_all_topics() -> list[Topic]:
    return [load_topic(path) for path in topic_files()]
