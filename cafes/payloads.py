"""The JSON shapes of café objects, as sent in live updates and in the ``state`` frame.

One function per object, so a note looks the same whether it arrives live, on replay or in a
snapshot (``docs/protocol.md`` documents them).
"""

from cafes.models import ChatMessage, Note, Priority, ReadBack, Round, Table


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _author(item: Note | ChatMessage, staff: str) -> str:
    """Who wrote a note or chat message, as screens show it: the participant's pseudonym,
    ``staff`` for a staff member, or nothing (imported words)."""
    if item.participant_id:
        return item.participant.pseudonym
    return staff if item.author_user_id else ""


def note_payload(note: Note) -> dict:
    return {
        "id": note.pk,
        "table": note.table_id,
        "round": note.round.number,
        "kind": note.kind,
        "text": note.text,
        "tags": list(note.tags),
        "status": note.status,
        "merged_into": note.merged_into_id,
        "participant": note.participant_id,
        "author": _author(note, "Table host"),
        "role_code": note.role_code,
        "client_id": str(note.client_id),
        "created_at": _when(note.created_at),
        "edited_at": _when(note.edited_at),
    }


def chat_payload(message: ChatMessage) -> dict:
    counts: dict[str, int] = {}
    voters: dict[str, list[str]] = {}
    for reaction in message.reactions.all():
        counts[reaction.reaction] = counts.get(reaction.reaction, 0) + 1
        who = f"p{reaction.participant_id}" if reaction.participant_id else f"u{reaction.user_id}"
        voters.setdefault(reaction.reaction, []).append(who)
    return {
        "id": message.pk,
        "round": message.round.number if message.round_id else None,
        "text": message.text,
        "author": _author(message, "Host team"),
        "participant": message.participant_id,
        "role_code": message.role_code,
        "pinned": message.pinned,
        "hidden": message.hidden,
        "reactions": counts,
        "reacted_by": voters,
        "client_id": str(message.client_id),
        "created_at": _when(message.created_at),
    }


def priority_payload(priority: Priority) -> dict:
    voters = sorted(vote.participant_id for vote in priority.votes.all())
    return {
        "id": priority.pk,
        "table": priority.table_id,
        "round": priority.round.number,
        "text": priority.text,
        "source_note": priority.source_note_id,
        # Who put it forward (a participant id; null for staff and imports): they, and the
        # table's moderators, may remove it.
        "author": priority.author_id,
        "votes": len(voters) + priority.recorded_votes,
        "voters": voters,
        "client_id": str(priority.client_id),
    }


def round_payload(round_: Round) -> dict:
    return {
        "number": round_.number,
        "prompt": round_.prompt,
        "status": round_.status,
        "opened_at": _when(round_.opened_at),
        "ends_at": _when(round_.ends_at),
        "closed_at": _when(round_.closed_at),
    }


def read_back_payload(read_back: ReadBack | None) -> dict | None:
    if read_back is None:
        return None
    return {
        "id": read_back.pk,
        "table": read_back.table_id,
        "round": read_back.round.number,
        "text": read_back.text,
        "updated_at": _when(read_back.updated_at),
    }


def table_summary(table: Table, notes: dict | None) -> dict:
    """A table as the facilitator console shows it: who hosts it and how busy it is
    (``notes``: the count, count by kind, newest id and ``created_at`` of its visible notes
    this round, if any)."""
    return {
        "id": table.pk,
        "label": table.label,
        "host": table.host.get_username() if table.host_id else "",
        "note_count": notes["count"] if notes else 0,
        "kinds": dict(notes["kinds"]) if notes else {},
        "last_note_id": notes["last_id"] if notes else None,
        "last_note_at": _when(notes["last"]) if notes else None,
    }
