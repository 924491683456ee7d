"""The post-event questionnaire by email (issue 19), in Chromium, on the real parts: the ASGI
server and a Celery worker as subprocesses.

A participant joins on a phone with an email address and leaves before the closing
questions; the facilitator closes the event from its overview; the worker sends the letter
(written to a file: ``tests/e2e/mail_settings.py``); the link in it opens the questionnaire,
which shows the deadline and saves the answers; the facilitator's overview counts them.

Screenshots: docs/screenshots/questionnaire-*.png.
"""

import email
import re
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cafes.models import ClosingAnswer, QuestionnaireLetter
from cafes.questionnaire import deadline_words
from config.celery import app as celery_app
from events.models import EventStatus, Participant
from tests.cafes.conftest import make_event, staff_viewer
from tests.e2e.conftest import PHONE
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import screenshot
from tests.support.servers import asgi_server, celery_worker, wait_until

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "pw-12345678"


@pytest.fixture
def stack(transactional_db, tmp_path):
    """The web server and a worker whose emails land in ``tmp_path/mail``."""
    outbox = tmp_path / "mail"
    outbox.mkdir()
    # Messages other tests left on the file broker are not this test's to run.
    celery_app.control.purge()
    with (
        asgi_server(tmp_path) as server,
        celery_worker(
            tmp_path,
            name="mail",
            DJANGO_SETTINGS_MODULE="tests.e2e.mail_settings",
            TEST_EMAIL_DIR=str(outbox),
            SITE_URL=server.http_url,
        ) as worker,
    ):
        yield server.http_url, outbox, worker


def read_letters(outbox: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(outbox.glob("*.log"))
    ]


def test_the_questionnaire_link_arrives_by_email_and_takes_the_answers(stack, new_context):
    base, outbox, worker = stack
    event = make_event(questions=2)
    event.status = EventStatus.LIVE
    event.save()
    first, second = event.closing_questions.all()
    facilitator = staff_viewer(event).user
    facilitator.set_password(PASSWORD)
    facilitator.save()

    # A participant joins on a phone, with an email for the questionnaire, and leaves.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{base}/join/{event.code}/")
    page.get_by_label("The name others will see").fill("Robin")
    page.get_by_label("Prefer not to say").check()
    page.get_by_label("I understand and agree").check()
    page.get_by_label("Email for the questionnaire after the event").fill("robin@example.org")
    page.get_by_role("button", name="Join the event").click()
    page.get_by_text("You have joined.").wait_for()
    robin = Participant.objects.get(event=event, pseudonym="Robin")
    assert robin.contact_email == "robin@example.org"
    page.close()  # gone before the closing questions

    # The facilitator closes the event from its overview.
    staff = new_context(viewport=DESKTOP).new_page()
    staff.goto(f"{base}/login/")
    staff.get_by_label("Username").fill(facilitator.get_username())
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_url(lambda url: "/login/" not in url)
    overview = f"{base}/manage/events/{event.slug}/"
    staff.goto(overview)
    panel = staff.locator("#questionnaire")
    expect(panel).to_contain_text("When the event closes, everyone who joined, gave an email")
    staff.on("dialog", lambda dialog: dialog.accept())  # "Close … now? … can't be undone."
    staff.get_by_role("button", name="Close the event").click()
    staff.get_by_text("is now closed").wait_for()

    # The worker sends Robin the letter, once.
    wait_until(
        lambda: read_letters(outbox),
        timeout=120,
        message=f"no letter was written; the worker said:\n{worker.output()}",
    )
    [letter] = read_letters(outbox)
    assert letter["To"] == "robin@example.org"
    assert letter["Subject"] == f"Your closing questions: {event.title}"
    body = letter.get_body(preferencelist=("plain",)).get_content()
    assert f'Thank you for taking part in "{event.title}".' in body
    assert f"Please answer by {deadline_words(event)}." in body
    [link] = re.findall(rf"{re.escape(base)}/questions/\S+/", body)
    assert link == f"{base}/questions/{robin.key}/"
    assert QuestionnaireLetter.objects.filter(participant=robin, sent_at__isnull=False).count() == 1

    # The link opens the questionnaire on the phone; the answers are saved.
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Closing questions")).to_be_visible()
    expect(page.locator("#deadline")).to_contain_text("Please answer by")
    expect(page.locator("#deadline")).to_contain_text(deadline_words(event).split(" (")[0])
    page.get_by_label(first.text).fill("Someone who stays, and letters in plain words")
    page.get_by_label(second.text).fill("Easier from home, x < y")
    screenshot(page, "questionnaire-from-email-phone")
    assert_no_axe_violations(page, "questionnaire-from-email-phone")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Thank you. Your answers are saved")).to_be_visible()
    expect(page.get_by_label(second.text)).to_have_value("Easier from home, x < y")
    screenshot(page, "questionnaire-saved-phone")
    answers = ClosingAnswer.objects.filter(participant=robin).values_list("text", flat=True)
    assert sorted(answers) == [
        "Easier from home, x < y",
        "Someone who stays, and letters in plain words",
    ]

    # The facilitator's overview counts the answers, without them.
    staff.goto(overview)
    panel = staff.locator("#questionnaire")
    expect(panel).to_contain_text("1 person")
    expect(panel.locator("dt", has_text="Answered all").locator("+ dd")).to_have_text("1")
    expect(panel.locator("dt", has_text="Answered none yet").locator("+ dd")).to_have_text("0")
    expect(panel).not_to_contain_text("Someone who stays")
    expect(panel).not_to_contain_text("Robin")
    expect(panel.get_by_role("button", name="Send one reminder")).to_be_visible()
    panel.scroll_into_view_if_needed()
    screenshot(staff, "questionnaire-overview-counts")
    assert_no_axe_violations(staff, "questionnaire-overview-counts")

    # Nobody is left to remind: the button says so and sends nothing.
    panel.get_by_role("button", name="Send one reminder").click()
    expect(staff.locator("main")).to_contain_text("Nobody needs a reminder")
    assert len(read_letters(outbox)) == 1
