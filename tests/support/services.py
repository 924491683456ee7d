"""What a test needs from the machine, and what happens when it is missing.

Under ``CI=true`` a missing service is a failure, never a skip: CI must prove the real parts
work. On a laptop a test that needs something absent is skipped with the reason.
"""

import os
import shutil

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI needs this, but: {reason}", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing("DATABASE_URL does not point at PostgreSQL")


def require_postgres_and_redis() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing("DATABASE_URL does not point at PostgreSQL")
    if not settings.REDIS_URL:
        missing("REDIS_URL is not set")


def require_program(name: str) -> str:
    path = shutil.which(name)
    if not path:
        missing(f"{name} is not installed (make system-deps installs it)")
    return path
