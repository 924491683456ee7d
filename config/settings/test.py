"""Settings for the test suite: the same as base, with fast hashing and captured email.

PostgreSQL and Redis are used when ``DATABASE_URL`` and ``REDIS_URL`` are set (CI sets them);
otherwise SQLite and the in-memory channel layer.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, REDIS_URL, VAR_DIR

DEBUG = False
# The origin the suite's in-process websocket tests send (they have no Host header).
CSRF_TRUSTED_ORIGINS = ["http://localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "test-media"
import os  # noqa: E402

if os.environ.get("TEST_DATABASE_POOL") != "1":
    # The pytest process runs many event loops and threads, one test after another; a pool
    # shared across them can be left holding connections a finished test's threads took.
    # Server subprocesses (tests/support/servers.py) set TEST_DATABASE_POOL=1 and so run
    # with the pool, as in production.
    DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Subprocess servers in integration tests must see the test database, so it is a file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Keep the test broker apart from a `make run` worker on the same laptop.
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "test-broker"),
        "data_folder_out": str(VAR_DIR / "test-broker"),
        "processed_folder": str(VAR_DIR / "test-processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "test-control"),
    }
    (VAR_DIR / "test-broker").mkdir(parents=True, exist_ok=True)

# Tests share one client address; the rate-limit tests set their own small limits.
RATE_LIMITS = dict.fromkeys(("login", "join", "join_code"), (100000, 600))
