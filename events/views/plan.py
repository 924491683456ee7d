"""Staff pages of an event's plan: its agenda, round prompts, closing questions and role codes."""

from functools import partial

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from events import selectors, services
from events.forms import ClosingQuestionForm, PromptForm, RoleCodeForm, SegmentForm
from events.models import SegmentKind
from events.views.access import manage_event
from events.views.calls import run_service, save_form
from events.views.tabs import event_context, redirect_to

# --- agenda ---------------------------------------------------------------------------------


@manage_event
def event_agenda(request, event):
    form = SegmentForm(request.POST or None, initial={"kind": SegmentKind.CAFE_ROUND})
    add = partial(services.add_segment, event=event)
    added = save_form(request, form, add, success=lambda s: f"“{s.title}” added to the agenda.")
    if added is not None:
        return redirect_to("event_agenda", event)
    scheduled = selectors.agenda(event)
    total = sum(s.segment.planned_minutes for s in scheduled)
    planned = int((event.ends_at - event.starts_at).total_seconds() // 60)
    return render(
        request,
        "events/manage/agenda.html",
        event_context(
            request, event, "agenda", form=form, agenda=scheduled, total=total, planned=planned
        ),
    )


@manage_event
def segment_edit(request, event, pk: int):
    segment = get_object_or_404(event.segments, pk=pk)
    form = SegmentForm(request.POST or None, initial=SegmentForm.initial_for(segment))
    update = partial(services.update_segment, segment=segment)
    saved = save_form(request, form, update, success="Agenda updated; later start times follow.")
    if saved is not None:
        return redirect_to("event_agenda", event)
    return render(
        request,
        "events/manage/segment_form.html",
        event_context(request, event, "agenda", form=form, segment=segment),
    )


def _offset(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@require_POST
@manage_event
def segment_move(request, event, pk: int):
    segment = get_object_or_404(event.segments, pk=pk)
    run_service(request, lambda: services.move_segment(segment=segment, offset=_offset(request)))
    return redirect(reverse("events:event_agenda", kwargs={"slug": event.slug}) + f"#s{pk}")


@require_POST
@manage_event
def segment_delete(request, event, pk: int):
    segment = get_object_or_404(event.segments, pk=pk)
    run_service(
        request,
        lambda: services.delete_segment(segment=segment),
        success=f"“{segment.title}” removed from the agenda.",
    )
    return redirect_to("event_agenda", event)


# --- round prompts and closing questions --------------------------------------------------------


@manage_event
def event_questions(request, event):
    form = ClosingQuestionForm(request.POST or None)
    add = partial(services.add_closing_question, event=event)
    if save_form(request, form, add, success="Closing question added.") is not None:
        return redirect_to("event_questions", event)
    rounds = [
        (number, segment, PromptForm(initial={"prompt": segment.prompt}, prefix=f"r{segment.pk}"))
        for number, segment in enumerate(selectors.round_prompts(event), start=1)
    ]
    return render(
        request,
        "events/manage/questions.html",
        event_context(
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
        run_service(
            request,
            lambda: services.set_round_prompt(segment=segment, prompt=form.cleaned_data["prompt"]),
            success=lambda saved: f"Prompt of “{saved.title}” saved.",
        )
    else:
        messages.error(request, "A café round needs the question its tables discuss.")
    return redirect_to("event_questions", event)


@manage_event
def question_edit(request, event, pk: int):
    question = get_object_or_404(event.closing_questions, pk=pk)
    form = ClosingQuestionForm(request.POST or None, initial={"text": question.text})
    update = partial(services.update_closing_question, question=question)
    if save_form(request, form, update, success="Closing question saved.") is not None:
        return redirect_to("event_questions", event)
    return render(
        request,
        "events/manage/question_form.html",
        event_context(request, event, "questions", form=form, question=question),
    )


@require_POST
@manage_event
def question_move(request, event, pk: int):
    question = get_object_or_404(event.closing_questions, pk=pk)
    run_service(
        request,
        lambda: services.move_closing_question(question=question, offset=_offset(request)),
    )
    return redirect_to("event_questions", event)


@require_POST
@manage_event
def question_delete(request, event, pk: int):
    question = get_object_or_404(event.closing_questions, pk=pk)
    run_service(
        request,
        lambda: services.delete_closing_question(question=question),
        success="Closing question removed.",
    )
    return redirect_to("event_questions", event)


# --- role codes -------------------------------------------------------------------------------


@manage_event
def event_role_codes(request, event):
    form = RoleCodeForm(request.POST or None)
    add = partial(services.add_role_code, event=event)
    if save_form(request, form, add, success="Role code added.") is not None:
        return redirect_to("event_role_codes", event)
    return render(
        request,
        "events/manage/role_codes.html",
        event_context(request, event, "role_codes", form=form, role_codes=event.role_codes.all()),
    )


@require_POST
@manage_event
def role_code_delete(request, event, pk: int):
    role_code = get_object_or_404(event.role_codes, pk=pk)
    run_service(
        request,
        lambda: services.remove_role_code(role_code=role_code),
        success=f"Role code {role_code.code} removed.",
    )
    return redirect_to("event_role_codes", event)
