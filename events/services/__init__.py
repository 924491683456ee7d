"""Writes to series, events, agendas, invitations and participants.

Views, commands and tests all come through here. Every function validates, writes inside
one transaction and raises :class:`events.errors.EventsError` with a message a person can
act on; nothing is saved half-way. One module a section; this package names them all.
"""

from events.services.agenda import (
    add_segment,
    delete_segment,
    move_segment,
    set_round_prompt,
    update_segment,
)
from events.services.checks import (
    FROZEN,
    MARKUP,
    check_editable,
    check_event_times,
    check_plain_text,
    check_role_code,
    check_time_zone,
)
from events.services.closing_questions import (
    add_closing_question,
    delete_closing_question,
    move_closing_question,
    update_closing_question,
)
from events.services.invitations import (
    MAX_INVITATIONS_PER_PASTE,
    SEND_INVITATION_TASK,
    invite_people,
    parse_pasted_emails,
    resend_invitation,
    send_invitation,
)
from events.services.participants import (
    JOINABLE,
    SEND_PLACE_FREED_TASK,
    check_in,
    join_event,
    joined_count,
    send_place_freed_email,
    withdraw_participant,
)
from events.services.retention import (
    delete_participant_data,
    purge_expired_participant_data,
    series_past_retention,
)
from events.services.role_codes import (
    add_role_code,
    record_attendance,
    relabel_role_code,
    remove_role_code,
)
from events.services.scheduling import (
    EDITABLE_EVENT_FIELDS,
    create_event,
    duplicate_event,
    update_event,
)
from events.services.series import add_stakeholder_group, create_series, update_series
from events.services.staff import grant_role, revoke_role
from events.services.transitions import TRANSITIONS, StartDateNotToday, transition_event

__all__ = [
    "EDITABLE_EVENT_FIELDS",
    "FROZEN",
    "JOINABLE",
    "MARKUP",
    "MAX_INVITATIONS_PER_PASTE",
    "SEND_INVITATION_TASK",
    "SEND_PLACE_FREED_TASK",
    "TRANSITIONS",
    "StartDateNotToday",
    "add_closing_question",
    "add_role_code",
    "add_segment",
    "add_stakeholder_group",
    "check_editable",
    "check_event_times",
    "check_in",
    "check_plain_text",
    "check_role_code",
    "check_time_zone",
    "create_event",
    "create_series",
    "delete_closing_question",
    "delete_participant_data",
    "delete_segment",
    "duplicate_event",
    "grant_role",
    "invite_people",
    "join_event",
    "joined_count",
    "move_closing_question",
    "move_segment",
    "parse_pasted_emails",
    "purge_expired_participant_data",
    "record_attendance",
    "relabel_role_code",
    "remove_role_code",
    "resend_invitation",
    "revoke_role",
    "send_invitation",
    "send_place_freed_email",
    "series_past_retention",
    "set_round_prompt",
    "transition_event",
    "update_closing_question",
    "update_event",
    "update_segment",
    "update_series",
    "withdraw_participant",
]
