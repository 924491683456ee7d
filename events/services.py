"""Writes to series, events, agendas, invitations and participants.

Views, commands and tests all come through here. Every function validates, writes inside
one transaction and raises :class:`events.errors.EventsError` with a message a person can
act on; nothing is saved half-way.
"""

import re
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Max
from django.utils import dateformat, timezone
from django.utils.text import slugify

from events import hooks, selectors
from events.errors import EventsError
from events.models import (
    ROLE_CODE_PATTERN,
    AgendaSegment,
    ClosingQuestion,
    Event,
    EventStatus,
    Invitation,
    Membership,
    Participant,
    ParticipantStatus,
    RecordedAttendance,
    RoleCode,
    SegmentKind,
    Series,
    StaffRole,
    Stage,
    StakeholderGroup,
    StatusChange,
)

# Tags, comments, doctypes and character entities: a title is shown as plain text everywhere
# (pages, emails, calendar entries, reports), so markup would only ever appear as litter.
MARKUP = re.compile(r"<\s*[/!?a-zA-Z][^>]*>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")

# The only moves an event's status may make; anything else is refused by transition_event.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    EventStatus.DRAFT: (EventStatus.SCHEDULED,),
    EventStatus.SCHEDULED: (EventStatus.LIVE, EventStatus.DRAFT),
    EventStatus.LIVE: (EventStatus.CLOSED,),
    EventStatus.CLOSED: (EventStatus.ARCHIVED,),
    EventStatus.ARCHIVED: (),
}
JOINABLE = (EventStatus.SCHEDULED, EventStatus.LIVE)
FROZEN = (EventStatus.CLOSED, EventStatus.ARCHIVED)
MAX_INVITATIONS_PER_PASTE = 500


# --- checks ------------------------------------------------------------------------------


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


# --- series and stakeholder groups -------------------------------------------------------


@transaction.atomic
def create_series(
    *,
    title: str,
    slug: str = "",
    description: str = "",
    stakeholder_groups: Iterable[tuple[str, Iterable[tuple[str, str]]]] = (),
    created_by: AbstractBaseUser | None = None,
) -> Series:
    """Create a series with its stakeholder groups; its creator becomes its facilitator."""
    title = check_plain_text(title, field="title", label="The title")
    if slug:
        _check_slug_free(Series, slug)
    else:
        slug = _unique_slug(Series, title)
    series = Series(title=title, slug=slug, description=description.strip())
    _validate(series)
    series.save()
    for name, role_codes in stakeholder_groups:
        add_stakeholder_group(series=series, name=name, role_codes=role_codes)
    if created_by is not None:
        grant_role(user=created_by, role=StaffRole.FACILITATOR, series=series)
    return series


@transaction.atomic
def update_series(*, series: Series, title: str, description: str = "") -> Series:
    series.title = check_plain_text(title, field="title", label="The title")
    series.description = description.strip()
    _validate(series)
    series.save()
    return series


@transaction.atomic
def add_stakeholder_group(
    *, series: Series, name: str, role_codes: Iterable[tuple[str, str]] = ()
) -> StakeholderGroup:
    name = check_plain_text(name, field="name", label="A group's name")
    if series.stakeholder_groups.filter(name__iexact=name).exists():
        raise EventsError({"name": f"This series already has a group called “{name}”."})
    pairs = []
    for code, label in role_codes:
        pairs.append(
            [
                check_role_code(code, field="role_codes"),
                check_plain_text(label, field="role_codes", label="A role's label"),
            ]
        )
    group = StakeholderGroup(series=series, name=name, default_role_codes=pairs)
    _validate(group)
    group.save()
    return group


# --- events ---------------------------------------------------------------------------------


def _check_event(event: Event) -> None:
    event.title = check_plain_text(event.title, field="title", label="The title")
    check_event_times(event.starts_at, event.ends_at)
    check_time_zone(event.timezone)
    if event.stakeholder_group and event.stakeholder_group.series_id != event.series_id:
        raise EventsError({"stakeholder_group": "Choose a stakeholder group of this series."})
    _check_slug_free(Event, event.slug, exclude_pk=event.pk)
    _validate(event)


