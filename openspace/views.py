"""Pages of Open Space (Connect) and Create. Thin: find the viewer, ask
``openspace.permissions``, call one service or selector, render. The live part of a topic
is the café's table page (``cafes:table``), reached by going to the topic."""

import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cafes.errors import CafeError
from cafes.permissions import Viewer
from cafes.selectors import viewer_for
from events.models import Event, Series, Stage
from events.permissions import can_view_series
from openspace import selectors, series, services
from openspace.forms import (
    ConcernForm,
    KeyPointsForm,
    ProposalForm,
    SlotForm,
    SpaceForm,
    TopicForm,
)
from openspace.permissions import (
    can_arrange,
    can_endorse,
    can_propose,
    can_propose_solution,
    can_share,
    can_view_harvest,
    can_view_marketplace,
    is_host,
)


def _viewer(request: HttpRequest, slug: str) -> tuple[Event, Viewer | None]:
    event = get_object_or_404(Event, slug=slug)
    if event.stage not in (Stage.CONNECT, Stage.CREATE):
        raise Http404("Open Space is part of Connect and Create events.")
    return event, viewer_for(event=event, session=request.session, user=request.user)


def _not_joined(request: HttpRequest, event: Event) -> HttpResponse:
    return render(request, "cafes/not_joined.html", {"event": event}, status=403)


