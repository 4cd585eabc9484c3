"""The production entry point (gunicorn, see ``oversight serve``): unsafe settings refuse to
start here, before any request is served."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
application = get_wsgi_application()

from oversight.utilities.checks import refuse_unsafe_settings  # noqa: E402

refuse_unsafe_settings()
