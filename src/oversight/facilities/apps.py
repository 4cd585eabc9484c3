from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "oversight.facilities"
    verbose_name = _("养老服务设施")
