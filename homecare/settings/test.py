"""Tests: a fast password hasher, jobs run in-process, mail written to files."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_FILE_PATH = os.path.join(tempfile.gettempdir(), "homecare-test-mail")
HOMECARE_JOBS = os.environ.get("HOMECARE_JOBS", "immediate")
AXES_FAILURE_LIMIT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: Celery worker and live-server threads open
    # connections of their own; in WAL mode one reads while another writes, where
    # shared-cache memory can fail at once with "database table is locked".
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"homecare-test-{os.getpid()}.sqlite3")
    }
else:
    # HOMECARE_TEST_DB names the test database, so that two checkouts can run
    # their suites against one PostgreSQL server at once.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("HOMECARE_TEST_DB", f"test_{DATABASES['default']['NAME']}")
    }
