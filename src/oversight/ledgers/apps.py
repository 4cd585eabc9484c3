from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "oversight.ledgers"
    verbose_name = _("整改台账")
