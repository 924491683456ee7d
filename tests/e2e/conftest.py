"""Browser tests: a real ASGI server subprocess on the test database, and Chromium."""

import pytest

from tests.support.browser import chromium
from tests.support.servers import asgi_server

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _allow_database_beside_playwright(monkeypatch):
    """Playwright's sync API keeps an event loop running in this thread; Django would then
    refuse database calls in the test (and the database flush after it) as "async"."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live_server_url(transactional_db, tmp_path):
    """The URL of a real uvicorn process serving the test database (HTTP + websockets)."""
    with asgi_server(tmp_path) as server:
        yield server.http_url


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module: Playwright's sync API runs an event loop in this thread
    while it is open, which must not outlive the browser tests."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def new_context(browser):
    """Open separate browser contexts (separate people); closed after the test."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
