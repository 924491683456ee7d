"""Checks every section of the events services shares: plain text, time zones, role codes,
an event still open to changes, and ``full_clean`` and slugs raising the app's own error."""

import re
import zoneinfo
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from events.errors import EventsError
from events.models import ROLE_CODE_PATTERN, Event, EventStatus

# Tags, comments, doctypes and character entities: a title is shown as plain text everywhere
# (pages, emails, calendar entries, reports), so markup would only ever appear as litter.
MARKUP = re.compile(r"<\s*[/!?a-zA-Z][^>]*>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")

FROZEN = (EventStatus.CLOSED, EventStatus.ARCHIVED)


def check_plain_text(value: str, *, field: str, label: str) -> str:
    """Refuse HTML or other markup in a short text that is shown as plain text."""
    value = (value or "").strip()
    if MARKUP.search(value):
        raise EventsError(
            {field: f"{label} can't contain HTML or markup such as <b> or &amp;. Use plain text."}
        )
    return value


def check_time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise EventsError(
            {"timezone": f"“{name}” is not a time zone we know. Pick one such as Europe/London."}
        ) from None
    return name


def check_event_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise EventsError({"ends_at": "The event must end after it starts."})


def check_role_code(code: str, *, field: str = "code") -> str:
    code = (code or "").strip().upper()
    if not re.fullmatch(ROLE_CODE_PATTERN, code):
        raise EventsError({field: "A role code is 1 to 6 letters, A to Z, e.g. BP."})
    return code


def check_editable(event: Event) -> None:
    if event.status in FROZEN:
        raise EventsError(
            f"“{event.title}” is {event.get_status_display().lower()}; its plan can't change now."
        )


def _validate(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """``full_clean`` that raises the app's own error type, keyed by field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise EventsError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error


def _unique_slug(model: type[models.Model], wanted: str, *, exclude_pk: int | None = None) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... whichever is free."""
    base = (slugify(wanted) or "event")[:72]
    slug, n = base, 1
    taken = model.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_slug_free(model: type[models.Model], slug: str, *, exclude_pk: int | None = None):
    if model.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        noun = model._meta.verbose_name
        raise EventsError(
            {"slug": f"The web address “{slug}” is already used by another {noun}. Choose another."}
        )
