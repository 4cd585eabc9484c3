from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "oversight.figures"
    verbose_name = _("简报数据提取")
