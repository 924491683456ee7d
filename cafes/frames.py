"""The frames a café socket accepts that change something, each with the service it calls and
the fields it takes (``docs/protocol.md``), the per-connection rate limit, and how a socket
runs database work. Kept apart from the consumer, which only moves frames and news."""

import inspect
import time
from dataclasses import dataclass, field

from channels.db import database_sync_to_async

from cafes import services

_in_db_thread: dict = {}


def in_db_thread(func):
    """Run ``func`` (database work) in the event loop's thread pool, each call with its own
    pooled connection, instead of Channels' default single thread per process: with one
    thread every socket's database work queued behind every other's, and that thread was
    the limit of the whole server (docs/benchmarks.md). Each call is one unit of work (a
    service's transaction, or a read), so nothing depends on sharing a thread. The wrapper
    of a module function is made once (building one for every call showed in profiles)."""
    wrapper = _in_db_thread.get(func)
    if wrapper is None:
        wrapper = database_sync_to_async(func, thread_sensitive=False)
        if inspect.isfunction(func):  # not a bound method: one per socket and call
            _in_db_thread[func] = wrapper
    return wrapper


@dataclass(frozen=True)
class Write:
    """A frame type that changes something: the service it calls and the fields it takes."""

    service: object
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


WRITES: dict[str, Write] = {
    "cafe.start": Write(services.start_cafe_on_request, (), ("confirm_date",)),
    "round.seat": Write(services.seat_round, ("number",), ("strategy",)),
    "round.open": Write(services.open_round, ("number",), ("minutes", "strategy")),
    "round.extend": Write(services.extend_round, ("minutes",)),
    "round.close": Write(services.close_round),
    "cafe.phase": Write(services.set_phase, ("phase",)),
    "broadcast": Write(services.broadcast, ("text",)),
    "seat.move": Write(services.move_participant, ("participant_id", "table_id")),
    "seat.choose": Write(services.choose_table, ("table_id",)),
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
