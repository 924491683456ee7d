"""Every write to the live café: seating, rounds, notes, chat, priorities and answers.

Each service checks who is asking (``cafes.permissions``) and what they sent
(``cafes.checks``), takes its lock through ``_locks`` (the one statement of the locking
rule), logs a ``LiveUpdate`` in that transaction and rings the channel layer after commit.
A write that carries a ``client_id`` already stored returns the stored row instead of making
a second. The websocket consumer, the pages, the CSV import and the tests all come through
here: ``from cafes import services; services.post_note(...)``.

One module per section: ``starting`` (start the café, go live, rounds and tables),
``seats`` (seating, moving, staff-free tables), ``rounds`` (rounds, timer, phases,
broadcasts, the end), ``notes``, ``moderation`` (tag, hide, merge, read-back), ``chat``,
``priorities``, ``answers``, ``questionnaire`` (the post-event letters), ``presence``
and ``imports`` (the CSV import's writes).
"""

from cafes.services.answers import answer_question, clear_answer
from cafes.services.chat import moderate_chat, post_chat, react_to_chat, take_back_words
from cafes.services.imports import import_notes
from cafes.services.moderation import hide_note, merge_notes, save_read_back, tag_note
from cafes.services.notes import edit_note, post_note, withdraw_note
from cafes.services.presence import mark_absent, mark_present, new_client_id
from cafes.services.priorities import PRIORITIES_PER_TABLE, add_priority, remove_priority, vote
from cafes.services.questionnaire import (
    SEND_QUESTIONNAIRE_LETTERS_TASK,
    letters_on_close,
    questionnaire_url,
    send_one_reminder,
    send_questionnaire_letters,
)
from cafes.services.rounds import (
    BROADCAST_MAX_LENGTH,
    broadcast,
    close_round,
    end_cafe_on_close,
    extend_round,
    open_round,
    set_phase,
)
from cafes.services.seats import (
    SeatingStrategy,
    choose_table,
    move_participant,
    seat_newcomer,
    seat_newcomers,
    seat_round,
    set_staff_free,
    share_table,
)
from cafes.services.starting import (
    DEFAULT_ROUNDS,
    ensure_rounds,
    ensure_table,
    start_cafe,
    start_cafe_on_request,
)

__all__ = [
    "BROADCAST_MAX_LENGTH",
    "DEFAULT_ROUNDS",
    "PRIORITIES_PER_TABLE",
    "SEND_QUESTIONNAIRE_LETTERS_TASK",
    "SeatingStrategy",
    "add_priority",
    "answer_question",
    "broadcast",
    "choose_table",
    "clear_answer",
    "close_round",
    "edit_note",
    "end_cafe_on_close",
    "ensure_rounds",
    "ensure_table",
    "extend_round",
    "hide_note",
    "import_notes",
    "letters_on_close",
    "mark_absent",
    "mark_present",
    "merge_notes",
    "moderate_chat",
    "move_participant",
    "new_client_id",
    "open_round",
    "post_chat",
    "post_note",
    "questionnaire_url",
    "react_to_chat",
    "remove_priority",
    "save_read_back",
    "seat_newcomer",
    "seat_newcomers",
    "seat_round",
    "send_one_reminder",
    "send_questionnaire_letters",
    "set_phase",
    "set_staff_free",
    "share_table",
    "start_cafe",
    "start_cafe_on_request",
    "tag_note",
    "take_back_words",
    "vote",
    "withdraw_note",
]
