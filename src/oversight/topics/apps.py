from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "oversight.topics"
    verbose_name = _("监督专题")
