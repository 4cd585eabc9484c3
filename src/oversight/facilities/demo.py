"""Demo data of this app, built from the bulletins through the app's own actions.

The bulletins give totals and rates; the registry needs one row per facility, so the rows
are spread over the city's counties and marked illustrative (``is_illustrative``). Dates are
chosen so that the rates computed from the registry are the bulletins' own:

- 鹤壁 street centres: 25 built by 2023 with 19 operating (76%); 2 more built and 7 more
  operating in 2024, 26 of 27 (96%).
- 鹤壁 day-care centres: 228, 150 operating (66%) → 41 more (191, 84%).
- 鹤壁 180 meal-assistance institutions; 7 medical-care institutions with both licences
  (1 new in 2024), 6 being built and 4 planned; 4 township homes converted, 5 due in July
  2025; family hospital beds 2 → 39.
- 驻马店 435 meal-assistance points built; 56 medical-care institutions with both licences,
  at least one in each county; 52 township homes converted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from oversight.accounts.models import User
from oversight.regions.models import Region
from oversight.topics.models import Topic

from .actions import FacilitySpec, register_facilities
from .models import Facility, Status

D = datetime.date


def _spread(city: Region) -> Iterator[Region]:
    counties = list(city.children.order_by("code"))
    while True:
        yield from counties


def _specs(
    city: Region,
    kind: str,
    label: str,
    count: int,
    *,
    built_on: D | None,
    operating_since: D | None,
    status: str,
    start: int = 0,
    **extra: object,
) -> list[FacilitySpec]:
    places = _spread(city)
    specs = []
    for number in range(start + 1, start + count + 1):
        region = next(places)
        specs.append(
            FacilitySpec(
                kind=kind,
                name=f"{region.name}{label}{number:03d}",
                region=region,
                status=status,
                built_on=built_on,
                operating_since=operating_since,
                address=f"{region.name}（示意地址）",
                is_illustrative=True,
                **extra,  # type: ignore[arg-type]
            )
        )
    return specs


def hebi_specs(city: Region) -> list[FacilitySpec]:
    operating = Status.OPERATING
    return [
        # 街道综合养老服务中心: 76% → 96%, 7 newly operating.
        *_specs(city, "street-centre", "街道综合养老服务中心", 19,
                built_on=D(2021, 6, 30), operating_since=D(2022, 1, 1), status=operating),
        *_specs(city, "street-centre", "街道综合养老服务中心", 6, start=19,
                built_on=D(2021, 6, 30), operating_since=D(2024, 6, 1), status=operating),
        *_specs(city, "street-centre", "街道综合养老服务中心", 1, start=25,
                built_on=D(2024, 5, 1), operating_since=D(2024, 6, 1), status=operating),
        *_specs(city, "street-centre", "街道综合养老服务中心", 1, start=26,
                built_on=D(2024, 5, 1), operating_since=None, status=Status.BUILT),
        # 社区日间照料中心: 66% → 84%, 41 newly operating.
        *_specs(city, "day-care", "社区日间照料中心", 150,
                built_on=D(2021, 6, 30), operating_since=D(2022, 1, 1), status=operating),
        *_specs(city, "day-care", "社区日间照料中心", 41, start=150,
                built_on=D(2021, 6, 30), operating_since=D(2024, 7, 1), status=operating),
        *_specs(city, "day-care", "社区日间照料中心", 37, start=191,
                built_on=D(2021, 6, 30), operating_since=None, status=Status.BUILT),
        # 老年助餐机构: 180 operating, 1125% of the province's target of 16.
        *_specs(city, "meal", "老年助餐点", 180,
                built_on=D(2024, 3, 1), operating_since=D(2024, 4, 1), status=operating),
        # 双证齐全的医养结合机构: 7 (1 new), 6 being built, 4 planned.
        *_specs(city, "medical-care", "医养结合机构", 6, built_on=D(2020, 1, 1),
                operating_since=D(2020, 3, 1), status=operating,
                medical_licence=True, care_licence=True),
        *_specs(city, "medical-care", "医养结合机构", 1, start=6, built_on=D(2024, 6, 1),
                operating_since=D(2024, 8, 1), status=operating,
                medical_licence=True, care_licence=True),
        *_specs(city, "medical-care", "医养结合机构（在建）", 6, start=7,
                built_on=None, operating_since=None, status=Status.BUILDING),
        *_specs(city, "medical-care", "医养结合机构（规划）", 4, start=13,
                built_on=None, operating_since=None, status=Status.PLANNED),
        # 乡镇敬老院: 4 turned into regional centres, 5 more due in July 2025.
        *_specs(city, "township-home", "乡镇敬老院", 4, built_on=D(2010, 1, 1),
                operating_since=D(2010, 3, 1), status=operating, converted_on=D(2024, 9, 30)),
        *_specs(city, "township-home", "乡镇敬老院", 5, start=4, built_on=D(2010, 1, 1),
                operating_since=D(2010, 3, 1), status=operating, note="计划2025年7月完成转型"),
        # 家庭病床: 2 at the start of the campaign, 39 now.
        *_specs(city, "family-bed", "家庭病床", 2,
                built_on=D(2023, 10, 1), operating_since=D(2023, 10, 1), status=operating),
        *_specs(city, "family-bed", "家庭病床", 37, start=2,
                built_on=D(2024, 9, 1), operating_since=D(2024, 10, 1), status=operating),
    ]  # fmt: skip


def zhumadian_specs(city: Region) -> list[FacilitySpec]:
    operating = Status.OPERATING
    return [
        # 老年助餐点: 430 planned (an entered indicator), 435 built.
        *_specs(city, "meal", "老年助餐点", 435,
                built_on=D(2024, 6, 30), operating_since=D(2024, 7, 1), status=operating),
        # 56 双证齐全的医养结合机构, every county at least one.
        *_specs(city, "medical-care", "医养结合机构", 56, built_on=D(2022, 1, 1),
                operating_since=D(2022, 3, 1), status=operating,
                medical_licence=True, care_licence=True),
        # 52 乡镇敬老院 turned into regional centres.
        *_specs(city, "township-home", "乡镇敬老院", 52, built_on=D(2010, 1, 1),
                operating_since=D(2010, 3, 1), status=operating, converted_on=D(2024, 10, 31)),
    ]  # fmt: skip


CITIES = {"410600": ("hebi-staff", hebi_specs), "411700": ("zmd-staff", zhumadian_specs)}


def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again."""
    topic = Topic.objects.get(slug="elderly-care")
    for code, (username, build) in CITIES.items():
        city = Region.objects.get(code=code)
        if Facility.objects.filter(topic=topic).filter(city.subtree_q("region")).exists():
            continue
        actor = User.objects.get(username=username)
        register_facilities(actor=actor, topic=topic, specs=build(city))
