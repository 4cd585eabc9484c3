from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "oversight.evaluations"
    verbose_name = _("满意度测评")
