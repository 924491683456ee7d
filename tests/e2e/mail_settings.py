"""Test settings for a worker whose emails a browser test must read: the same as
``config.settings.test``, with each email written to a file in ``TEST_EMAIL_DIR`` (the
locmem outbox of another process is out of the test's reach)."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]
