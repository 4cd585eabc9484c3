from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "oversight.campaigns"
    verbose_name = _("联动监督")
