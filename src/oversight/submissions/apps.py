from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "oversight.submissions"
    verbose_name = _("代表建议与群众反映")
