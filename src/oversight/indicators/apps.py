from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "oversight.indicators"
    verbose_name = _("养老服务指标")
