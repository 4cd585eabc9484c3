from django.apps import AppConfig


class UtilitiesConfig(AppConfig):
    name = "oversight.utilities"
    verbose_name = "Utilities"
