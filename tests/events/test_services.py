"""Services: what a facilitator or participant does, and the mistakes they are told about."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import hooks, services
from events.errors import EventsError
from events.models import (
    AgendaSegment,
    Event,
    EventStatus,
    Invitation,
    Participant,
    ParticipantStatus,
    SegmentKind,
    Series,
    StaffRole,
    Stage,
    StatusChange,
)
from events.tasks import send_place_freed_email
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def messages_of(error: EventsError) -> str:
    return " ".join(error.messages)


# --- series and events ---------------------------------------------------------------------


def test_create_series_with_groups_makes_the_creator_its_facilitator():
    user = UserFactory()
    series = services.create_series(
        title="Bridge the Gap",
        stakeholder_groups=[("Birth parents", [("bp", "Birth parent")])],
        created_by=user,
    )
    assert series.slug == "bridge-the-gap"
    assert series.stakeholder_groups.get().default_role_codes == [["BP", "Birth parent"]]
    assert series.memberships.get().user == user


def test_series_creation_is_all_or_nothing():
    with pytest.raises(EventsError) as error:
        services.create_series(
            title="Half way",
            stakeholder_groups=[("Good group", []), ("Bad group", [("B1", "Bad code")])],
        )
    assert "1 to 6 letters" in messages_of(error.value)
    assert not Series.objects.filter(title="Half way").exists()


@pytest.mark.parametrize("title", ["<b>Bold</b>", "Hello <script>x</script>", "Tom &amp; Jerry"])
def test_markup_in_titles_is_refused_with_a_clear_message(series, start, title):
    with pytest.raises(EventsError) as error:
        services.create_event(
            series=series,
            stage=Stage.CONNECT,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    assert error.value.message_dict["title"] == [
        "The title can't contain HTML or markup such as <b> or &amp;. Use plain text."
    ]
    assert not Event.objects.exists()


def test_plain_angle_brackets_in_words_are_fine(series, start):
    event = services.create_event(
        series=series,
        stage=Stage.CONNECT,
        title="Children < 5 and families",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    assert event.title == "Children < 5 and families"


def test_an_event_must_end_after_it_starts(series, start):
    with pytest.raises(EventsError) as error:
        services.create_event(
            series=series, stage=Stage.CONNECT, title="Backwards", starts_at=start, ends_at=start
        )
    assert error.value.message_dict == {"ends_at": ["The event must end after it starts."]}


def test_duplicate_slugs_are_refused_by_name(explore, series, start):
    with pytest.raises(EventsError) as error:
        services.create_event(
            series=series,
            stage=Stage.CONNECT,
            title="Another",
            slug=explore.slug,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    assert "already used by another event" in error.value.message_dict["slug"][0]


def test_without_a_slug_one_is_made_free(explore, series, start):
    one = services.create_event(
        series=series,
        stage=Stage.CONNECT,
        title="Launch",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    two = services.create_event(
        series=series,
        stage=Stage.CONNECT,
        title="Launch",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    assert (one.slug, two.slug) == ("bridge-the-gap-launch", "bridge-the-gap-launch-2")


def test_too_long_texts_and_unknown_time_zones_are_refused(series, start):
    with pytest.raises(EventsError) as error:
        services.create_event(
            series=series,
            stage=Stage.CONNECT,
            title="x" * 201,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    assert "at most 200 characters" in error.value.message_dict["title"][0]
    with pytest.raises(EventsError) as error:
        services.create_event(
            series=series,
            stage=Stage.CONNECT,
            title="Fine",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            timezone_name="Mars/Olympus",
        )
    assert "not a time zone we know" in error.value.message_dict["timezone"][0]


def test_a_group_of_another_series_is_refused(series, start):
    other = services.create_series(title="Other", stakeholder_groups=[("Theirs", [])])
    with pytest.raises(EventsError) as error:
        services.create_event(
            series=series,
            stage=Stage.EXPLORE,
            title="Mixed",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            stakeholder_group=other.stakeholder_groups.get(),
        )
    assert "stakeholder_group" in error.value.message_dict


def test_new_events_start_with_their_groups_role_codes(explore):
    assert list(explore.role_codes.values_list("code", flat=True)) == ["BF", "BP"]


def test_update_event_refuses_bad_times_and_keeps_the_old_ones(explore):
    before = explore.ends_at
    with pytest.raises(EventsError):
        services.update_event(event=explore, ends_at=explore.starts_at - timedelta(hours=1))
    explore.refresh_from_db()
    assert explore.ends_at == before


def test_capacity_cannot_drop_below_who_already_joined(open_event):
    for name in ("Ann", "Bea"):
        services.join_event(event=open_event, pseudonym=name, role_code="BP", consent=True)
    with pytest.raises(EventsError) as error:
        services.update_event(event=open_event, capacity=1)
    assert "2 people have already joined" in error.value.message_dict["capacity"][0]


# --- duplicate -----------------------------------------------------------------------------------


def test_duplicate_copies_agenda_prompts_questions_and_uses_the_new_groups_codes(explore, series):
    young = series.stakeholder_groups.get(name="Care-experienced young people")
    starts = explore.starts_at + timedelta(days=7)
    copy = services.duplicate_event(
        event=explore, stakeholder_group=young, title="Explore: young people", starts_at=starts
    )
    assert copy.status == EventStatus.DRAFT
    assert copy.ends_at - copy.starts_at == explore.ends_at - explore.starts_at
    assert [(s.title, s.planned_minutes, s.prompt) for s in copy.segments.all()] == [
        (s.title, s.planned_minutes, s.prompt) for s in explore.segments.all()
    ]
    assert list(copy.closing_questions.values_list("text", flat=True)) == ["What must change?"]
    assert list(copy.role_codes.values_list("code", flat=True)) == ["CEYP"]
    assert copy.code != explore.code
    assert copy.slug == "bridge-the-gap-explore-young-people"


def test_duplicate_without_group_codes_copies_the_original_codes(explore):
    copy = services.duplicate_event(
        event=explore, stakeholder_group=None, title="Second session", starts_at=explore.starts_at
    )
    assert list(copy.role_codes.values_list("code", flat=True)) == ["BF", "BP"]


# --- status -----------------------------------------------------------------------------------


def test_the_whole_life_of_an_event_and_the_closing_hook(explore):
    closed = []
    hook = hooks.on_event_closed(lambda *, event, closed_by: closed.append((event.pk, closed_by)))
    user = UserFactory()
    try:
        for to in ("scheduled", "live", "closed", "archived"):
            services.transition_event(event=explore, to=to, by=user)
    finally:
        hooks.event_closed.unregister(hook)
    explore.refresh_from_db()
    assert explore.status == EventStatus.ARCHIVED
    assert closed == [(explore.pk, user)]
    assert list(StatusChange.objects.values_list("to_status", flat=True)) == [
        "scheduled",
        "live",
        "closed",
        "archived",
    ]


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ([], "live"),
        ([], "closed"),
        (["scheduled"], "closed"),
        (["scheduled", "live"], "draft"),
        (["scheduled", "live", "closed"], "live"),
        (["scheduled", "live", "closed", "archived"], "draft"),
        ([], "nonsense"),
    ],
)
def test_invalid_transitions_are_refused(explore, path, to):
    for step in path:
        services.transition_event(event=explore, to=step, by=None)
    with pytest.raises(EventsError) as error:
        services.transition_event(event=explore, to=to, by=None)
    assert "can't become" in messages_of(error.value)
    assert StatusChange.objects.count() == len(path)


def _on_today(event):
    """Move ``event`` so that it started half an hour ago (and so is on today's date)."""
    length = event.ends_at - event.starts_at
    event.starts_at = timezone.now() - timedelta(minutes=30)
    event.ends_at = event.starts_at + length
    event.save()
    return event


def test_going_live_on_the_events_own_day_needs_no_confirmation(open_event):
    _on_today(open_event)
    services.transition_event(event=open_event, to="live", by=None, ask_if_off_day=True)
    open_event.refresh_from_db()
    assert open_event.status == EventStatus.LIVE


def test_going_live_on_another_day_is_refused_until_confirmed_and_stores_nothing(open_event):
    """The fixture's event is ten days away."""
    before = StatusChange.objects.count()
    with pytest.raises(services.StartDateNotToday) as refusal:
        services.transition_event(event=open_event, to="live", by=None, ask_if_off_day=True)
    scheduled = open_event.starts_at.astimezone(timezone.get_default_timezone()).date()
    assert refusal.value.scheduled == scheduled
    assert f"scheduled for {scheduled:%A} {scheduled.day} {scheduled:%B %Y}" in messages_of(
        refusal.value
    )
    assert "(Europe/London), not today" in messages_of(refusal.value)
    open_event.refresh_from_db()
    assert open_event.status == EventStatus.SCHEDULED
    assert StatusChange.objects.count() == before

    services.transition_event(event=open_event, to="live", by=None, ask_if_off_day=False)
    open_event.refresh_from_db()
    assert open_event.status == EventStatus.LIVE


def test_only_going_live_asks_about_the_date(explore):
    services.transition_event(event=explore, to="scheduled", by=None, ask_if_off_day=True)
    services.transition_event(event=explore, to="draft", by=None, ask_if_off_day=True)
    explore.refresh_from_db()
    assert explore.status == EventStatus.DRAFT


def test_a_closed_events_plan_cannot_change(explore):
    for step in ("scheduled", "live", "closed"):
        services.transition_event(event=explore, to=step, by=None)
    with pytest.raises(EventsError, match="plan can't change"):
        services.add_closing_question(event=explore, text="Late?")


# --- agenda, questions, role codes --------------------------------------------------------------


def titles(event):
    return list(event.segments.values_list("title", flat=True))


def test_segments_move_and_delete_keeping_positions_tidy(explore):
    first, _second, third = explore.segments.all()
    services.move_segment(segment=third, offset=-1)
    assert titles(explore) == ["Technical introduction", "Plenary", "Round 1: stories"]
    services.move_segment(segment=first, offset=-1)  # already first: nothing happens
    services.delete_segment(segment=first)
    assert list(explore.segments.values_list("position", flat=True)) == [1, 2]
    assert titles(explore) == ["Plenary", "Round 1: stories"]


def test_a_cafe_round_needs_a_prompt_and_minutes_are_bounded(explore):
    with pytest.raises(EventsError) as error:
        services.add_segment(
            event=explore, kind=SegmentKind.CAFE_ROUND, title="Round 2", planned_minutes=30
        )
    assert "prompt" in error.value.message_dict
    with pytest.raises(EventsError) as error:
        services.add_segment(
            event=explore, kind=SegmentKind.BREAK, title="Long break", planned_minutes=481
        )
    assert "planned_minutes" in error.value.message_dict or "__all__" in error.value.message_dict
    assert AgendaSegment.objects.filter(event=explore).count() == 3


def test_round_prompt_can_be_set_alone(explore):
    segment = explore.segments.get(kind=SegmentKind.CAFE_ROUND)
    services.set_round_prompt(segment=segment, prompt="What would have made a difference?")
    segment.refresh_from_db()
    assert segment.prompt == "What would have made a difference?"
    with pytest.raises(EventsError):
        services.set_round_prompt(segment=segment, prompt="  ")


def test_closing_questions_edit_move_delete(explore):
    second = services.add_closing_question(event=explore, text="What should stay?")
    services.move_closing_question(question=second, offset=-1)
    assert list(explore.closing_questions.values_list("text", flat=True)) == [
        "What should stay?",
        "What must change?",
    ]
    services.update_closing_question(question=second, text="What should stay the same?")
    services.delete_closing_question(question=second)
    assert list(explore.closing_questions.values_list("text", "position")) == [
        ("What must change?", 1)
    ]
    with pytest.raises(EventsError):
        services.add_closing_question(event=explore, text="x" * 501)


@pytest.mark.parametrize("code", ["B1", "", "TOOLONGX", "B P"])
def test_bad_role_codes_are_refused(explore, code):
    with pytest.raises(EventsError, match="1 to 6 letters"):
        services.add_role_code(event=explore, code=code, label="Label")


def test_role_codes_are_upper_cased_unique_and_kept_while_in_use(open_event):
    with pytest.raises(EventsError, match="already has the role code BP"):
        services.add_role_code(event=open_event, code="bp", label="Again")
    services.join_event(event=open_event, pseudonym="Ann", role_code="BF", consent=True)
    with pytest.raises(EventsError, match="chose BF"):
        services.remove_role_code(role_code=open_event.role_codes.get(code="BF"))
    services.remove_role_code(role_code=open_event.role_codes.get(code="BP"))
    assert list(open_event.role_codes.values_list("code", flat=True)) == ["BF"]


def test_grant_role_needs_exactly_one_scope(explore):
    user = UserFactory()
    with pytest.raises(EventsError):
        services.grant_role(user=user, role=StaffRole.TABLE_HOST)
    one = services.grant_role(user=user, role=StaffRole.TABLE_HOST, event=explore)
    assert services.grant_role(user=user, role=StaffRole.TABLE_HOST, event=explore) == one


# --- invitations -------------------------------------------------------------------------------


def test_pasted_emails_are_parsed_line_by_line():
    pasted = "ann@example.org\n\n  Bea Jones <bea@example.org>; cy@example.org \nnot-an-email"
    assert services.parse_pasted_emails(pasted) == [
        (1, "ann@example.org"),
        (3, "bea@example.org"),
        (3, "cy@example.org"),
        (4, "not-an-email"),
    ]


def test_a_bad_line_refuses_the_whole_paste_with_line_numbers(explore, facilitator):
    services.invite_people(event=explore, pasted_emails="old@example.org", invited_by=facilitator)
    with pytest.raises(EventsError) as error:
        services.invite_people(
            event=explore,
            pasted_emails="new@example.org\nbob@\nOLD@example.org\nnew@example.org",
            invited_by=facilitator,
        )
    assert error.value.message_dict["emails"] == [
        "Line 2: “bob@” is not an email address.",
        "Line 3: OLD@example.org has already been invited.",
        "Line 4: new@example.org is pasted twice.",
    ]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["old@example.org"]


def test_invitations_are_emailed_only_after_commit(
    explore, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations = services.invite_people(
            event=explore, pasted_emails="a@example.org\nb@example.org", invited_by=facilitator
        )
    assert len(invitations) == 2
    assert len(callbacks) == 2


def test_an_empty_paste_is_refused(explore, facilitator):
    with pytest.raises(EventsError, match="at least one"):
        services.invite_people(event=explore, pasted_emails=" \n ", invited_by=facilitator)


# --- joining ------------------------------------------------------------------------------------


def test_join_records_consent_and_the_role_code(open_event):
    participant = services.join_event(
        event=open_event,
        pseudonym=" Robin ",
        role_code="bp",
        consent=True,
        accessibility_needs="Large text",
        contact_email="robin@example.org",
    )
    assert (participant.pseudonym, participant.role_code) == ("Robin", "BP")
    assert participant.status == ParticipantStatus.JOINED
    assert participant.consented_at <= timezone.now()


def test_prefer_not_to_say_is_an_empty_role_code(open_event):
    participant = services.join_event(event=open_event, pseudonym="Sam", role_code="", consent=True)
    assert participant.role_code == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent": False}, "consent", "tick the box"),
        ({"pseudonym": "R"}, "pseudonym", "at least 2"),
        ({"pseudonym": "robin@example.org"}, "pseudonym", "email address or phone"),
        ({"pseudonym": "07700 900123"}, "pseudonym", "email address or phone"),
        ({"pseudonym": "<i>Robin</i>"}, "pseudonym", "markup"),
        ({"role_code": "SW"}, "role_code", "Choose one of the roles"),
        ({"contact_email": "nope"}, "contact_email", "valid email"),
    ],
)
def test_join_refuses_bad_input_and_stores_nothing(open_event, changes, field, message):
    arguments = {"event": open_event, "pseudonym": "Robin", "role_code": "BP", "consent": True}
    with pytest.raises(EventsError) as error:
        services.join_event(**{**arguments, **changes})
    assert message in " ".join(error.value.message_dict[field])
    assert not Participant.objects.exists()


