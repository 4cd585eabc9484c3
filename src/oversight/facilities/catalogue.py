"""Facility kinds are topic data: the ``[[facility_kinds]]`` of ``topics/data/<slug>.toml``.

The file is read here rather than copied into tables, so that a new kind (or a new topic)
needs an edit of the data file and no migration.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from oversight.topics.services import topic_files


@cache
def topic_document(slug: str) -> dict[str, Any]:
    """The parsed data file of the topic ``slug`` (``{}`` when there is none)."""
    for path in topic_files():
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        if data.get("slug") == slug:
            return data
    return {}


@dataclass(frozen=True)
class FacilityKind:
    code: str
    name: str
    licences: bool = False
    convertible: bool = False
    converted_name: str = ""


@cache
def facility_kinds(slug: str) -> dict[str, FacilityKind]:
    """The topic's facility kinds by code, in the file's order."""
    kinds: dict[str, FacilityKind] = {}
    for entry in topic_document(slug).get("facility_kinds", []):
        code = entry["code"]
        if code in kinds:
            raise ValueError(f"{slug}: 设施类型代码 {code!r} 重复")
        kinds[code] = FacilityKind(
            code=code,
            name=entry["name"],
            licences=bool(entry.get("licences", False)),
            convertible=bool(entry.get("convertible", False)),
            converted_name=entry.get("converted_name", ""),
        )
    return kinds
