"""Pages of the live café: a participant's (or host's) table, the facilitator console, and
the post-event questionnaire. Live content arrives over the socket; these only set the page."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cafes import selectors, services
from cafes.errors import CafeError, CsvImportError
from cafes.forms import NotesUploadForm, QuestionnaireForm
from cafes.models import ClosingAnswer
from cafes.permissions import Viewer, can_run, can_watch
from cafes.questionnaire import answers_closed
from events.models import Event
from events.selectors import closing_questions, what_closing_does


def _staff_page(allowed: Callable[[Viewer], bool], refusal: str):
    """A page for the event's staff (``/events/<slug>/…``): strangers sign in first, and a
    signed-in person ``allowed`` refuses is told ``refusal``. The view gets the event and
    the viewer instead of the slug."""

    def decorate(view):
        @wraps(view)
        def page(request: HttpRequest, slug: str) -> HttpResponse:
            event = get_object_or_404(Event, slug=slug)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            viewer = selectors.viewer_for(event=event, session=None, user=request.user)
            if viewer is None or not allowed(viewer):
                raise PermissionDenied(refusal)
            return view(request, event, viewer)

        return page

    return decorate


def _live_url(event: Event) -> str:
    return f"/ws/events/{event.slug}/live/"


def table_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    viewer = selectors.viewer_for(event=event, session=request.session, user=request.user)
    if viewer is None:
        return render(request, "cafes/not_joined.html", {"event": event}, status=403)
    table_id = request.GET.get("table")
    if viewer.participant is None and not (table_id or "").isdigit():
        return redirect("cafes:console", slug=event.slug)
    if viewer.participant is not None:
        services.seat_newcomer(participant=viewer.participant)
    return render(
        request,
        "cafes/table.html",
        {
            "event": event,
            "viewer": viewer,
            "live_url": _live_url(event),
            "table_id": table_id if viewer.participant is None else "",
            "questionnaire_url": (
                reverse("cafes:questionnaire", args=[viewer.participant.key])
                if viewer.participant
                else ""
            ),
        },
    )


@_staff_page(can_watch, "Only the event's staff can see the console.")
def console_page(request: HttpRequest, event: Event, viewer: Viewer) -> HttpResponse:
    return render(
        request,
        "cafes/console.html",
        {
            "event": event,
            "viewer": viewer,
            "live_url": _live_url(event),
            "closing_says": what_closing_does(event),
        },
    )


def questionnaire(request: HttpRequest, key: str) -> HttpResponse:
    """The closing questions for someone who left early: reached from their own link. After
    the deadline the page still shows their answers, and says politely that it is closed."""
    viewer = selectors.viewer_for_key(key=key)
    if viewer is None:
        return render(request, "cafes/questionnaire_gone.html", status=404)
    questions = closing_questions(viewer.event)
    answers = dict(
        ClosingAnswer.objects.filter(participant=viewer.participant).values_list(
            "question_id", "text"
        )
    )
    closed = answers_closed(viewer.event)
    form = QuestionnaireForm(
        None if closed else request.POST or None,
        questions=questions,
        answers=answers,
        prefix="q",
        disabled=closed,
    )
    saved = 0
    if request.method == "POST" and form.is_valid():
        for question, text, client_id in form.answered():
            try:
                services.answer_question(
                    viewer=viewer, question_id=question.pk, text=text, client_id=client_id
                )
            except CafeError as error:
                form.add_error(form.field_name(question), error.message)
            else:
                saved += 1
        for question in form.cleared():
            services.clear_answer(viewer=viewer, question_id=question.pk)
            saved += 1
        if not form.errors:
            messages.success(
                request, "Thank you. Your answers are saved; you can change them here."
            )
            return redirect("cafes:questionnaire", key=key)
    return render(
        request,
        "cafes/questionnaire.html",
        {
            "event": viewer.event,
            "participant": viewer.participant,
            "form": form,
            "saved_others": saved,
            "closed": closed,
            "has_answers": bool(answers),
            "refused": closed and request.method == "POST",
        },
        status=403 if closed and request.method == "POST" else 200,
    )


@require_POST
@_staff_page(can_run, "Only the event's facilitators can send the questionnaire reminder.")
def questionnaire_reminder(request: HttpRequest, event: Event, viewer: Viewer) -> HttpResponse:
    """The overview's "Send one reminder" (its panel: ``{% questionnaire_panel %}``)."""
    try:
        reminder = services.send_one_reminder(viewer=viewer)
    except CafeError as error:
        messages.error(request, error.message)
    else:
        people = f"{reminder.recipients} {'person' if reminder.recipients == 1 else 'people'}"
        messages.success(
            request,
            f"The reminder is on its way to {people} who have not answered every question. "
            "It can't be sent again.",
        )
    return redirect("events:event_overview", slug=event.slug)


@_staff_page(can_run, "Only the event's facilitators can import notes.")
def import_page(request: HttpRequest, event: Event, viewer: Viewer) -> HttpResponse:
    """The facilitator brings in the words of an event run on paper or on another board:
    every row or none, with the mistakes listed by line."""
    form = NotesUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    more = 0
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_notes(
                stream=form.cleaned_data["file"].splitlines(keepends=True), event=event
            )
        except CsvImportError as error:
            errors, more = error.errors, error.more
        else:
            messages.success(
                request,
                f"Imported {result.notes} notes, {result.chat} chat messages and "
                f"{result.answers} answers.",
            )
            return redirect("cafes:import_notes", slug=event.slug)
    return render(
        request,
        "cafes/import.html",
        {"event": event, "form": form, "errors": errors, "more": more, "can_manage": True},
        status=400 if errors or form.errors else 200,
    )
