"""The overview's "Go live" button (issue 17): one click on the event's own day; on any
other day the facilitator is shown the scheduled date and asked "Start it now anyway?"."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import EventStatus, StatusChange

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def go_live(client, facilitator, open_event):
    client.force_login(facilitator)
    url = reverse("events:event_transition", kwargs={"slug": open_event.slug})
    return lambda **extra: client.post(url, {"to": "live", **extra})


def status_of(event) -> str:
    event.refresh_from_db()
    return event.status


def test_going_live_on_the_day_takes_one_click(client, go_live, open_event):
    open_event.starts_at = timezone.now() - timedelta(minutes=5)
    open_event.ends_at = open_event.starts_at + timedelta(hours=3)
    open_event.save()
    response = go_live()
    assert response.status_code == 302
    assert status_of(open_event) == EventStatus.LIVE
    assert "“Explore: birth parents” is now live." in text(client.get(response["Location"]))


def test_going_live_on_another_day_asks_first_and_changes_nothing(go_live, open_event):
    response = go_live()
    assert response.status_code == 200
    page = text(response)
    day = open_event.starts_at.astimezone(timezone.get_default_timezone())
    assert "Start it now anyway?" in page
    assert (
        f"“Explore: birth parents” is scheduled for {day:%A} {day.day} {day:%B %Y} "
        "(Europe/London), not today." in page
    )
    assert "Nothing has changed yet: the event is still scheduled." in page
    assert 'name="confirm_date" value="1"' in page
    assert status_of(open_event) == EventStatus.SCHEDULED
    assert not StatusChange.objects.filter(to_status=EventStatus.LIVE).exists()


def test_confirming_starts_it_anyway(client, go_live, open_event):
    response = go_live(confirm_date="1")
    assert response.status_code == 302
    assert status_of(open_event) == EventStatus.LIVE
    page = text(client.get(response["Location"]))
    assert "is now live" in page
    assert "Start it now anyway?" not in page


def test_any_other_answer_than_yes_is_not_a_confirmation(go_live, open_event):
    assert "Start it now anyway?" in text(go_live(confirm_date="yes please"))
    assert status_of(open_event) == EventStatus.SCHEDULED
