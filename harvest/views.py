"""Thin views of the curation workspace (its board, list of notes and closing answers), its
marker review and the series view: parse, authorise, call a service, render the board, the
list (or page) again."""

from collections.abc import Callable, Collection
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Event, Series
from events.permissions import can_view_series
from harvest import services
from harvest.board import opened_theme, workspace_rows
from harvest.errors import HarvestError
from harvest.hooks import agenda_offer
from harvest.listing import (
    BIG_EVENT_NOTES,
    NoteFilters,
    answer_groups,
    list_choices,
    list_total,
    note_page,
    note_total,
)
from harvest.markers import kept_words, marked_texts, seen_in
from harvest.models import KeptWord, Theme, ThemeNote
from harvest.permissions import can_curate_harvest
from harvest.selectors import (
    harvest_version,
    last_change,
    unthemed_count,
)
from harvest.series import series_columns


def _event_for_curation(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not can_curate_harvest(request.user, event):
        raise PermissionDenied("Only the event's facilitators curate its harvest.")
    return event


def _opened(values: list[str]) -> set[int]:
    """The themes a harvester has open on a folded board (``open=12&open=15``)."""
    return {int(value) for value in values if value.isdigit()}


def _board_context(event: Event, opened: Collection[int] = ()) -> dict:
    # A big event's themes are folded (title and count), their cards read only when opened.
    compact = note_total(event=event) > BIG_EVENT_NOTES
    return {
        "event": event,
        "rows": workspace_rows(event=event, folded=compact, opened=opened),
        "version": harvest_version(event=event),
        "last_change": last_change(event=event),
        "unthemed": unthemed_count(event=event),
        "conclusions": getattr(getattr(event, "harvest", None), "conclusions", ""),
        "has_curated": services.has_curated_themes(event=event),
        "compact": compact,
    }


def _list_context(event: Event, filters: NoteFilters, error: str = "") -> dict:
    choices = list_choices(event=event)
    return {
        "event": event,
        "listing": note_page(event=event, filters=filters),
        "choices": choices,
        "theme_rounds": choices.themes_of(filters.round),
        "chat_rounds": choices.chat_of(filters.round),
        "version": harvest_version(event=event),
        "last_change": last_change(event=event),
        "list_error": error,
    }


VIEWS: dict[str, Callable[[Event, QueryDict], dict]] = {
    "board": lambda event, query: _board_context(event),
    "list": lambda event, query: _list_context(event, NoteFilters.from_query(query)),
    "answers": lambda event, query: {"answer_groups": answer_groups(event=event)},
}


def _workspace_page(
    request: HttpRequest, event: Event, view: str, context: dict, status: int = 200
) -> HttpResponse:
    context = {**context, "event": event, "view": view, "list_total": list_total(event=event)}
    return render(request, "harvest/workspace.html", context, status=status)


@login_required
@require_GET
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    """The workspace on one of its views (``?view=board|list|answers``); a big event opens
    on the list of notes, a small one on the board."""
    event = _event_for_curation(request, slug)
    view = request.GET.get("view", "")
    if view not in VIEWS:
        view = "list" if note_total(event=event) > BIG_EVENT_NOTES else "board"
    return _workspace_page(request, event, view, VIEWS[view](event, request.GET))


@login_required
@require_GET
def notes(request: HttpRequest, slug: str) -> HttpResponse:
    """The list of notes alone, for live refresh; 204 when the client has this version."""
    event = _event_for_curation(request, slug)
    if request.GET.get("since") == str(harvest_version(event=event)):
        return HttpResponse(status=204)
    filters = NoteFilters.from_query(request.GET)
    return render(request, "harvest/_list.html", _list_context(event, filters))


def _note_ids(values: list[str]) -> list[int]:
    try:
        return [int(value) for value in values]
    except ValueError:
        raise HarvestError("The selection was not understood; select the notes again.") from None


def _move_notes(event: Event, post: QueryDict, user) -> str:
    if not post.get("target"):
        raise HarvestError("Choose the theme to move the selected notes to.")
    services.move_notes(
        event=event,
        note_ids=_note_ids(post.getlist("notes")),
        target=_theme(event, post.get("target")),
        user=user,
    )
    change = last_change(event=event)
    return change.description if change else "Moved."


def _undo_from_list(event: Event, post: QueryDict, user) -> str:
    return f"Undid: {services.undo_last_change(event=event, user=user).description}"


LIST_ACTIONS: dict[str, Callable[[Event, QueryDict, object], str]] = {
    "move": _move_notes,
    "undo": _undo_from_list,
}


@login_required
@require_POST
def notes_act(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Apply a change made from the list of notes (move the selected notes, undo).

    The page's script asks for the list alone (``X-Harvest-Partial``) and gets it with the
    outcome in a header, status 400 on a refusal. Without the script, a plain form post:
    redirected back to the same filtered list, or the page again with the refusal."""
    event = _event_for_curation(request, slug)
    if action not in LIST_ACTIONS:
        return HttpResponse("Unknown action.", status=404, content_type="text/plain")
    filters = NoteFilters.from_query(QueryDict(request.POST.get("next", "")))
    partial = request.headers.get("X-Harvest-Partial") == "1"
    try:
        done = LIST_ACTIONS[action](event, request.POST, request.user)
    except HarvestError as error:
        message = " ".join(error.messages)
        if not partial:
            context = _list_context(event, filters, message)
            return _workspace_page(request, event, "list", context, status=400)
        response = render(request, "harvest/_list.html", _list_context(event, filters), status=400)
        response["X-Harvest-Error"] = quote(message)
        return response
    if not partial:
        messages.success(request, done)
        return redirect(f"{reverse('harvest:workspace', args=[event.slug])}?{filters.query()}")
    response = render(request, "harvest/_list.html", _list_context(event, filters))
    response["X-Harvest-Message"] = quote(done)
    return response


@login_required
@require_GET
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """The board alone, for live refresh, with the folded themes the harvester has open
    (``open``) opened; 204 when the client already has this version."""
    event = _event_for_curation(request, slug)
    if request.GET.get("since") == str(harvest_version(event=event)):
        return HttpResponse(status=204)
    context = _board_context(event, _opened(request.GET.getlist("open")))
    return render(request, "harvest/_board.html", context)


@login_required
@require_GET
def theme_cards(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One theme of a folded board as it opens: its title, summary, tools and cards."""
    event = _event_for_curation(request, slug)
    theme = get_object_or_404(Theme, event=event, pk=pk)
    opened = opened_theme(theme=theme)
    context = {
        "event": event,
        "row": opened.row,
        "column": opened.column,
        "theme": theme,
        "number": opened.number,
        "is_first": opened.is_first,
        "is_last": opened.is_last,
    }
    return render(request, "harvest/_theme.html", context)


def _theme(event: Event, value: str | None) -> Theme:
    try:
        return Theme.objects.get(event=event, pk=int(value or ""))
    except (ValueError, Theme.DoesNotExist):
        raise HarvestError(
            "That theme no longer exists; the page now shows the latest themes."
        ) from None


def _member(event: Event, value: str | None) -> ThemeNote:
    try:
        return ThemeNote.objects.select_related("theme").get(
            theme__event=event, pk=int(value or "")
        )
    except (ValueError, ThemeNote.DoesNotExist):
        raise HarvestError(
            "That note is no longer in a theme; the page now shows the latest themes."
        ) from None


def _flag(value: str | None) -> bool | None:
    return None if value is None else value in {"1", "true", "on"}


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        raise HarvestError("A position must be a whole number.") from None


def _rebuild(event: Event, post, user) -> None:
    mode = post.get("mode", "")
    if services.has_curated_themes(event=event) and mode not in {"keep", "replace"}:
        raise HarvestError(
            "Some themes were curated by hand. Choose whether to keep them or replace them."
        )
    services.build_themes(event=event, replace_curated=mode == "replace", user=user)


def _redact(event: Event, post, user) -> None:
    member = _member(event, post.get("member")) if post.get("member") else None
    everywhere = post.get("everywhere") in {"1", "on"}
    services.redact_phrase(
        event=event,
        phrase=post.get("phrase", ""),
        note=member.note if member and not everywhere else None,
        message=member.message if member and not everywhere else None,
        user=user,
    )


ACTIONS: dict[str, Callable] = {
    "rename": lambda e, p, u: services.rename_theme(
        theme=_theme(e, p.get("theme")), title=p.get("title", ""), user=u
    ),
    "summary": lambda e, p, u: services.rewrite_summary(
        theme=_theme(e, p.get("theme")), summary=p.get("summary", ""), user=u
    ),
    "merge": lambda e, p, u: services.merge_themes(
        source=_theme(e, p.get("theme")), target=_theme(e, p.get("target")), user=u
    ),
    "split": lambda e, p, u: services.split_theme(
        theme=_theme(e, p.get("theme")),
        members=[_member(e, m) for m in p.getlist("members")],
        title=p.get("title", ""),
        user=u,
    ),
    "move": lambda e, p, u: services.move_note(
        member=_member(e, p.get("member")),
        target=_theme(e, p.get("target")),
        position=_int(p.get("position")),
        user=u,
    ),
    "quote": lambda e, p, u: services.set_quote(
        member=_member(e, p.get("member")), is_quote=bool(_flag(p.get("on"))), user=u
    ),
    "mark": lambda e, p, u: services.mark_theme(
        theme=_theme(e, p.get("theme")),
        is_key=_flag(p.get("is_key")),
        is_emerging=_flag(p.get("is_emerging")),
        user=u,
    ),
    "reorder": lambda e, p, u: services.reorder_theme(
        theme=_theme(e, p.get("theme")), position=_int(p.get("position"), 0), user=u
    ),
    "conclusions": lambda e, p, u: services.write_conclusions(
        event=e, text=p.get("text", ""), user=u
    ),
    "redact": _redact,
    "undo": lambda e, p, u: services.undo_last_change(event=e, user=u),
    "rebuild": _rebuild,
}


@login_required
@require_POST
def act(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Apply one curation change and answer with the new board (or the error, status 400),
    the folded themes the harvester has open (``open``) opened."""
    event = _event_for_curation(request, slug)
    if action not in ACTIONS:
        return HttpResponse("Unknown action.", status=404, content_type="text/plain")
    try:
        ACTIONS[action](event, request.POST, request.user)
    except HarvestError as error:
        context = _board_context(event, _opened(request.POST.getlist("open")))
        response = render(request, "harvest/_board.html", context, status=400)
        response["X-Harvest-Error"] = quote(" ".join(error.messages))
        return response
    context = _board_context(event, _opened(request.POST.getlist("open")))
    response = render(request, "harvest/_board.html", context)
    change = last_change(event=event)
    message = "Undone." if action == "undo" else (change.description if change else "Saved.")
    response["X-Harvest-Message"] = quote(message)
    return response


def _keep(event: Event, post, user) -> str:
    item = seen_in(event=event, key=post.get("item", ""))
    if item is None:
        raise HarvestError(
            "That text is no longer in the harvest (hidden, or its author withdrew); "
            "the page now shows the latest markers."
        )
    kept = services.keep_words(event=event, words=post.get("words", ""), seen_in=item, user=user)
    return f"“{kept.text}” is not personal data: it now shows everywhere in this event."


def _redact_again(event: Event, post, user) -> str:
    try:
        kept = KeptWord.objects.get(event=event, pk=int(post.get("kept") or ""))
    except (ValueError, KeptWord.DoesNotExist):
        raise HarvestError(
            "Those words are already redacted again; the page now shows the latest markers."
        ) from None
    services.redact_again(kept=kept, user=user)
    return (
        "Redacted again everywhere in this event. Report versions that could show those "
        "words can no longer be downloaded; new ones compile without them."
    )


DECISIONS: dict[str, Callable[[Event, dict, object], str]] = {
    "keep": _keep,
    "redact-again": _redact_again,
}


@never_cache  # it shows what markers hide: not for the browser's cache
@login_required
@require_http_methods(["GET", "POST"])
def markers(request: HttpRequest, slug: str) -> HttpResponse:
    """Every marker of the event with the words it hides. A plain form on each undoes a
    marker that hid no personal data, or redacts kept words again (no script needed)."""
    event = _event_for_curation(request, slug)
    error = ""
    if request.method == "POST":
        decide = DECISIONS.get(request.POST.get("do", ""))
        try:
            if decide is None:
                raise HarvestError("Choose “Undo” on a marker or “Redact again” on kept words.")
            done = decide(event, request.POST, request.user)
        except HarvestError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, done)
            anchor = request.POST.get("item", "")
            anchor = anchor if seen_in(event=event, key=anchor) else "kept"
            return redirect(f"{reverse('harvest:markers', args=[event.slug])}#{anchor}")
    context = {
        "event": event,
        "texts": marked_texts(event=event),
        "kept": kept_words(event=event),
        "error": error,
    }
    return render(request, "harvest/markers.html", context, status=400 if error else 200)


@never_cache
@login_required
@require_GET
def series(request: HttpRequest, slug: str) -> HttpResponse:
    """The themes of every group side by side, linked where they say the same, each with
    a button that puts it on the Create event's agenda (for its facilitators)."""
    series = get_object_or_404(Series, slug=slug)
    # Staff of the series or of any of its events (the Create event's facilitators too).
    if not can_view_series(request.user, series):
        raise PermissionDenied("Only staff of the series see its harvest.")
    context = {
        "series": series,
        "columns": series_columns(series=series),
        "agenda": agenda_offer(series=series, user=request.user),
    }
    return render(request, "harvest/series.html", context)
