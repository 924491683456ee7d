"""Fixtures shared by the whole suite."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(username="staff", password="pw-12345678")


def pytest_collection_modifyitems(config, items):
    """Run browser tests last, after every test that must not share a thread with
    Playwright's event loop."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
