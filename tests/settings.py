"""Test settings: the real settings with a throwaway key, fast hashing and temp media."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("OVERSIGHT_DATA_DIR", tempfile.mkdtemp(prefix="oversight-data-"))

from oversight.settings import *  # noqa: E402,F403
from oversight.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="oversight-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="oversight-static-")
WHITENOISE_USE_FINDERS = True
