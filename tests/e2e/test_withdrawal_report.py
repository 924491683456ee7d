"""A participant withdraws after the report was compiled (issue 15 item 1), in Chromium:
the review team can no longer download the version that holds their words, and can
download the new version, which does not."""

import shutil

import pytest
from django.contrib.sessions.backends.db import SessionStore

from cafes.models import Note
from events.identity import SESSION_KEY
from reports import services as reports
from reports.models import ReportStatus, ReportVersion
from reports.tasks import compile_report as compile_task
from tests.reports.conftest import load_report_event
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-12345678")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_a_withdrawal_takes_the_version_with_their_words_away_from_the_review_team(
    live_server_url, new_context, monkeypatch, tmp_path
):
    from tests.factories import MembershipFactory, UserFactory

    event = load_report_event()
    reviewer = UserFactory(username="reviewer")
    MembershipFactory(user=reviewer, series=event.series, event=None, role="review_team")
    note = Note.objects.filter(event=event).exclude(participant=None).order_by("id").first()
    author, words = note.participant, note.text
    monkeypatch.setattr(compile_task, "delay", lambda version_id: None)
    v1 = reports.compile_report(version=reports.request_report(event=event, reason="Closed"))
    assert v1.status == ReportStatus.DONE
    try:
        review = new_context(accept_downloads=True).new_page()
        sign_in(review, live_server_url, "reviewer")
        review.goto(f"{live_server_url}/series/{event.series.slug}/reports/")
        with review.expect_download() as download:
            review.get_by_role("link", name="Web page (HTML) of version 1").click()
        before = tmp_path / "v1.html"
        download.value.save_as(before)
        assert words in before.read_text()

        # The participant withdraws, in their own browser.
        session = SessionStore()
        session[SESSION_KEY] = {str(event.pk): author.pk}
        session.create()
        participant = new_context()
        host = live_server_url.split("//", 1)[1].split(":")[0]
        participant.add_cookies(
            [{"name": "sessionid", "value": session.session_key, "domain": host, "path": "/"}]
        )
        page = participant.new_page()
        page.goto(f"{live_server_url}/join/{event.code}/withdraw/")
        page.get_by_role("button", name=f"Withdraw, {author.pseudonym}").click()
        page.get_by_text("withdrawn", exact=False).first.wait_for()

        # The review team's page: version 1 withdrawn, no download; version 2 queued.
        v2 = ReportVersion.objects.get(event=event, number=2)
        reports.compile_report(version=v2)
        review.goto(f"{live_server_url}/series/{event.series.slug}/reports/")
        review.get_by_text("Withdrawn", exact=True).first.wait_for()
        assert review.get_by_role("link", name="Web page (HTML) of version 1").count() == 0
        old = review.request.get(f"{live_server_url}/reports/files/{v1.files.first().pk}/")
        assert old.status == 410
        with review.expect_download() as download:
            review.get_by_role("link", name="Web page (HTML) of version 2").click()
        after = tmp_path / "v2.html"
        download.value.save_as(after)
        assert words not in after.read_text()
        screenshot(review, "report-withdrawn-version")
    finally:
        shutil.rmtree(reports.version_folder(v1).parent, ignore_errors=True)
