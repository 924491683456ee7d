"""The overview's "Close the event" (issue 17): it says what closing sets going for this
event's stage, and asks first with the same words."""

import html

import pytest
from django.urls import reverse

from events.models import EventStatus, Stage

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.mark.parametrize(
    ("stage", "says", "never"),
    [
        (Stage.EXPLORE, "Draft themes are built from the notes, then report version 1", ""),
        (Stage.CONNECT, "Connect events get no report of their own", "harvest report starts"),
        (Stage.CREATE, "A new version of the series report compiles", "Draft themes"),
    ],
)
def test_the_close_button_says_what_closing_does_for_the_stage(
    client, facilitator, open_event, stage, says, never
):
    open_event.stage = stage
    open_event.status = EventStatus.LIVE
    open_event.save()
    client.force_login(facilitator)
    page = text(client.get(reverse("events:event_overview", kwargs={"slug": open_event.slug})))
    assert "Close the event" in page
    assert says in page
    assert f'data-confirm="Close “{open_event.title}” now? Nobody can post any more.' in page
    if never:
        assert never not in page


def test_the_close_button_says_the_questionnaire_link_goes_only_when_there_are_questions(
    client, facilitator, open_event
):
    open_event.status = EventStatus.LIVE
    open_event.save()
    client.force_login(facilitator)
    url = reverse("events:event_overview", kwargs={"slug": open_event.slug})
    open_event.closing_questions.all().delete()
    assert "questionnaire link" not in text(client.get(url))
    open_event.closing_questions.create(text="What will you take away?", position=1)
    assert "emailed their questionnaire link" in text(client.get(url))
