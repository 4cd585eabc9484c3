from django.db import transaction

from oversight.regions.models import Level, Region
from oversight.regions.services import load_regions
from oversight.topics.models import Topic
from oversight.topics.services import load_all_topics

from .models import CONGRESS_CODE, Kind, Organisation


def congress_name(region: Region) -> str:
    # 济源示范区 has a working committee (人大工委) rather than a standing committee.
    suffix = "人大工委" if region.code == "419001" else "人大常委会"
    return f"{region.name}{suffix}"


@transaction.atomic
def ensure_congresses() -> int:
    """Give every region its congress standing committee; returns how many were created."""
    created = 0
    for region in Region.objects.all():
        _, was_created = Organisation.objects.get_or_create(
            region=region,
            code=CONGRESS_CODE,
            defaults={"kind": Kind.CONGRESS, "name": congress_name(region)},
        )
        created += was_created
    return created


@transaction.atomic
def ensure_departments(region: Region, topic: Topic) -> list[Organisation]:
    """Create the topic's usual departments in ``region`` (e.g. 驻马店市民政局, 河南省民政厅)."""
    departments = []
    for usual in topic.departments.all():
        name = usual.province_name if region.level == Level.PROVINCE else usual.name
        if not name:
            continue
        organisation, _ = Organisation.objects.get_or_create(
            region=region,
            code=usual.code,
            defaults={"kind": Kind.DEPARTMENT, "name": f"{region.name}{name}"},
        )
        departments.append(organisation)
    return departments


@transaction.atomic
def load_reference_data() -> None:
    """Regions, topics, and for every region its congress and each topic's departments.

    Idempotent: run it after upgrading to pick up new regions or topic data.
    """
    load_regions()
    topics = load_all_topics()
    ensure_congresses()
    for region in Region.objects.all():
        for topic in topics:
            ensure_departments(region, topic)
