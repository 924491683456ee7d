"""Calling one service from a page and telling the person how it went.

A service refuses with :class:`events.errors.EventsError`; a page shows the refusal next
to the fields of its form (or above it), or, for a button without a form, as a message on
the page it redirects to. What succeeded is said in a message on the next page.
"""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from events.errors import EventsError

T = TypeVar("T")


def add_service_error(form: forms.Form, error: EventsError) -> None:
    """Show a service's error next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def show_refusal(request: HttpRequest, error: EventsError, *, form: forms.Form | None) -> None:
    """On the form when there is one, else as an error message on the next page."""
    if form is None:
        messages.error(request, " ".join(error.messages))
    else:
        add_service_error(form, error)


def run_service(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    form: forms.Form | None = None,
    success: str | Callable[[T], str] = "",
) -> T | None:
    """``call()`` (one service, its arguments given), then say how it went.

    A refusal is shown (see :func:`show_refusal`) and ``None`` returned. Otherwise
    ``success`` is shown, a message or a function of what the service returned, and that
    is returned: a form page redirects when it is not ``None``."""
    try:
        result = call()
    except EventsError as error:
        show_refusal(request, error, form=form)
        return None
    if success:
        messages.success(request, success if isinstance(success, str) else success(result))
    return result


def save_form(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[..., T],
    *,
    success: str | Callable[[T], str] = "",
) -> T | None:
    """What the page's service returned, when its form was sent and valid and the service
    (``call`` with the form's cleaned data, through :func:`run_service`) did it; else
    ``None``, and the page shows the form again (a refusal next to its fields)."""
    if request.method != "POST" or not form.is_valid():
        return None
    return run_service(request, lambda: call(**form.cleaned_data), form=form, success=success)
