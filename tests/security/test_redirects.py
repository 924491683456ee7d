"""Open redirects: every door that takes a place to go next (sign-in, sign-out, the admin's
sign-in) only ever sends people to a page of this site.

Each hostile target is one a phishing mail would use: another host, a scheme-relative
``//host``, a scheme without slashes, backslashes browsers read as slashes, user-info that
hides the real host, and script URLs.
"""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "https:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "http://testserver@evil.example/",
    "http:\\\\evil.example",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example%2f%2e%2e",
    "/\t/evil.example",  # browsers drop the tab: //evil.example
    "\x00//evil.example",
]
STAFF_HOME = "/manage/"  # LOGIN_REDIRECT_URL: everyone who signs in is staff
HOME = "/"  # LOGOUT_REDIRECT_URL


def left_the_site(location: str) -> bool:
    """Would a browser leave this site (or run script) following this Location?"""
    cleaned = location.strip().replace("\\", "/").lower()
    return (
        not cleaned.startswith("/")
        or cleaned.startswith("//")
        or "evil.example" in cleaned.split("?", 1)[0]
    )


@pytest.fixture
def user():
    return UserFactory(username="sam", password="right-password-123", is_staff=True)


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_in_never_follows_next_off_the_site(client, user, target):
    response = client.post(
        reverse("login") + "?next=" + target,
        {"username": "sam", "password": "right-password-123", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == STAFF_HOME
    assert not left_the_site(response["Location"])


def test_signing_in_does_follow_a_page_of_this_site(client, user):
    """The protection above is not that ``next`` is ignored: a page of the site is kept."""
    target = reverse("events:series_create")
    response = client.post(
        reverse("login"), {"username": "sam", "password": "right-password-123", "next": target}
    )
    assert response["Location"] == target


@pytest.mark.parametrize("target", HOSTILE)
def test_the_sign_in_form_does_not_carry_a_hostile_next(client, target):
    page = client.get(reverse("login"), {"next": target}).content.decode()
    assert '<input type="hidden" name="next" value="">' in page
    assert "evil.example" not in page
    assert "javascript:" not in page
    assert "data:text" not in page


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_out_never_follows_next_off_the_site(client, user, target):
    client.force_login(user)
    response = client.post(reverse("logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", HOSTILE)
def test_the_admin_sign_in_passes_on_only_a_page_of_this_site(client, target):
    response = client.get("/admin/login/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2F"
    kept = client.get("/admin/login/", {"next": "/admin/auth/user/"})
    assert kept["Location"] == "/login/?next=%2Fadmin%2Fauth%2Fuser%2F"


def test_pages_that_ask_to_sign_in_send_back_to_themselves_only(client, user):
    """Staff pages redirect anonymous visitors to sign in with ``next`` = their own path;
    a Host header naming another site does not make ``next`` absolute."""
    response = client.get(reverse("events:series_list"), HTTP_HOST="localhost")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/manage/"
    forged = client.get(reverse("events:series_list"), HTTP_HOST="evil.example")
    assert forged.status_code == 400  # not in ALLOWED_HOSTS