def test_a_pseudonym_is_taken_whatever_the_case(open_event):
    services.join_event(event=open_event, pseudonym="Robin", role_code="BP", consent=True)
    with pytest.raises(EventsError, match="already called"):
        services.join_event(event=open_event, pseudonym="ROBIN", role_code="BP", consent=True)


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_only_scheduled_or_live_events_can_be_joined(explore, status):
    if status == "closed":
        for step in ("scheduled", "live", "closed"):
            services.transition_event(event=explore, to=step, by=None)
    with pytest.raises(EventsError):
        services.join_event(event=explore, pseudonym="Robin", role_code="BP", consent=True)


def test_a_full_event_puts_people_on_the_waitlist_and_frees_places(
    open_event, mailoutbox, django_capture_on_commit_callbacks
):
    joined = [
        services.join_event(event=open_event, pseudonym=f"P{i}x", role_code="BP", consent=True)
        for i in range(3)
    ]
    late = services.join_event(
        event=open_event,
        pseudonym="Late",
        role_code="BP",
        consent=True,
        contact_email="late@example.org",
    )
    assert late.status == ParticipantStatus.WAITLISTED
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        withdrawn = services.withdraw_participant(participant=joined[0])
    assert withdrawn.status == ParticipantStatus.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    late.refresh_from_db()
    assert late.status == ParticipantStatus.JOINED
    assert len(callbacks) == 1  # the email goes out through the worker, after commit
    send_place_freed_email.apply(args=[late.pk])
    [email] = mailoutbox
    assert email.to == ["late@example.org"]
    assert email.subject == f"A place is free for you: {open_event.title}"
    assert "Hello Late," in email.body
    assert f"/join/{open_event.code}/welcome/" in email.body


def test_a_freed_place_is_not_emailed_to_someone_who_left_in_between(open_event, mailoutbox):
    person = services.join_event(
        event=open_event, pseudonym="Gone", role_code="BP", consent=True, contact_email="g@x.org"
    )
    services.withdraw_participant(participant=person)
    send_place_freed_email.apply(args=[person.pk])
    assert mailoutbox == []


def test_an_invitation_of_another_event_is_refused(open_event):
    other = ParticipantFactory().event
    invitation = Invitation.objects.create(event=other, email="x@example.org")
    with pytest.raises(EventsError, match="different event"):
        services.join_event(
            event=open_event,
            pseudonym="Robin",
            role_code="BP",
            consent=True,
            invitation=invitation,
        )


def test_check_in_and_undo(open_event):
    participant = services.join_event(
        event=open_event, pseudonym="Robin", role_code="BP", consent=True
    )
    assert services.check_in(participant=participant).checked_in_at is not None
    assert services.check_in(participant=participant, present=False).checked_in_at is None
    services.withdraw_participant(participant=participant)
    participant.refresh_from_db()
    with pytest.raises(EventsError, match="withdrawn"):
        services.check_in(participant=participant)
