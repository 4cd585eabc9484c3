"""Test settings: the real settings with a throwaway key, fast hashing and temp media.

Every temporary file of a test run (media, data, pytest's tmp_path, subprocesses, the
browser's profile) goes into one folder of the project's build/ directory, removed when the
run ends: the suite leaves nothing behind in the system's temporary folder.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

TEST_TMP = Path(__file__).resolve().parent.parent / "build" / "test-tmp"
RUN_TMP = TEST_TMP / f"run-{os.getpid()}"
# Folders of earlier runs that were killed before they could clean up.
for stale in TEST_TMP.glob("run-*"):
    try:
        os.kill(int(stale.name.removeprefix("run-")), 0)
    except (ValueError, ProcessLookupError):
        shutil.rmtree(stale, ignore_errors=True)
    except PermissionError:
        pass
RUN_TMP.mkdir(parents=True, exist_ok=True)
(RUN_TMP / "static").mkdir()
atexit.register(shutil.rmtree, RUN_TMP, ignore_errors=True)
os.environ["TMPDIR"] = str(RUN_TMP)
tempfile.tempdir = str(RUN_TMP)

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("OVERSIGHT_DATA_DIR", str(RUN_TMP / "data"))

from oversight.settings import *  # noqa: E402, F403
from oversight.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = RUN_TMP / "media"
STATIC_ROOT = RUN_TMP / "static"
WHITENOISE_USE_FINDERS = True
# Persistent connections from the live server's thread would block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tasks run at once, inside the test; a test of the worker selects the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
