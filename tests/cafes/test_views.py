"""The café pages: who gets in, and the questionnaire that works without a websocket."""

import pytest
from django.urls import reverse

from cafes.models import ClosingAnswer
from events.identity import remember_participant
from events.models import ParticipantStatus, StaffRole
from tests.cafes.conftest import make_event, staff_viewer
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def log_in_participant(client, participant):
    session = client.session
    remember_participant(session, participant)
    session.save()
    client.cookies["sessionid"] = session.session_key


def test_a_stranger_is_asked_to_join_first(client):
    event = make_event()
    response = client.get(reverse("cafes:table", args=[event.slug]))
    assert response.status_code == 403
    assert "You have not joined this event yet" in response.text


def test_a_participant_gets_the_table_page_with_its_live_address(client):
    event = make_event()
    participant = ParticipantFactory(event=event)
    log_in_participant(client, participant)
    response = client.get(reverse("cafes:table", args=[event.slug]))
    assert response.status_code == 200
    assert f'data-live-url="/ws/events/{event.slug}/live/"' in response.text
    assert reverse("cafes:questionnaire", args=[participant.key]) in response.text
    assert '<label for="note-text">Your note</label>' in response.text
    assert 'aria-live="polite"' in response.text
    assert "style=" not in response.text  # the CSP forbids inline style


def test_the_console_is_for_staff_and_the_review_team_watches(client):
    event = make_event()
    url = reverse("cafes:console", args=[event.slug])
    assert client.get(url).status_code == 302
    reviewer = staff_viewer(event, StaffRole.REVIEW_TEAM)
    client.force_login(reviewer.user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Facilitator console" in response.text
    outsider = ParticipantFactory(event=event)
    client.logout()
    log_in_participant(client, outsider)
    assert client.get(url).status_code == 302


def test_the_questionnaire_saves_and_edits_answers_without_a_websocket(client):
    event = make_event(questions=2)
    participant = ParticipantFactory(event=event)
    first, second = event.closing_questions.all()
    url = reverse("cafes:questionnaire", args=[participant.key])
    page = client.get(url)
    assert first.text in page.text
    client_id = page.context["form"]["client_id"].initial
    data = {
        "q-client_id": client_id,
        f"q-answer_{first.pk}": "Keep the family together",
        f"q-answer_{second.pk}": "",
    }
    response = client.post(url, data, follow=True)
    assert "Thank you" in response.text
    client.post(url, data)  # a double submit stores nothing twice
    assert list(ClosingAnswer.objects.values_list("text", flat=True)) == [
        "Keep the family together"
    ]

    data[f"q-answer_{first.pk}"] = "Keep families together, with help"
    data["q-client_id"] = client.get(url).context["form"]["client_id"].initial
    client.post(url, data)
    assert list(ClosingAnswer.objects.values_list("text", flat=True)) == [
        "Keep families together, with help"
    ]
    assert "Keep families together, with help" in client.get(url).text


def test_the_questionnaire_refuses_html_next_to_the_field(client):
    event = make_event(questions=1)
    participant = ParticipantFactory(event=event)
    question = event.closing_questions.get()
    url = reverse("cafes:questionnaire", args=[participant.key])
    client_id = client.get(url).context["form"]["client_id"].initial
    response = client.post(url, {"q-client_id": client_id, f"q-answer_{question.pk}": "<b>hi</b>"})
    assert response.status_code == 200
    assert "plain words" in response.text
    assert not ClosingAnswer.objects.exists()


def questionnaire_post(client, url, answers: dict) -> object:
    client_id = client.get(url).context["form"]["client_id"].initial
    return client.post(url, {"q-client_id": client_id, **answers}, follow=True)


def test_the_questionnaire_keeps_plain_text_with_angle_brackets_as_typed(client):
    event = make_event(questions=1)
    participant = ParticipantFactory(event=event)
    question = event.closing_questions.get()
    url = reverse("cafes:questionnaire", args=[participant.key])
    text = "rules say x < y and y > z, and I <3 my kids"
    response = questionnaire_post(client, url, {f"q-answer_{question.pk}": text})
    assert "Your answers are saved" in response.text
    assert list(ClosingAnswer.objects.values_list("text", flat=True)) == [text]
    assert "rules say x &lt; y and y &gt; z, and I &lt;3 my kids" in client.get(url).text


def test_a_refused_box_is_named_and_the_other_answers_are_saved(client):
    event = make_event(questions=2)
    participant = ParticipantFactory(event=event)
    first, second = event.closing_questions.all()
    url = reverse("cafes:questionnaire", args=[participant.key])
    response = questionnaire_post(
        client,
        url,
        {f"q-answer_{first.pk}": "One worker who stays", f"q-answer_{second.pk}": "<b>loud</b>"},
    )
    assert f"{second.text}: Please write the answer in plain words" in response.text
    assert "Your other answers are saved. Only the box listed above needs another look." in (
        response.text
    )
    assert "Your answers are saved;" not in response.text
    assert list(ClosingAnswer.objects.values_list("question_id", "text")) == [
        (first.pk, "One worker who stays")
    ]


def test_emptying_a_box_takes_the_answer_back(client):
    event = make_event(questions=2)
    participant = ParticipantFactory(event=event)
    first, second = event.closing_questions.all()
    url = reverse("cafes:questionnaire", args=[participant.key])
    questionnaire_post(
        client, url, {f"q-answer_{first.pk}": "Plain letters", f"q-answer_{second.pk}": "Kind"}
    )
    response = questionnaire_post(
        client, url, {f"q-answer_{first.pk}": "", f"q-answer_{second.pk}": "Kind"}
    )
    assert "Your answers are saved" in response.text
    assert list(ClosingAnswer.objects.values_list("question_id", "text")) == [(second.pk, "Kind")]
    assert "Plain letters" not in client.get(url).text


def test_a_withdrawn_participants_link_stops_working(client):
    participant = ParticipantFactory(event=make_event(), status=ParticipantStatus.WITHDRAWN)
    response = client.get(reverse("cafes:questionnaire", args=[participant.key]))
    assert response.status_code == 404


def test_the_staff_event_page_leads_to_the_console_and_the_harvest(client):
    event = make_event()
    facilitator = staff_viewer(event)
    client.force_login(facilitator.user)

    page = client.get(reverse("events:event_overview", args=[event.slug])).text

    assert f'href="{reverse("cafes:console", args=[event.slug])}"' in page
    assert f'href="{reverse("harvest:workspace", args=[event.slug])}"' in page
