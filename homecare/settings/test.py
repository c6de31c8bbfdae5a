"""Tests: a fast password hasher, jobs run in-process, mail written to files."""

import os
import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_FILE_PATH = os.path.join(tempfile.gettempdir(), "homecare-test-mail")
HOMECARE_JOBS = os.environ.get("HOMECARE_JOBS", "immediate")
AXES_FAILURE_LIMIT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
