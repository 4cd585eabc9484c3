from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "oversight.followups"
    verbose_name = _("跟踪监督")
