"""What every tab of an event's staff pages renders with, and the way back to a tab."""

from django.shortcuts import redirect

from events import permissions


def event_context(request, event, tab: str, **extra) -> dict:
    return {
        "event": event,
        "tab": tab,
        "can_manage": permissions.can_manage_event(request.user, event),
        **extra,
    }


def redirect_to(name: str, event, **kwargs):
    return redirect(f"events:{name}", slug=event.slug, **kwargs)
