"""Test settings: the real settings with a throwaway key, fast hashing and temp media."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("OVERSIGHT_DATA_DIR", tempfile.mkdtemp(prefix="oversight-data-"))

from oversight.settings import *  # noqa: F403
from oversight.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="oversight-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="oversight-static-"))
WHITENOISE_USE_FINDERS = True
# Persistent connections from the live server's thread would block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