@transaction.atomic
def create_event(
    *,
    series: Series,
    stage: Stage,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    slug: str = "",
    stakeholder_group: StakeholderGroup | None = None,
    description: str = "",
    context: str = "",
    capacity: int = 30,
    table_size: int = 4,
    timezone_name: str = "Europe/London",
) -> Event:
    """Create a draft event; it starts with its stakeholder group's role codes."""
    event = Event(
        series=series,
        stage=stage,
        title=title,
        slug=slug or _unique_slug(Event, f"{series.slug}-{title}"),
        starts_at=starts_at,
        ends_at=ends_at,
        stakeholder_group=stakeholder_group,
        description=description.strip(),
        context=context.strip(),
        capacity=capacity,
        table_size=table_size,
        timezone=timezone_name,
    )
    _check_event(event)
    event.save()
    if stakeholder_group:
        for code, label in stakeholder_group.default_role_codes:
            add_role_code(event=event, code=code, label=label)
    return event


EDITABLE_EVENT_FIELDS = (
    "title",
    "slug",
    "stage",
    "stakeholder_group",
    "description",
    "context",
    "starts_at",
    "ends_at",
    "timezone",
    "capacity",
    "table_size",
)


@transaction.atomic
def update_event(*, event: Event, **changes) -> Event:
    """Change an event's details (any of ``EDITABLE_EVENT_FIELDS``)."""
    unknown = set(changes) - set(EDITABLE_EVENT_FIELDS)
    if unknown:
        raise TypeError(f"update_event() can't change {', '.join(sorted(unknown))}")
    check_editable(event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in changes.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    if "capacity" in changes and event.capacity < joined_count(event):
        raise EventsError(
            {
                "capacity": f"{joined_count(event)} people have already joined; the capacity "
                "can't be lower than that."
            }
        )
    _check_event(event)
    event.save()
    return event


@transaction.atomic
def duplicate_event(
    *,
    event: Event,
    stakeholder_group: StakeholderGroup | None,
    title: str,
    starts_at: datetime,
    slug: str = "",
) -> Event:
    """A draft copy of ``event`` for another stakeholder group, with the same length, details,
    agenda (and its round prompts), closing questions and role codes.

    When the new group has default role codes of its own, the copy uses those instead of the
    original's: an event for young people should not offer the birth parents' codes."""
    copy = create_event(
        series=event.series,
        stage=event.stage,
        title=title,
        slug=slug,
        starts_at=starts_at,
        ends_at=starts_at.astimezone(UTC) + (event.ends_at - event.starts_at),
        stakeholder_group=stakeholder_group,
        description=event.description,
        context=event.context,
        capacity=event.capacity,
        table_size=event.table_size,
        timezone_name=event.timezone,
    )
    if not (stakeholder_group and stakeholder_group.default_role_codes):
        for role_code in event.role_codes.all():
            add_role_code(event=copy, code=role_code.code, label=role_code.label)
    AgendaSegment.objects.bulk_create(
        AgendaSegment(
            event=copy,
            position=segment.position,
            kind=segment.kind,
            title=segment.title,
            planned_minutes=segment.planned_minutes,
            prompt=segment.prompt,
        )
        for segment in event.segments.all()
    )
    ClosingQuestion.objects.bulk_create(
        ClosingQuestion(event=copy, position=question.position, text=question.text)
        for question in event.closing_questions.all()
    )
    return copy


class StartDateNotToday(EventsError):
    """Going live on a day that is not the event's: refused until the facilitator confirms."""

    def __init__(self, *, event: Event, scheduled: date) -> None:
        self.scheduled = scheduled
        super().__init__(
            f"“{event.title}” is scheduled for {dateformat.format(scheduled, 'l j F Y')} "
            f"({event.timezone}), not today. Participants who join now will find it running."
        )


@transaction.atomic
def transition_event(
    *, event: Event, to: str, by: AbstractBaseUser | None, ask_if_off_day: bool = False
) -> Event:
    """Move an event to another status, or refuse if that move is not allowed.

    With ``ask_if_off_day`` (a person pressed "Go live" and has not yet confirmed), going
    live on a day other than the event's own date, on its clock, is refused with
    :class:`StartDateNotToday` and nothing is stored. Scripts and demos that start an event
    on purpose leave it off.

    Closing an event runs the registered event-closed hooks (reports start compiling) in
    the same transaction."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    allowed = TRANSITIONS.get(locked.status, ())
    if to not in allowed:
        current = locked.get_status_display().lower()
        target = EventStatus(to).label.lower() if to in EventStatus.values else repr(to)
        options = ", ".join(EventStatus(s).label.lower() for s in allowed) or "nothing else"
        raise EventsError(f"A {current} event can't become {target}. It can become: {options}.")
    if to == EventStatus.LIVE and ask_if_off_day:
        scheduled = selectors.starts_on_another_day(locked)
        if scheduled is not None:
            raise StartDateNotToday(event=locked, scheduled=scheduled)
    StatusChange.objects.create(
        event=locked, from_status=locked.status, to_status=to, changed_by=by
    )
    locked.status = to
    locked.save(update_fields=["status"])
    event.status = to
    if to == EventStatus.CLOSED:
        hooks.run_event_closed_hooks(event=locked, closed_by=by)
    return locked


# --- role codes --------------------------------------------------------------------------


@transaction.atomic
def add_role_code(*, event: Event, code: str, label: str) -> RoleCode:
    code = check_role_code(code)
    label = check_plain_text(label, field="label", label="The label")
    if event.role_codes.filter(code=code).exists():
        raise EventsError({"code": f"This event already has the role code {code}."})
    role_code = RoleCode(event=event, code=code, label=label)
    _validate(role_code)
    role_code.save()
    return role_code


@transaction.atomic
def remove_role_code(*, role_code: RoleCode) -> None:
    """Remove a role code nobody has chosen yet (words already attributed keep theirs)."""
    in_use = role_code.event.participants.filter(role_code=role_code.code).count()
    if in_use:
        raise EventsError(
            f"{in_use} participant(s) chose {role_code.code}, so it can't be removed."
        )
    role_code.delete()


@transaction.atomic
def relabel_role_code(*, role_code: RoleCode, label: str) -> RoleCode:
    """Give a role code another label (words attributed to the code keep it)."""
    role_code.label = check_plain_text(label, field="label", label="The label")
    _validate(role_code)
    role_code.save(update_fields=["label"])
    return role_code


@transaction.atomic
def record_attendance(*, event: Event, role_code: str, count: int) -> RecordedAttendance:
    """Record how many people of a role took part in an event run without joining here (on
    paper, on another board); it replaces the number recorded before. ``role_code`` "" is
    for people who preferred not to say. The report counts these while nobody has joined."""
    code = check_role_code(role_code, field="role_code") if role_code else ""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise EventsError({"count": "The number of people must be a whole number from 0."})
    recorded, _ = RecordedAttendance.objects.update_or_create(
        event=event, role_code=code, defaults={"count": count}
    )
    return recorded


# --- agenda and closing questions ----------------------------------------------------------


def _next_position(queryset: models.QuerySet) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


def _renumber(queryset: models.QuerySet) -> None:
    """Positions 1..n in the current order, so moving is always a swap of neighbours."""
    for position, item in enumerate(queryset.order_by("position", "id"), start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def _move(item: models.Model, siblings: models.QuerySet, offset: int) -> None:
    if offset not in (-1, 1):
        raise EventsError("An item moves one place up or down at a time.")
    _renumber(siblings)
    ordered = list(siblings.order_by("position", "id"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


def _check_segment(segment: AgendaSegment) -> None:
    segment.title = check_plain_text(segment.title, field="title", label="The title")
    segment.prompt = (segment.prompt or "").strip()
    if segment.kind == SegmentKind.CAFE_ROUND and not segment.prompt:
        raise EventsError({"prompt": "A café round needs the question its tables discuss."})
    _validate(segment)


@transaction.atomic
def add_segment(
    *, event: Event, kind: SegmentKind, title: str, planned_minutes: int, prompt: str = ""
) -> AgendaSegment:
    """Add a block at the end of the agenda; later start times follow from the durations."""
    check_editable(event)
    segment = AgendaSegment(
        event=event,
        position=_next_position(event.segments.all()),
        kind=kind,
        title=title,
        planned_minutes=planned_minutes,
        prompt=prompt,
    )
    _check_segment(segment)
    segment.save()
    return segment


@transaction.atomic
def update_segment(
    *, segment: AgendaSegment, kind: SegmentKind, title: str, planned_minutes: int, prompt: str = ""
) -> AgendaSegment:
    check_editable(segment.event)
    segment.kind, segment.title = kind, title
    segment.planned_minutes, segment.prompt = planned_minutes, prompt
    _check_segment(segment)
    segment.save()
    return segment


@transaction.atomic
def set_round_prompt(*, segment: AgendaSegment, prompt: str) -> AgendaSegment:
    """Change only the question a café round's tables discuss."""
    return update_segment(
        segment=segment,
        kind=segment.kind,
        title=segment.title,
        planned_minutes=segment.planned_minutes,
        prompt=prompt,
    )


@transaction.atomic
def move_segment(*, segment: AgendaSegment, offset: int) -> None:
    """Move a block one place earlier (-1) or later (+1)."""
    check_editable(segment.event)
    _move(segment, segment.event.segments.all(), offset)


@transaction.atomic
def delete_segment(*, segment: AgendaSegment) -> None:
    event = segment.event
    check_editable(event)
    segment.delete()
    _renumber(event.segments.all())


@transaction.atomic
def add_closing_question(*, event: Event, text: str) -> ClosingQuestion:
    check_editable(event)
    question = ClosingQuestion(
        event=event,
        position=_next_position(event.closing_questions.all()),
        text=check_plain_text(text, field="text", label="A question"),
    )
    _validate(question)
    question.save()
    return question


@transaction.atomic
def update_closing_question(*, question: ClosingQuestion, text: str) -> ClosingQuestion:
    check_editable(question.event)
    question.text = check_plain_text(text, field="text", label="A question")
    _validate(question)
    question.save()
    return question


@transaction.atomic
def move_closing_question(*, question: ClosingQuestion, offset: int) -> None:
    check_editable(question.event)
    _move(question, question.event.closing_questions.all(), offset)


@transaction.atomic
def delete_closing_question(*, question: ClosingQuestion) -> None:
    event = question.event
    check_editable(event)
    question.delete()
    _renumber(event.closing_questions.all())


# --- staff -------------------------------------------------------------------------------------


@transaction.atomic
def grant_role(
    *,
    user: AbstractBaseUser,
    role: StaffRole,
    series: Series | None = None,
    event: Event | None = None,
) -> Membership:
    """Give a staff member a role on a series (and so all its events) or on one event."""
    if (series is None) == (event is None):
        raise EventsError("A role is given on a series or on one event, not both.")
    if role not in StaffRole.values:
        raise EventsError({"role": f"“{role}” is not a staff role."})
    membership, _ = Membership.objects.get_or_create(
        user=user, role=role, series=series, event=event
    )
    return membership


@transaction.atomic
def revoke_role(*, membership: Membership) -> None:
    membership.delete()


# --- invitations ------------------------------------------------------------------------------


def parse_pasted_emails(pasted: str) -> list[tuple[int, str]]:
    """Each non-empty line's number and address; ``Name <a@b.org>`` gives ``a@b.org``.

    Commas and semicolons separate addresses on one line (as Outlook pastes them)."""
    found = []
    for number, line in enumerate(pasted.splitlines(), start=1):
        for part in re.split(r"[;,]", line):
            part = part.strip()
            if part:
                _, address = parseaddr(part)
                found.append((number, (address or part).strip()))
    return found


@transaction.atomic
def invite_people(*, event: Event, pasted_emails: str, invited_by: AbstractBaseUser) -> list:
    """Invite every address pasted, one a line, and email each an invitation with a calendar
    entry once saved. Any bad line refuses the whole paste, with a message per line."""
    check_editable(event)
    entries = parse_pasted_emails(pasted_emails)
    if not entries:
        raise EventsError({"emails": "Paste at least one email address."})
    if len(entries) > MAX_INVITATIONS_PER_PASTE:
        raise EventsError(
            {"emails": f"Paste at most {MAX_INVITATIONS_PER_PASTE} addresses at a time."}
        )
    already = {e.lower() for e in event.invitations.values_list("email", flat=True)}
    seen: set[str] = set()
    problems = []
    for line, address in entries:
        key = address.lower()
        try:
            validate_email(address)
        except ValidationError:
            problems.append(f"Line {line}: “{address}” is not an email address.")
            continue
        if key in already:
            problems.append(f"Line {line}: {address} has already been invited.")
        elif key in seen:
            problems.append(f"Line {line}: {address} is pasted twice.")
        seen.add(key)
    if problems:
        raise EventsError({"emails": problems})
    invitations = [
        Invitation.objects.create(event=event, email=address, created_by=invited_by)
        for _, address in entries
    ]
    for invitation in invitations:
        _send_later(invitation)
    return invitations


def _send_later(invitation: Invitation) -> None:
    from events import tasks

    transaction.on_commit(partial(tasks.send_invitation_email.delay, invitation.pk))


@transaction.atomic
def resend_invitation(*, invitation: Invitation) -> Invitation:
    """Send the invitation email again (e.g. it went to spam)."""
    check_editable(invitation.event)
    invitation.sent_at = None
    invitation.save(update_fields=["sent_at"])
    _send_later(invitation)
    return invitation


def send_invitation(*, invitation: Invitation, site_url: str) -> Invitation:
    """Email the invitation now, with its join link and an ``.ics`` calendar entry.

    Safe to run twice: an invitation already sent is not sent again."""
    from events.invitation_email import invitation_message

    invitation = Invitation.objects.select_related("event").get(pk=invitation.pk)
    if invitation.sent_at is not None:
        return invitation
    invitation_message(invitation=invitation, site_url=site_url).send()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    invitation.refresh_from_db()
    return invitation


# --- participants -------------------------------------------------------------------------------


def joined_count(event: Event) -> int:
    return event.participants.filter(status=ParticipantStatus.JOINED).count()


@transaction.atomic
def join_event(
    *,
    event: Event,
    pseudonym: str,
    role_code: str,
    consent: bool,
    accessibility_needs: str = "",
    contact_email: str = "",
    invitation: Invitation | None = None,
) -> Participant:
    """Take part in an event under a pseudonym, after consenting to how words are used.

    When the event is full the participant is put on the waitlist instead (their status
    says so). ``role_code`` is one of the event's codes, or "" for "prefer not to say"."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status not in JOINABLE:
        if event.status == EventStatus.DRAFT:
            raise EventsError("This event is not open for joining yet. Try again later.")
        raise EventsError("This event has finished, so it can't be joined any more.")
    if not consent:
        raise EventsError(
            {"consent": "Please tick the box to say you agree, so that you can take part."}
        )
    pseudonym = check_plain_text(pseudonym, field="pseudonym", label="Your name here")
    if len(pseudonym) < 2:
        raise EventsError({"pseudonym": "Choose a name of at least 2 characters."})
    if "@" in pseudonym or re.search(r"\d{6,}", pseudonym.replace(" ", "")):
        raise EventsError(
            {"pseudonym": "Please don't use an email address or phone number as your name here."}
        )
    if event.participants.filter(pseudonym__iexact=pseudonym).exists():
        raise EventsError(
            {
                "pseudonym": f"Someone in this event is already called “{pseudonym}”. "
                "Try adding a letter or a number."
            }
        )
    role_code = (role_code or "").strip().upper()
    if role_code and not event.role_codes.filter(code=role_code).exists():
        raise EventsError({"role_code": "Choose one of the roles listed, or “Prefer not to say”."})
    if invitation is not None and invitation.event_id != event.pk:
        raise EventsError("This invitation is for a different event.")
    full = joined_count(event) >= event.capacity
    participant = Participant(
        event=event,
        pseudonym=pseudonym,
        role_code=role_code,
        status=ParticipantStatus.WAITLISTED if full else ParticipantStatus.JOINED,
        consented_at=timezone.now(),
        accessibility_needs=accessibility_needs.strip(),
        contact_email=contact_email.strip(),
        invitation=invitation,
    )
    _validate(participant)
    participant.save()
    return participant


@transaction.atomic
def withdraw_participant(*, participant: Participant) -> Participant:
    """Leave the event; the participant's words are left out of every harvest and report.

    If they held a place, the first person on the waitlist gets it."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == ParticipantStatus.WITHDRAWN:
        return participant
    held_a_place = participant.status == ParticipantStatus.JOINED
    participant.status = ParticipantStatus.WITHDRAWN
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["status", "withdrawn_at"])
    hooks.run_participant_withdrawn_hooks(participant=participant)
    if held_a_place:
        Event.objects.select_for_update().get(pk=participant.event_id)
        waiting = (
            participant.event.participants.filter(status=ParticipantStatus.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if waiting:
            waiting.status = ParticipantStatus.JOINED
            waiting.save(update_fields=["status"])
            if waiting.contact_email:
                from events import tasks

                transaction.on_commit(partial(tasks.send_place_freed_email.delay, waiting.pk))
    return participant


def send_place_freed_email(*, participant: Participant, site_url: str) -> None:
    """Tell someone who was on the waitlist that a place is theirs, with their welcome page."""
    from events.invitation_email import place_freed_message

    place_freed_message(participant=participant, site_url=site_url).send()


@transaction.atomic
def check_in(*, participant: Participant, present: bool = True) -> Participant:
    """Mark a participant as arrived on the day (or undo it)."""
    if participant.status == ParticipantStatus.WITHDRAWN and present:
        raise EventsError(f"{participant.pseudonym} has withdrawn and can't be checked in.")
    participant.checked_in_at = timezone.now() if present else None
    participant.save(update_fields=["checked_in_at"])
    return participant


# --- retention ----------------------------------------------------------------------------


def series_past_retention(*, now: datetime | None = None) -> list[Series]:
    """Series whose last event ended more than ``retention_days`` ago."""
    now = now or timezone.now()
    expired = []
    for series in Series.objects.annotate(last_end=models.Max("events__ends_at")).exclude(
        last_end=None
    ):
        if series.last_end + timedelta(days=series.retention_days) < now:
            expired.append(series)
    return expired


@transaction.atomic
def delete_participant_data(*, series: Series) -> int:
    """Delete every participant of the series' events, with everything they wrote or
    were sent (words, votes, answers, seats, invitations with their email addresses).

    Returns how many participants were deleted. What the events were (titles, agendas,
    questions, staff) stays, so the series can be reported on without anyone in it."""
    participants = Participant.objects.filter(event__series=series)
    count = participants.count()
    participants.delete()  # the database cascades to their words, votes, answers, seats
    Invitation.objects.filter(event__series=series).delete()
    return count


def purge_expired_participant_data(*, now: datetime | None = None) -> dict[str, int]:
    """The scheduled retention job: per series past its retention period, delete its
    participants' data. Safe to run any number of times."""
    return {
        series.slug: delete_participant_data(series=series)
        for series in series_past_retention(now=now)
    }
