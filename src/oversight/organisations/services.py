from django.db import transaction

from oversight.regions.models import Level, Region
from oversight.regions.services import load_regions
from oversight.topics.models import Topic, UsualDepartment
from oversight.topics.services import load_all_topics

from .models import CONGRESS_CODE, Kind, Organisation


def congress_name(region: Region) -> str:
    # 济源示范区 has a working committee (人大工委) rather than a standing committee.
    suffix = "人大工委" if region.code == "419001" else "人大常委会"
    return f"{region.name}{suffix}"


@transaction.atomic
def ensure_congresses() -> int:
    """Give every region its congress standing committee; returns how many were created.

    In bulk: every test loads the reference data, and a province has some 175 regions.
    """
    have = set(Organisation.objects.filter(code=CONGRESS_CODE).values_list("region_id", flat=True))
    missing = [
        Organisation(
            region=region, code=CONGRESS_CODE, kind=Kind.CONGRESS, name=congress_name(region)
        )
        for region in Region.objects.exclude(pk__in=have)
    ]
    Organisation.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def ensure_departments(region: Region, topic: Topic) -> list[Organisation]:
    """Create the topic's usual departments in ``region`` (e.g. 驻马店市民政局, 河南省民政厅)."""
    departments = []
    for usual in topic.departments.all():
        name = _department_name(region, usual)
        if not name:
            continue
        organisation, _ = Organisation.objects.get_or_create(
            region=region, code=usual.code, defaults={"kind": Kind.DEPARTMENT, "name": name}
        )
        departments.append(organisation)
    return departments


def _department_name(region: Region, usual: UsualDepartment) -> str:
    name = usual.province_name if region.level == Level.PROVINCE else usual.name
    return f"{region.name}{name}" if name else ""


@transaction.atomic
def ensure_all_departments(topics: list[Topic]) -> int:
    """``ensure_departments`` for every region and topic at once; returns how many were created."""
    have = set(Organisation.objects.filter(kind=Kind.DEPARTMENT).values_list("region_id", "code"))
    missing: dict[tuple[int, str], Organisation] = {}
    regions = list(Region.objects.all())
    for topic in topics:
        for usual in topic.departments.all():
            for region in regions:
                name = _department_name(region, usual)
                key = (region.pk, usual.code)
                if name and key not in have and key not in missing:
                    missing[key] = Organisation(
                        region=region, code=usual.code, kind=Kind.DEPARTMENT, name=name
                    )
    Organisation.objects.bulk_create(missing.values())
    return len(missing)


@transaction.atomic
def load_reference_data() -> None:
    """Regions, topics, and for every region its congress and each topic's departments.

    Idempotent: run it after upgrading to pick up new regions or topic data.
    """
    load_regions()
    topics = load_all_topics()
    ensure_congresses()
    ensure_all_departments(topics)
