"""The frames a café socket accepts: how a frame is read (size, JSON, a ``type``), the
per-connection rate limit, and the frames that change something, each with the service it
calls, the fields it takes and what the socket does after it (``docs/protocol.md``)."""

import json
import time
from dataclasses import dataclass, field

from cafes import services
from cafes.errors import CafeError

MAX_FRAME_BYTES = 8 * 1024


def read_frame(text_data: str | None, bytes_data: bytes | None, bucket: "TokenBucket") -> dict:
    """The frame a client sent, as a dict with a ``type``; a ``CafeError`` if it is binary,
    too large, one too many for the rate limit, not JSON or not an object with a type."""
    if bytes_data is not None:
        raise CafeError("malformed", "Frames must be JSON text, not binary.")
    if len(text_data.encode()) > MAX_FRAME_BYTES:
        raise CafeError("too_large", f"Frames can be at most {MAX_FRAME_BYTES} bytes.")
    if not bucket.take():
        raise CafeError("rate_limited", "Too many messages at once; please slow down.")
    try:
        frame = json.loads(text_data)
    except (ValueError, RecursionError):  # RecursionError: "[[[[…]]]]" nested past the limit
        raise CafeError("malformed", "That frame is not valid JSON.") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise CafeError("malformed", 'Every frame is a JSON object with a "type".')
    return frame


@dataclass(frozen=True)
class Write:
    """A frame type that changes something: the service it calls, the fields it takes, and
    whether the socket sends a fresh ``state`` after acknowledging it (``resync_after``:
    the viewer's own table changed, and they may not hear the news of a table they were
    not at yet)."""

    service: object
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    resync_after: bool = False


WRITES: dict[str, Write] = {
    "cafe.start": Write(services.start_cafe_on_request, (), ("confirm_date",)),
    "round.seat": Write(services.seat_round, ("number",), ("strategy",)),
    "round.open": Write(services.open_round, ("number",), ("minutes", "strategy")),
    "round.extend": Write(services.extend_round, ("minutes",)),
    "round.close": Write(services.close_round),
    "cafe.phase": Write(services.set_phase, ("phase",)),
    "broadcast": Write(services.broadcast, ("text",)),
    "seat.move": Write(services.move_participant, ("participant_id", "table_id")),
    "seat.choose": Write(services.choose_table, ("table_id",), resync_after=True),
    "note.post": Write(services.post_note, ("text", "kind"), ("table_id",)),
    "note.edit": Write(services.edit_note, ("note_id", "text"), ("kind",)),
    "note.withdraw": Write(services.withdraw_note, ("note_id",)),
    "note.tag": Write(services.tag_note, ("note_id", "tags")),
    "note.hide": Write(services.hide_note, ("note_id",), ("hidden",)),
    "note.merge": Write(services.merge_notes, ("note_id", "into_id")),
    "read_back.save": Write(services.save_read_back, ("table_id", "text")),
    "chat.post": Write(services.post_chat, ("text",), ()),
    "chat.react": Write(services.react_to_chat, ("message_id", "reaction"), ("on",)),
    "chat.moderate": Write(services.moderate_chat, ("message_id",), ("pinned", "hidden")),
    "priority.add": Write(services.add_priority, (), ("text", "source_note_id", "table_id")),
    "priority.remove": Write(services.remove_priority, ("priority_id",)),
    "vote": Write(services.vote, ("priority_id",), ("on",)),
    "answer": Write(services.answer_question, ("question_id", "text"), ()),
}


@dataclass
class TokenBucket:
    """Per-connection rate limit: ``burst`` frames at once, refilled at ``rate`` a second."""

    burst: float
    rate: float
    tokens: float = field(init=False)
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def call(write: Write, viewer, frame: dict):
    """Call the write's service with the frame's fields (a thread's database work)."""
    kwargs = {name: frame[name] for name in write.required}
    kwargs.update({name: frame[name] for name in write.optional if name in frame})
    return write.service(viewer=viewer, client_id=frame["client_id"], **kwargs)
