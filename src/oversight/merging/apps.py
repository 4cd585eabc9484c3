from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MergingConfig(AppConfig):
    name = "oversight.merging"
    verbose_name = _("智能归并")
