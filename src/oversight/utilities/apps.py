from django.apps import AppConfig


class UtilitiesConfig(AppConfig):
    name = "oversight.utilities"
    verbose_name = "Utilities"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the production checks)
