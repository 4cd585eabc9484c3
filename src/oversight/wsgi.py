"""WSGI entry points.

``application`` is what Django's own server (the demo's ``runserver``) loads. Production
serves ``checked_application()`` under gunicorn (see ``oversight serve``): it refuses to
start with unsafe settings, before any request is served.
"""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
application = get_wsgi_application()


def checked_application() -> WSGIHandler:
    from oversight.utilities.checks import refuse_unsafe_settings

    refuse_unsafe_settings()
    return application
