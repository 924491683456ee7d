"""Facilitator pages: series, events, agendas, questions, role codes, invitations, people.

Each view parses a form, asks ``events.permissions`` (through ``access``) and calls one
service; the rules themselves live in ``events.services``.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from events import permissions, selectors, services
from events.errors import EventsError
from events.forms import (
    ClosingQuestionForm,
    DuplicateEventForm,
    EventForm,
    InviteForm,
    MembershipForm,
    PromptForm,
    RoleCodeForm,
    SegmentForm,
    SeriesForm,
    add_service_error,
    clock_initial,
)
from events.join_links import invitation_url, join_qr_svg, join_url
from events.models import EventStatus, SegmentKind, Stage
from events.views.access import event_page, series_page

manage_event = event_page(permissions.can_manage_event)
watch_event = event_page(permissions.can_watch_event)

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


def _event_context(request, event, tab: str, **extra) -> dict:
    return {
        "event": event,
        "tab": tab,
        "can_manage": permissions.can_manage_event(request.user, event),
        **extra,
    }


def _redirect_to(name: str, event, **kwargs):
    return redirect(f"events:{name}", slug=event.slug, **kwargs)


# --- series --------------------------------------------------------------------------------


@login_required
def series_list(request):
    """The staff home, where signing in leads: what is live, what is next, your series."""
    return render(
        request,
        "events/manage/series_list.html",
        {
            "home": selectors.staff_home(request.user),
            "can_create": permissions.can_create_series(request.user),
        },
    )


@login_required
def series_create(request):
    if not permissions.can_create_series(request.user):
        raise PermissionDenied
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.create_series(
                title=form.cleaned_data["title"],
                slug=form.cleaned_data["slug"],
                description=form.cleaned_data["description"],
                stakeholder_groups=form.cleaned_data["stakeholder_groups"],
                created_by=request.user,
            )
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Series “{series.title}” created. Now add its events.")
            return redirect("events:series_overview", slug=series.slug)
    return render(request, "events/manage/series_form.html", {"form": form})


@series_page(permissions.can_view_series)
def series_overview(request, series):
    return render(
        request,
        "events/manage/series_overview.html",
        {
            "overview": selectors.series_overview(series),
            "can_manage": permissions.can_manage_series(request.user, series),
            "stages": Stage,
        },
    )


@series_page(permissions.can_manage_series)
def series_staff(request, series):
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", "No staff member has this username.")
        else:
            services.grant_role(user=user, role=form.cleaned_data["role"], series=series)
            messages.success(request, f"{user.get_username()} now works on {series.title}.")
            return redirect("events:series_staff", slug=series.slug)
    return render(
        request,
        "events/manage/series_staff.html",
        {
            "series": series,
            "form": form,
            "memberships": selectors.memberships_of_series(series),
        },
    )


@require_POST
@series_page(permissions.can_manage_series)
def series_staff_remove(request, series, pk: int):
    membership = get_object_or_404(series.memberships, pk=pk)
    if membership.user == request.user:
        messages.error(request, "You can't remove your own facilitator role.")
    else:
        services.revoke_role(membership=membership)
        messages.success(request, "Role removed.")
    return redirect("events:series_staff", slug=series.slug)


# --- events -----------------------------------------------------------------------------------


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
        try:
            event = services.create_event(
                series=series, timezone_name=form.cleaned_data["timezone"], **_event_fields(form)
            )
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"“{event.title}” created as a draft. Set its agenda next.")
            return _redirect_to("event_agenda", event)
    return render(
        request, "events/manage/event_form.html", {"form": form, "series": series, "event": None}
    )


def _render_overview(request, event, **extra):
    event = selectors.with_counts(type(event).objects.filter(pk=event.pk)).get()
    moves = services.TRANSITIONS.get(event.status, ())
    return render(
        request,
        "events/manage/event_overview.html",
        _event_context(
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
        try:
            event = services.update_event(
                event=event, timezone=form.cleaned_data["timezone"], **fields
            )
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Event details saved.")
            return _redirect_to("event_overview", event)
    return render(
        request,
        "events/manage/event_form.html",
        _event_context(request, event, "edit", form=form, series=event.series),
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
        try:
            copy = services.duplicate_event(
                event=event,
                stakeholder_group=form.cleaned_data["stakeholder_group"],
                title=form.cleaned_data["title"],
                starts_at=form.cleaned_data["starts_at"],
            )
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"“{copy.title}” created as a draft copy of “{event.title}”.")
            return _redirect_to("event_overview", copy)
    return render(
        request,
        "events/manage/event_duplicate.html",
        _event_context(request, event, "overview", form=form),
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
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{event.title}” is now {EventStatus(to).label.lower()}.")
    return _redirect_to("event_overview", event)


@manage_event
def event_qr(request, event):
    svg = join_qr_svg(event, base_url=request.build_absolute_uri("/"))
    return HttpResponse(svg, content_type="image/svg+xml")


# --- agenda ---------------------------------------------------------------------------------


@manage_event
def event_agenda(request, event):
    form = SegmentForm(request.POST or None, initial={"kind": SegmentKind.CAFE_ROUND})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_segment(event=event, **form.cleaned_data)
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"“{form.cleaned_data['title']}” added to the agenda.")
            return _redirect_to("event_agenda", event)
    scheduled = selectors.agenda(event)
    total = sum(s.segment.planned_minutes for s in scheduled)
    planned = int((event.ends_at - event.starts_at).total_seconds() // 60)
    return render(
        request,
        "events/manage/agenda.html",
        _event_context(
            request, event, "agenda", form=form, agenda=scheduled, total=total, planned=planned
        ),
    )


@manage_event
def segment_edit(request, event, pk: int):
    segment = get_object_or_404(event.segments, pk=pk)
    form = SegmentForm(request.POST or None, initial=SegmentForm.initial_for(segment))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_segment(segment=segment, **form.cleaned_data)
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Agenda updated; later start times follow.")
            return _redirect_to("event_agenda", event)
    return render(
        request,
        "events/manage/segment_form.html",
        _event_context(request, event, "agenda", form=form, segment=segment),
    )


def _offset(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@require_POST
@manage_event
def segment_move(request, event, pk: int):
    segment = get_object_or_404(event.segments, pk=pk)
    try:
        services.move_segment(segment=segment, offset=_offset(request))
    except EventsError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("events:event_agenda", kwargs={"slug": event.slug}) + f"#s{pk}")


@require_POST
@manage_event
def segment_delete(request, event, pk: int):
    segment = get_object_or_404(event.segments, pk=pk)
    try:
        services.delete_segment(segment=segment)
    except EventsError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{segment.title}” removed from the agenda.")
    return _redirect_to("event_agenda", event)


# --- round prompts and closing questions --------------------------------------------------------


@manage_event
def event_questions(request, event):
    form = ClosingQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_closing_question(event=event, text=form.cleaned_data["text"])
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Closing question added.")
            return _redirect_to("event_questions", event)
    rounds = [
        (number, segment, PromptForm(initial={"prompt": segment.prompt}, prefix=f"r{segment.pk}"))
        for number, segment in enumerate(selectors.round_prompts(event), start=1)
    ]
    return render(
        request,
        "events/manage/questions.html",
        _event_context(
            request,
            event,
            "questions",
            form=form,
            rounds=rounds,
            questions=event.closing_questions.all(),
        ),
    )


@require_POST
@manage_event
def prompt_edit(request, event, pk: int):
    segment = get_object_or_404(event.segments, pk=pk, kind=SegmentKind.CAFE_ROUND)
    form = PromptForm(request.POST, prefix=f"r{segment.pk}")
    if form.is_valid():
        try:
            services.set_round_prompt(segment=segment, prompt=form.cleaned_data["prompt"])
        except EventsError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Prompt of “{segment.title}” saved.")
    else:
        messages.error(request, "A café round needs the question its tables discuss.")
    return _redirect_to("event_questions", event)


@manage_event
def question_edit(request, event, pk: int):
    question = get_object_or_404(event.closing_questions, pk=pk)
    form = ClosingQuestionForm(request.POST or None, initial={"text": question.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_closing_question(question=question, text=form.cleaned_data["text"])
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Closing question saved.")
            return _redirect_to("event_questions", event)
    return render(
        request,
        "events/manage/question_form.html",
        _event_context(request, event, "questions", form=form, question=question),
    )


@require_POST
@manage_event
def question_move(request, event, pk: int):
    question = get_object_or_404(event.closing_questions, pk=pk)
    try:
        services.move_closing_question(question=question, offset=_offset(request))
    except EventsError as error:
        messages.error(request, " ".join(error.messages))
    return _redirect_to("event_questions", event)


@require_POST
@manage_event
def question_delete(request, event, pk: int):
    question = get_object_or_404(event.closing_questions, pk=pk)
    try:
        services.delete_closing_question(question=question)
    except EventsError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Closing question removed.")
    return _redirect_to("event_questions", event)


# --- role codes -------------------------------------------------------------------------------


@manage_event
def event_role_codes(request, event):
    form = RoleCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_role_code(event=event, **form.cleaned_data)
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Role code added.")
            return _redirect_to("event_role_codes", event)
    return render(
        request,
        "events/manage/role_codes.html",
        _event_context(request, event, "role_codes", form=form, role_codes=event.role_codes.all()),
    )


@require_POST
@manage_event
def role_code_delete(request, event, pk: int):
    role_code = get_object_or_404(event.role_codes, pk=pk)
    try:
        services.remove_role_code(role_code=role_code)
    except EventsError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Role code {role_code.code} removed.")
    return _redirect_to("event_role_codes", event)


# --- invitations and participants ----------------------------------------------------------------


@manage_event
def event_invitations(request, event):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.invite_people(
                event=event, pasted_emails=form.cleaned_data["emails"], invited_by=request.user
            )
        except EventsError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"{len(sent)} invitation(s) saved; the emails are on their way."
            )
            return _redirect_to("event_invitations", event)
    base_url = request.build_absolute_uri("/")
    invitations = [
        (invitation, invitation_url(invitation, base_url=base_url))
        for invitation in event.invitations.prefetch_related("participants")
    ]
    return render(
        request,
        "events/manage/invitations.html",
        _event_context(
            request,
            event,
            "invitations",
            form=form,
            invitations=invitations,
            join_link=join_url(event, base_url=base_url),
        ),
    )


@require_POST
@manage_event
def invitation_resend(request, event, pk: int):
    invitation = get_object_or_404(event.invitations, pk=pk)
    services.resend_invitation(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} will be sent again.")
    return _redirect_to("event_invitations", event)


@manage_event
def event_participants(request, event):
    event = selectors.with_counts(type(event).objects.filter(pk=event.pk)).get()
    return render(
        request,
        "events/manage/participants.html",
        _event_context(
            request, event, "participants", groups=selectors.participants_by_role(event)
        ),
    )


@require_POST
@manage_event
def participant_check_in(request, event, pk: int):
    participant = get_object_or_404(event.participants, pk=pk)
    present = request.POST.get("present") != "no"
    try:
        services.check_in(participant=participant, present=present)
    except EventsError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = "checked in" if present else "no longer checked in"
        messages.success(request, f"{participant.pseudonym} is {done}.")
    return redirect(
        reverse("events:event_participants", kwargs={"slug": event.slug}) + f"#p{participant.pk}"
    )


# --- event staff ---------------------------------------------------------------------------------


@manage_event
def event_staff(request, event):
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", "No staff member has this username.")
        else:
            services.grant_role(user=user, role=form.cleaned_data["role"], event=event)
            messages.success(request, f"{user.get_username()} now works on this event.")
            return _redirect_to("event_staff", event)
    return render(
        request,
        "events/manage/event_staff.html",
        _event_context(
            request, event, "staff", form=form, memberships=selectors.memberships_of_event(event)
        ),
    )


@require_POST
@manage_event
def event_staff_remove(request, event, pk: int):
    membership = get_object_or_404(event.memberships, pk=pk)
    services.revoke_role(membership=membership)
    messages.success(request, "Role removed.")
    return _redirect_to("event_staff", event)
