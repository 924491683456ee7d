"""The login page renders in Chromium on a phone-sized screen."""

import pytest

from tests.support.browser import screenshot

pytestmark = pytest.mark.browser


def test_login_page_on_a_phone(live_server_url, new_context):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server_url}/login/")

    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    screenshot(page, "login-error-phone")