def _staff_viewer(request: HttpRequest, slug: str, allowed) -> Viewer | HttpResponse:
    _event, viewer = _viewer(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if viewer is None or viewer.participant is not None or not allowed(viewer):
        raise PermissionDenied("Only the event's staff can see this page.")
    return viewer


def _marketplace_context(viewer: Viewer, **extra) -> dict:
    return {
        "event": viewer.event,
        "viewer": viewer,
        "board": selectors.marketplace(viewer=viewer),
        "can_propose": can_propose(viewer),
        "can_arrange": can_arrange(viewer),
        "is_create": viewer.event.stage == Stage.CREATE,
        **extra,
    }


@never_cache
def marketplace(request: HttpRequest, slug: str) -> HttpResponse:
    """The board of spaces and time slots, the topic form, and (facilitators) the tools."""
    event, viewer = _viewer(request, slug)
    if viewer is None or not can_view_marketplace(viewer):
        return _not_joined(request, event)
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_propose(viewer):
            raise PermissionDenied("Only people taking part propose topics.")
        if form.is_valid():
            try:
                topic = services.propose_topic(
                    viewer=viewer,
                    title=form.cleaned_data["title"],
                    why=form.cleaned_data["why"],
                    client_id=form.cleaned_data["client_id"],
                )
            except CafeError as error:
                _add_error(form, error)
            else:
                messages.success(request, f"Your topic “{topic.title}” is on the board.")
                return redirect("openspace:marketplace", slug=event.slug)
        status = 400
    return render(
        request,
        "openspace/marketplace.html",
        _marketplace_context(
            viewer, form=form, space_form=SpaceForm(prefix="space"), slot_form=SlotForm()
        ),
        status=status,
    )


@never_cache
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """Just the board, for the page to refresh itself every few seconds."""
    event, viewer = _viewer(request, slug)
    if viewer is None or not can_view_marketplace(viewer):
        return _not_joined(request, event)
    return render(request, "openspace/_board.html", _marketplace_context(viewer))


def _add_error(form, error: CafeError) -> None:
    """Show a service's message next to the field it is about, or above the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


def _back(request: HttpRequest, event: Event, topic_id: int | None = None) -> HttpResponse:
    if request.POST.get("next") == "topic" and topic_id:
        return redirect("openspace:topic", slug=event.slug, pk=topic_id)
    return redirect("openspace:marketplace", slug=event.slug)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@require_POST
def topic_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    """One button on a topic: sign up, leave, go there, make staff-free, endorse."""
    event, viewer = _viewer(request, slug)
    if viewer is None:
        return _not_joined(request, event)
    try:
        if action == "sign-up":
            services.sign_up(viewer=viewer, topic_id=pk, on=True)
            messages.success(request, "You are signed up.")
        elif action == "leave":
            services.sign_up(viewer=viewer, topic_id=pk, on=False)
            messages.success(request, "You are no longer signed up.")
        elif action == "go":
            services.go_to_topic(viewer=viewer, topic_id=pk)
            return redirect("cafes:table", slug=event.slug)
        elif action == "staff-free":
            on = request.POST.get("on") == "1"
            services.set_staff_free(viewer=viewer, topic_id=pk, staff_free=on)
            messages.success(
                request,
                "This is now a staff-free space." if on else "Staff can join this space again.",
            )
        elif action == "endorse":
            services.endorse(
                viewer=viewer,
                proposal_id=_int(request.POST.get("proposal")) or 0,
                on=request.POST.get("on") != "0",
            )
        else:
            raise Http404("Unknown action.")
    except CafeError as error:
        messages.error(request, error.message)
    return _back(request, event, pk)


@require_POST
def arrange(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """The facilitator's tools on the marketplace."""
    result = _staff_viewer(request, slug, can_arrange)
    if isinstance(result, HttpResponse):
        return result
    viewer, post = result, request.POST
    try:
        if action == "space":
            form = SpaceForm(post, prefix="space")
            if not form.is_valid():
                raise CafeError("invalid", "Give the space a name and how many people fit.")
            space = services.add_space(viewer=viewer, **form.cleaned_data)
            messages.success(request, f"Space “{space.name}” added.")
        elif action == "slot":
            slot = services.add_time_slot(viewer=viewer, label=post.get("label", ""))
            messages.success(request, f"Time slot “{slot.label}” added.")
        elif action == "place":
            services.place_topic(
                viewer=viewer,
                topic_id=_int(post.get("topic")) or 0,
                space_id=_int(post.get("space")),
                slot_id=_int(post.get("slot")),
            )
            messages.success(request, "Topic placed.")
        elif action == "auto-place":
            outcome = services.auto_place(viewer=viewer)
            messages.success(request, _placement_message(outcome))
        elif action == "merge":
            kept = services.merge_topics(
                viewer=viewer,
                topic_id=_int(post.get("topic")) or 0,
                into_id=_int(post.get("into")) or 0,
            )
            messages.success(request, f"Merged into “{kept.title}”; sign-ups moved with it.")
        elif action == "open":
            services.open_space(viewer=viewer)
            messages.success(request, "The spaces are open. People can go to any topic.")
        else:
            raise Http404("Unknown action.")
    except CafeError as error:
        messages.error(request, error.message)
    return redirect("openspace:marketplace", slug=slug)


def _placement_message(outcome) -> str:
    parts = ["Topics placed by interest."]
    if outcome.clashes:
        parts.append(f"{outcome.clashes} double booking(s) could not be avoided.")
    if outcome.overflow:
        parts.append(f"{len(outcome.overflow)} topic(s) have more sign-ups than room.")
    if outcome.unplaced:
        parts.append(f"{len(outcome.unplaced)} topic(s) did not fit: add spaces or slots.")
    return " ".join(parts)


@never_cache
def topic(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A topic (or Create conversation): who hosts it, going there, the key points; at
    Create, its themes and proposals with endorsements and concerns."""
    event, viewer = _viewer(request, slug)
    if viewer is None or not can_view_marketplace(viewer):
        return _not_joined(request, event)
    topic = selectors.topic_for(event=event, topic_id=pk)
    if topic is None:
        raise Http404("No such topic.")
    if topic.merged_into_id:
        return redirect("openspace:topic", slug=slug, pk=topic.merged_into_id)
    harvests = selectors.Harvests()
    sources = selectors.topic_sources(topic=topic, harvests=harvests)
    signed_up = selectors.is_signed_up(viewer=viewer, topic=topic)
    post = request.POST if request.method == "POST" else None
    form_name = post.get("form") if post else None
    key_form = KeyPointsForm(
        post if form_name == "key-points" else None, initial={"key_points": topic.key_points}
    )
    proposal_form = ProposalForm(post if form_name == "proposal" else None, sources=sources)
    concern_form = ConcernForm(post if form_name == "concern" else None)
    status = 200
    if post is not None:
        try:
            done = _topic_post(
                request, viewer, topic, form_name, key_form, proposal_form, concern_form
            )
        except CafeError as error:
            forms_by_name = {"key-points": key_form, "proposal": proposal_form}
            _add_error(forms_by_name.get(form_name, concern_form), error)
            done = False
        if done:
            return redirect("openspace:topic", slug=slug, pk=topic.pk)
        status = 400
    return render(
        request,
        "openspace/topic.html",
        {
            "event": event,
            "viewer": viewer,
            "topic": topic,
            "is_create": event.stage == Stage.CREATE,
            "sources": sources,
            "proposals": selectors.proposals_for(topic=topic, viewer=viewer, harvests=harvests),
            "signed_up": signed_up,
            "hosting": is_host(viewer, topic),
            "can_share": can_share(viewer, topic, signed_up=signed_up),
            "can_propose_solution": can_propose_solution(viewer),
            "can_endorse": can_endorse(viewer),
            "key_form": key_form,
            "proposal_form": proposal_form,
            "concern_form": concern_form,
            "concern_for": _int(post.get("proposal")) if post else None,
        },
        status=status,
    )


def _topic_post(request, viewer, topic, form_name, key_form, proposal_form, concern_form):
    if form_name == "key-points":
        if not key_form.is_valid():
            return False
        services.share_key_points(
            viewer=viewer,
            topic_id=topic.pk,
            text=key_form.cleaned_data["key_points"],
            share_notes=key_form.cleaned_data["share_notes"],
        )
        messages.success(request, "Your key points are shared.")
        return True
    if form_name == "proposal":
        if not proposal_form.is_valid():
            return False
        data = proposal_form.cleaned_data
        services.add_proposal(
            viewer=viewer,
            topic_id=topic.pk,
            problem=data["problem"],
            change=data["change"],
            who_acts=data["who_acts"],
            first_step=data["first_step"],
            impact=data["impact"],
            open_questions=data["open_questions"],
            source_ids=[int(s) for s in data["sources"]],
            client_id=data["client_id"],
        )
        messages.success(request, "Your proposal is saved.")
        return True
    if form_name == "concern":
        if not concern_form.is_valid():
            return False
        services.raise_concern(
            viewer=viewer,
            proposal_id=_int(request.POST.get("proposal")) or 0,
            kind=concern_form.cleaned_data["kind"],
            text=concern_form.cleaned_data["text"],
            client_id=concern_form.cleaned_data["client_id"],
        )
        messages.success(request, "Your concern is added.")
        return True
    raise Http404("Unknown form.")


@never_cache
def connect_harvest(request: HttpRequest, slug: str) -> HttpResponse:
    """What each topic produced, for staff; staff-free notes only once shared."""
    result = _staff_viewer(request, slug, can_view_harvest)
    if isinstance(result, HttpResponse):
        return result
    return render(
        request,
        "openspace/harvest.html",
        {
            "event": result.event,
            "topics": selectors.connect_harvest(event=result.event),
            "is_create": result.event.stage == Stage.CREATE,
        },
    )


@never_cache
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """Create: the facilitator builds the agenda of conversations from the Explore themes."""
    result = _staff_viewer(request, slug, can_arrange)
    if isinstance(result, HttpResponse):
        return result
    viewer = result
    if viewer.event.stage != Stage.CREATE:
        raise Http404("The agenda of conversations belongs to Create events.")
    if request.method == "POST":
        _add_theme(request, viewer)
        return redirect("openspace:agenda", slug=slug)
    board = selectors.marketplace(viewer=viewer)
    return render(
        request,
        "openspace/agenda.html",
        {
            "event": viewer.event,
            "columns": selectors.explore_columns(series=viewer.event.series),
            "board": board,
            "on_agenda": selectors.agenda_theme_keys(event=viewer.event),
            "new_client_id": services.new_client_id(),
        },
    )


@require_POST
def add_theme(request: HttpRequest, slug: str) -> HttpResponse:
    """The series view's "Add to the Create agenda": a facilitator of this Create event
    puts a theme on its agenda, then sees the series view again with what happened."""
    _event, viewer = _viewer(request, slug)
    if viewer is not None and viewer.participant is not None:
        raise PermissionDenied("Only the Create event's facilitators add themes to its agenda.")
    result = _staff_viewer(request, slug, can_arrange)
    if isinstance(result, HttpResponse):
        return result
    if result.event.stage != Stage.CREATE:
        raise Http404("The agenda of conversations belongs to Create events.")
    ok = _add_theme(request, result)
    back = reverse("harvest:series", args=[result.event.series.slug])
    anchor = f"#e{request.POST.get('theme')}" if ok else ""
    return redirect(back + anchor)


def _add_theme(request: HttpRequest, viewer: Viewer) -> bool:
    """Add the posted theme to the viewer's Create agenda; say what happened."""
    key = request.POST.get("theme", "")
    try:
        topic = services.add_conversation_from_theme(
            viewer=viewer,
            theme_key=key,
            client_id=_theme_client_id(request.POST.get("client_id"), key),
        )
    except CafeError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, f"“{topic.title}” is on the agenda of {viewer.event.title}.")
    return True


def _theme_client_id(page_client_id, key: str):
    """One id per theme button of a page view, so pressing it twice adds it once."""
    try:
        return uuid.uuid5(uuid.UUID(str(page_client_id)), key)
    except ValueError:
        return None


def _journey_series(request: HttpRequest, slug: str) -> Series:
    item = get_object_or_404(Series, slug=slug)
    if not can_view_series(request.user, item):
        raise PermissionDenied("Only staff of the series see its report.")
    return item


@never_cache
def journey(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """The series report's content: HTML for staff, or its JSON and Markdown."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = _journey_series(request, slug)
    content = series.series_journey(series=item)
    if fmt == "json":
        return HttpResponse(series.as_json(content), content_type="application/json")
    if fmt == "md":
        response = HttpResponse(series.as_markdown(content), content_type="text/markdown")
        response["Content-Disposition"] = f'attachment; filename="{item.slug}-journey.md"'
        return response
    return render(
        request,
        "openspace/journey.html",
        {
            "series": item,
            "journey": content,
            "json_url": reverse("openspace:journey_json", args=[item.slug]),
            "md_url": reverse("openspace:journey_md", args=[item.slug]),
        },
    )
