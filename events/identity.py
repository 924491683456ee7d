"""Which participant a browser is, remembered in its session (participants have no account).

The same session is available to websocket consumers as ``scope["session"]``.
"""

from events.models import Event, Participant, ParticipantStatus

SESSION_KEY = "bridgework_participants"


def remember_participant(session, participant: Participant) -> None:
    joined = dict(session.get(SESSION_KEY, {}))
    joined[str(participant.event_id)] = participant.pk
    session[SESSION_KEY] = joined
    session.cycle_key()


def forget_participant(session, event: Event) -> None:
    joined = dict(session.get(SESSION_KEY, {}))
    joined.pop(str(event.pk), None)
    session[SESSION_KEY] = joined


def participant_id_for(session, event_id: int) -> int | None:
    return session.get(SESSION_KEY, {}).get(str(event_id))


def participant_for(session, event: Event) -> Participant | None:
    """The session's participant in this event, unless they have withdrawn."""
    participant_id = participant_id_for(session, event.pk)
    if participant_id is None:
        return None
    participant = (
        Participant.objects.filter(pk=participant_id, event=event)
        .exclude(status=ParticipantStatus.WITHDRAWN)
        .first()
    )
    if participant is not None:
        participant.event = event  # the same row: spares every caller a query for it
    return participant
