"""Participant pages: join by code or invitation link, the welcome page, withdrawing.

Participants have no account; after joining, ``events.identity`` remembers them in the
browser's session.
"""

from collections.abc import Callable
from functools import wraps

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from events import selectors, services
from events.errors import EventsError
from events.forms import JoinCodeForm, JoinForm
from events.identity import forget_participant, participant_for, remember_participant
from events.join_links import read_join_token
from events.models import EventStatus, ParticipantStatus
from events.services import JOINABLE
from events.views.calls import run_service
from ops.throttle import Throttled, check_allowed, client_address, record_attempt

CLOSED_MESSAGES = {
    EventStatus.DRAFT: "This event is not open for joining yet. Please try again later, or "
    "check the date in your invitation.",
    EventStatus.CLOSED: "This event has finished, so it can't be joined any more. Thank you "
    "for your interest.",
    EventStatus.ARCHIVED: "This event has finished, so it can't be joined any more. Thank you "
    "for your interest.",
}


def _problem(request, message: str, *, event=None, status: int = 400):
    """A page that says plainly what went wrong; nothing was stored."""
    return render(
        request, "events/join/problem.html", {"message": message, "event": event}, status=status
    )


@never_cache
def join_start(request):
    """Type the event code (the landing page's form comes here)."""
    form = JoinCodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        address = client_address(request)
        try:
            check_allowed(scope="join_code", address=address)
        except Throttled as throttled:
            return _problem(request, throttled.message, status=429)
        event = selectors.event_by_code(form.cleaned_data["code"])
        if event is None:
            record_attempt(scope="join_code", address=address)  # guessing codes
        if event is not None:
            return redirect("events:join", code=event.code)
        form.add_error(
            "code",
            f"We couldn't find an event with the code “{form.cleaned_data['code']}”. Check "
            "the code in your invitation: it has 6 letters and numbers.",
        )
    return render(request, "events/join/code.html", {"form": form})


def _event_or_none(code: str):
    return selectors.event_by_code(code)


def _guessed(request, code: str):
    """A join link with an unknown code: counted like a wrong code on the landing page."""
    address = client_address(request)
    try:
        check_allowed(scope="join_code", address=address)
    except Throttled as throttled:
        return _problem(request, throttled.message, status=429)
    record_attempt(scope="join_code", address=address)
    return _problem(request, "There is no event with this code. Check the link.", status=404)


@never_cache
def join(request, code: str):
    event = _event_or_none(code)
    if event is None:
        return _guessed(request, code)
    return _join_page(request, event, invitation=None)


@never_cache
def join_invited(request, code: str, token: str):
    event = _event_or_none(code)
    if event is None:
        return _guessed(request, code)
    try:
        invitation = read_join_token(token=token, event=event)
    except EventsError as error:
        return _problem(request, " ".join(error.messages), event=event)
    return _join_page(request, event, invitation=invitation)


def _join_page(request, event, *, invitation):
    if participant_for(request.session, event) is not None:
        return redirect("events:welcome", code=event.code)
    if event.status not in JOINABLE:
        return _problem(request, CLOSED_MESSAGES[event.status], event=event, status=200)
    if request.method == "POST":
        address = client_address(request)
        try:
            check_allowed(scope="join", address=address, key=event.code)
        except Throttled as throttled:
            return _problem(request, throttled.message, event=event, status=429)
        record_attempt(scope="join", address=address, key=event.code)
    # The questionnaire email is opt-in: never filled in from the invitation (issue 17).
    form = JoinForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        participant = run_service(
            request,
            lambda: services.join_event(event=event, invitation=invitation, **form.cleaned_data),
            form=form,
        )
        if participant is not None:
            remember_participant(request.session, participant)
            return redirect("events:welcome", code=event.code)
    is_full = services.joined_count(event) >= event.capacity
    return render(
        request,
        "events/join/join.html",
        {"event": event, "form": form, "invitation": invitation, "is_full": is_full},
    )


def _as_participant(view: Callable) -> Callable:
    """The view receives the event named by ``code`` and the participant this browser joined
    it as; an unknown code is 404, and a browser that has not joined goes to the join page."""

    @wraps(view)
    def wrapper(request, code: str):
        event = _event_or_none(code)
        if event is None:
            return _problem(
                request, "There is no event with this code. Check the link.", status=404
            )
        participant = participant_for(request.session, event)
        if participant is None:
            return redirect("events:join", code=event.code)
        return view(request, event, participant)

    return wrapper


@never_cache
@_as_participant
def welcome(request, event, participant):
    return render(
        request,
        "events/join/welcome.html",
        {
            "event": event,
            "participant": participant,
            "waitlisted": participant.status == ParticipantStatus.WAITLISTED,
            "agenda": selectors.agenda(event),
            "has_closing_questions": event.closing_questions.exists(),
            "role_label": event.role_codes.filter(code=participant.role_code)
            .values_list("label", flat=True)
            .first(),
        },
    )


@never_cache
@_as_participant
def withdraw(request, event, participant):
    if request.method == "POST":
        services.withdraw_participant(participant=participant)
        forget_participant(request.session, event)
        return render(request, "events/join/withdrawn.html", {"event": event})
    return render(
        request, "events/join/withdraw.html", {"event": event, "participant": participant}
    )
