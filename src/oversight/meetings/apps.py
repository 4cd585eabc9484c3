from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "oversight.meetings"
    verbose_name = _("会议、专题询问与审议意见")
