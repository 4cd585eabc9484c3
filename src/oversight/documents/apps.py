from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "oversight.documents"
    verbose_name = _("简报、通报与台账")
