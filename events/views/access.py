"""How facilitator pages turn the decisions of ``events.permissions`` into HTTP answers.

Anonymous visitors (participants included) go to the staff sign-in page; signed-in staff
without the role get 403; an unknown series or event is 404.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from events import permissions
from events.models import Event, Series


def _guard(model, lookup: str, check: Callable):
    def decorator(view):
        @wraps(view)
        def wrapper(request, slug: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = get_object_or_404(model, **{lookup: slug})
            if not check(request.user, obj):
                raise PermissionDenied
            return view(request, obj, *args, **kwargs)

        return wrapper

    return decorator


def event_page(check: Callable) -> Callable:
    """The view receives the Event named by ``slug`` in place of the slug."""
    return _guard(Event.objects.select_related("series", "stakeholder_group"), "slug", check)


def series_page(check: Callable) -> Callable:
    """The view receives the Series named by ``slug`` in place of the slug."""
    return _guard(Series, "slug", check)


# The event pages of staff who run the event, and of everyone who may watch it.
manage_event = event_page(permissions.can_manage_event)
watch_event = event_page(permissions.can_watch_event)
