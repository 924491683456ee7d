"""Staff pages of one event: creating it, its overview and status buttons, its details, a copy
for another group, and its QR code."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from events import permissions, selectors, services
from events.errors import EventsError
from events.forms import DuplicateEventForm, EventForm, clock_initial
from events.join_links import join_qr_svg, join_url
from events.models import EventStatus, Stage
from events.views.access import manage_event, series_page, watch_event
from events.views.calls import run_service, show_refusal
from events.views.tabs import event_context, redirect_to

# What the status buttons say, so a facilitator knows what each move does.
TRANSITION_BUTTONS = {
    EventStatus.SCHEDULED: ("Schedule: open for joining", "Participants can join from now on."),
    EventStatus.DRAFT: ("Back to draft", "Joining closes until it is scheduled again."),
    EventStatus.LIVE: ("Go live", "The event is running now."),
    EventStatus.CLOSED: ("Close the event", ""),  # what it does depends on the stage
    EventStatus.ARCHIVED: ("Archive", "Hidden from the overview's next steps."),
}


def _button(event, to: str) -> tuple[str, str]:
    """A status button's label and what it does; closing says what it sets going for this
    event's stage (a Connect event gets no harvest report of its own)."""
    label, help_text = TRANSITION_BUTTONS[to]
    if to == EventStatus.CLOSED:
        help_text = selectors.what_closing_does(event)
    return label, help_text


def _event_fields(form: EventForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "slug": data["slug"],
        "stage": data["stage"],
        "stakeholder_group": data["stakeholder_group"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "capacity": data["capacity"],
        "table_size": data["table_size"],
        "description": data["description"],
        "context": data["context"],
    }


@series_page(permissions.can_manage_series)
def event_create(request, series):
    initial = {"stage": request.GET.get("stage", Stage.EXPLORE)}
    group = series.stakeholder_groups.filter(pk=request.GET.get("group") or None).first()
    if group:
        initial.update(stakeholder_group=group.pk, title=f"Explore: {group.name}")
    form = EventForm(request.POST or None, series=series, initial=initial)
    if request.method == "POST" and form.is_valid():
        event = run_service(
            request,
            lambda: services.create_event(
                series=series, timezone_name=form.cleaned_data["timezone"], **_event_fields(form)
            ),
            form=form,
            success=lambda event: f"“{event.title}” created as a draft. Set its agenda next.",
        )
        if event is not None:
            return redirect_to("event_agenda", event)
    return render(
        request, "events/manage/event_form.html", {"form": form, "series": series, "event": None}
    )


def _render_overview(request, event, **extra):
    event = selectors.with_counts(type(event).objects.filter(pk=event.pk)).get()
    moves = services.TRANSITIONS.get(event.status, ())
    return render(
        request,
        "events/manage/event_overview.html",
        event_context(
            request,
            event,
            "overview",
            agenda=selectors.agenda(event),
            join_link=join_url(event, base_url=request.build_absolute_uri("/")),
            transitions=[(to, *_button(event, to)) for to in moves],
            history=event.status_changes.select_related("changed_by"),
            **extra,
        ),
    )


@watch_event
def event_overview(request, event):
    return _render_overview(request, event)


@manage_event
def event_edit(request, event):
    form = EventForm(
        request.POST or None, series=event.series, initial=EventForm.initial_for(event)
    )
    if request.method == "POST" and form.is_valid():
        fields = _event_fields(form)
        fields["slug"] = fields["slug"] or event.slug
        saved = run_service(
            request,
            lambda: services.update_event(
                event=event, timezone=form.cleaned_data["timezone"], **fields
            ),
            form=form,
            success="Event details saved.",
        )
        if saved is not None:
            return redirect_to("event_overview", saved)
    return render(
        request,
        "events/manage/event_form.html",
        event_context(request, event, "edit", form=form, series=event.series),
    )


@manage_event
def event_duplicate(request, event):
    """Two clicks: the form comes filled in for the next group without an event of this stage."""
    group = selectors.next_group_for_duplicate(event)
    stage_label = event.get_stage_display()
    initial = {
        "stakeholder_group": group.pk if group else None,
        "title": f"{stage_label}: {group.name}" if group else f"{event.title} (copy)",
        "starts_at": clock_initial(event.starts_at + timedelta(days=7), event.timezone),
    }
    form = DuplicateEventForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        copy = run_service(
            request,
            lambda: services.duplicate_event(event=event, **form.cleaned_data),
            form=form,
            success=lambda copy: f"“{copy.title}” created as a draft copy of “{event.title}”.",
        )
        if copy is not None:
            return redirect_to("event_overview", copy)
    return render(
        request,
        "events/manage/event_duplicate.html",
        event_context(request, event, "overview", form=form),
    )


@require_POST
@manage_event
def event_transition(request, event):
    to = request.POST.get("to", "")
    try:
        services.transition_event(
            event=event,
            to=to,
            by=request.user,
            ask_if_off_day=request.POST.get("confirm_date") != "1",
        )
    except services.StartDateNotToday as refusal:
        return _render_overview(request, event, off_day=refusal)
    except EventsError as error:
        show_refusal(request, error, form=None)
    else:
        messages.success(request, f"“{event.title}” is now {EventStatus(to).label.lower()}.")
    return redirect_to("event_overview", event)


@manage_event
def event_qr(request, event):
    svg = join_qr_svg(event, base_url=request.build_absolute_uri("/"))
    return HttpResponse(svg, content_type="image/svg+xml")
