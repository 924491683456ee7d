"""Validation of what people type and send, raising ``CafeError`` with a plain message."""

import re
import uuid
from typing import TypeVar

from django.db.models import Model, QuerySet

from cafes.errors import CafeError
from cafes.models import TEXT_MAX_LENGTH, NoteKind, Reaction

# A tag or comment (``<b>``, ``</p>``, ``<script ...>``, ``<!-- -->``); a lone "<" as in
# "I <3 you" or "a < b" is fine and is shown as typed.
# A tag as a browser reads one: "<" then the name at once. "x < y and y > z" is plain text.
HTML_TAG = re.compile(r"</?[a-zA-Z!?][^>]*>")
SCRIPT_URL = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TAG_MAX_LENGTH = 30
TAGS_MAX = 6
M = TypeVar("M", bound=Model)


def check_text(value, *, what: str = "text", max_length: int = TEXT_MAX_LENGTH) -> str:
    """Plain text, trimmed, not empty, not too long, with no HTML in it."""
    if not isinstance(value, str):
        raise CafeError("invalid", f"The {what} must be text.")
    text = CONTROL_CHARACTERS.sub("", value).strip()
    if not text:
        raise CafeError("empty", f"Please write the {what} first.")
    if len(text) > max_length:
        raise CafeError(
            "too_long",
            f"The {what} can be at most {max_length} characters; this one has {len(text)}. "
            "Please shorten it or split it in two.",
        )
    if HTML_TAG.search(text) or SCRIPT_URL.search(text):
        raise CafeError(
            "html_not_allowed",
            f"Please write the {what} in plain words: HTML tags such as <b> or <script> "
            "and script links cannot be posted.",
        )
    return text


def check_client_id(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise CafeError("bad_client_id", "Every write needs a client_id that is a UUID.") from None


def check_kind(value) -> str:
    if value not in NoteKind.values:
        raise CafeError("bad_kind", f"A note's kind must be one of: {', '.join(NoteKind.values)}.")
    return value


def check_reaction(value) -> str:
    if value not in Reaction.values:
        raise CafeError("bad_reaction", f"A reaction must be one of: {', '.join(Reaction.values)}.")
    return value


def check_tags(value) -> list[str]:
    if not isinstance(value, list) or len(value) > TAGS_MAX:
        raise CafeError("bad_tags", f"Tags must be a list of at most {TAGS_MAX} words.")
    tags: list[str] = []
    for tag in value:
        tag = check_text(tag, what="tag", max_length=TAG_MAX_LENGTH).lower()
        if tag not in tags:
            tags.append(tag)
    return tags


def check_id(value, *, what: str) -> int:
    # Above the database's 64-bit range is no id either (found by tests/security/test_fuzz.py).
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**63:
        raise CafeError("invalid", f"The {what} must be a whole number.")
    return value


def check_found(rows: QuerySet[M], value, *, what: str, missing: CafeError) -> M:
    """The row of ``rows`` with the id a client sent (``value``, checked), else ``missing``."""
    row = rows.filter(pk=check_id(value, what=what)).first()
    if row is None:
        raise missing
    return row


def check_minutes(value, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 240:
        raise CafeError("bad_minutes", "Minutes must be a whole number from 1 to 240.")
    return value
