from typing import Any

from django.core.management.base import BaseCommand

from oversight.organisations.models import Organisation
from oversight.organisations.services import load_reference_data
from oversight.regions.models import Region


class Command(BaseCommand):
    help = "载入行政区划、监督专题，以及各地区的人大常委会和常见责任部门（可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        load_reference_data()
        self.stdout.write(
            f"行政区划 {Region.objects.count()} 个，机构 {Organisation.objects.count()} 个。"
        )
