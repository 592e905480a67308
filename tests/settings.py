"""Test settings: the product's own, with a fast password hasher (MD5 is for tests only)."""

import os
import tempfile
from pathlib import Path

# The tests run on the demo's key (outside debug mode the product refuses to start without a key unless asked
# for the demo); the `manage.py` commands the tests start inherit it.
os.environ.setdefault("ZHAOSHANG_DEMO", "1")

from zhaoshang.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests
# Background jobs run at once, in the test (on PostgreSQL too): a big export is ready when its request returns.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DOWNLOADS_DIR = Path(tempfile.mkdtemp(prefix="zhaoshang-test-downloads-"))  # not the working tree's var/
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zhaoshang-test-media-"))  # the carriers' photos
STORAGES["evidence"] = env_evidence_storage(MEDIA_ROOT)  # noqa: F405  the evidence files: there too, not var/
# A signed-in session renews its idle expiry on every request here, as the product did before it renewed at most
# once a minute (org/sessions.py): the query-count tests compare a page's first answer with later ones, and the
# renewal's write would land in the first only. tests/org/test_security.py tests the minute with the product's 60.
SESSION_RENEW_SECONDS = 0
