"""The real settings, with static files served unhashed: no collectstatic before a bench run."""

from oversight.settings import *  # noqa: F403
from oversight.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
