"""An imported event's facts (``meta`` rows) and its tables' priorities with their votes,
read back through the selectors the harvest report uses."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cafes.csv_io import export_csv
from cafes.models import Note, Priority, Round, Vote
from cafes.payloads import priority_payload
from cafes.selectors import priorities_for_event, rounds_for_event
from events import services as event_services
from events.models import Event, RecordedAttendance, Series, StakeholderGroup
from events.selectors import participants_by_role
from tests.cafes.conftest import make_event, staff_viewer
from tests.factories import ParticipantFactory, SeriesFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
HEADER = "round,table,kind,text,role,question,votes\n"
# In the order the export writes, so that the export gives the same file back.
EXPLORE = (
    HEADER
    + """,,meta,2024-03-14,,date,
,,meta,10:00,,start,
,,meta,13:15,,end,
,,meta,Europe/London,,timezone,
,,meta,Bridge the Gap,,series,
,,meta,Birth parents and families,,group,
,,meta,Wider birth family,BF,role,
,,meta,Birth parent,BP,role,
,,meta,Kinship carer,KC,role,
,,meta,4,BF,attendance,
,,meta,12,BP,attendance,
,,meta,3,KC,attendance,
,,meta,2,,attendance,
1,,meta,What has helped or hindered your experience?,,prompt,
2,,meta,"What problems, strengths and possibilities do you see?",,prompt,
3,,meta,Which three solutions matter most?,,prompt,
1,1,story,The social worker never called back,BP,,
1,2,problem,Letters full of jargon,BF,,
1,,comment,Same at our table,BP,,
2,1,strength,Family group conferences worked,BP,,
3,1,solution,A parent advocate at every meeting,BP,,
3,1,priority,A parent advocate at every meeting,,,7
3,1,priority,Letters in plain English,,,3
3,2,priority,One social worker who stays,,,0
,,answer,Keep families together,BP,What is the one thing that must change?,
"""
)


def write(tmp_path, text, name="event.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def facilitator(db):
    return UserFactory(username="harvester")


def import_new(tmp_path, text, slug="explore-bp", in_chosen_series=False):
    """Import ``text`` into a new event; with ``in_chosen_series`` (a file with no series
    row), into a series chosen for it."""
    series = ()
    if in_chosen_series:
        series = ("--series", SeriesFactory(slug="paper-events", title="Paper events").slug)
    call_command(
        "import_notes",
        write(tmp_path, text),
        "--create-event",
        "Explore: birth parents",
        "--slug",
        slug,
        "--facilitator",
        "harvester",
        *series,
    )
    return Event.objects.get(slug=slug)


def attendance(event):
    return [(g.code, g.label, g.count) for g in participants_by_role(event)]


def test_an_imported_event_has_its_date_series_group_prompts_attendance_and_priorities(
    tmp_path, capsys
):
    event = import_new(tmp_path, EXPLORE)

    assert event.starts_at == datetime(2024, 3, 14, 10, 0, tzinfo=LONDON)
    assert event.ends_at == datetime(2024, 3, 14, 13, 15, tzinfo=LONDON)
    assert event.timezone == "Europe/London"
    assert event.series.title == "Bridge the Gap"
    assert event.stakeholder_group.name == "Birth parents and families"
    assert attendance(event) == [
        ("BF", "Wider birth family", 4),
        ("BP", "Birth parent", 12),
        ("KC", "Kinship carer", 3),
        ("—", "Prefer not to say", 2),
    ]
    assert sorted(event.role_codes.values_list("code", "label")) == [
        ("BF", "Wider birth family"),
        ("BP", "Birth parent"),
        ("KC", "Kinship carer"),
    ]
    assert [(r.number, r.prompt) for r in rounds_for_event(event=event)] == [
        (1, "What has helped or hindered your experience?"),
        (2, "What problems, strengths and possibilities do you see?"),
        (3, "Which three solutions matter most?"),
    ]
    assert [
        (p.round.number, p.table.label, p.text, p.vote_count)
        for p in priorities_for_event(event=event)
    ] == [
        (3, "Table 1", "A parent advocate at every meeting", 7),
        (3, "Table 1", "Letters in plain English", 3),
        (3, "Table 2", "One social worker who stays", 0),
    ]
    # A new group starts future events with the role codes this file gave it.
    assert event.stakeholder_group.default_role_codes == [
        ["BF", "Wider birth family"],
        ["BP", "Birth parent"],
        ["KC", "Kinship carer"],
    ]
    out = capsys.readouterr().out
    assert "Imported 4 notes, 1 chat messages and 1 answers" in out
    assert "Imported 3 priorities with their votes." in out
    assert "series 'Bridge the Gap'" in out
    assert "stakeholder group 'Birth parents and families'" in out


def test_the_export_gives_the_metadata_and_priorities_back(tmp_path):
    event = import_new(tmp_path, EXPLORE)
    assert export_csv(event=event) == EXPLORE

    out = tmp_path / "out.csv"
    call_command("export_notes", "--event", event.slug, "-o", str(out))
    again = import_new(tmp_path, out.read_text(encoding="utf-8"), slug="again")
    assert export_csv(event=again) == EXPLORE
    assert again.series == event.series
    assert again.stakeholder_group == event.stakeholder_group
    assert Series.objects.filter(title="Bridge the Gap").count() == 1


def test_a_series_and_group_are_reused_by_name_and_the_files_labels_win(tmp_path):
    series = event_services.create_series(
        title="Bridge The Gap",
        stakeholder_groups=[("Birth parents and families", [("BP", "Birth parent (old)")])],
    )

    event = import_new(tmp_path, EXPLORE)

    assert event.series == series
    assert event.stakeholder_group == series.stakeholder_groups.get()
    assert event.role_codes.get(code="BP").label == "Birth parent"
    assert StakeholderGroup.objects.count() == 1


def test_a_date_alone_starts_at_ten_for_three_hours_and_codes_without_labels_are_kept(tmp_path):
    text = (
        HEADER
        + ",,meta,14 March 2024,,date,\n"
        + ",,meta,5,CEYP,attendance,\n"
        + "1,1,story,Nobody asked me,CEYP,,\n"
    )
    event = import_new(tmp_path, text, in_chosen_series=True)
    assert (event.starts_at, event.ends_at) == (
        datetime(2024, 3, 14, 10, 0, tzinfo=LONDON),
        datetime(2024, 3, 14, 13, 0, tzinfo=LONDON),
    )
    assert event.series.slug == "paper-events"
    assert event.stakeholder_group is None
    assert attendance(event) == [("CEYP", "CEYP", 5)]


def test_a_file_in_the_old_six_columns_is_read_as_before(tmp_path):
    text = (
        "round,table,kind,text,role,question\n"
        "1,1,story,The social worker never called back,BP,\n"
        "2,1,priority,A parent advocate,,\n"
        ",,meta,2024-03-14,,date\n"
    )
    event = import_new(tmp_path, text, in_chosen_series=True)
    assert [(r.number, r.prompt) for r in rounds_for_event(event=event)] == [
        (1, "Round 1"),
        (2, "Round 2"),
    ]
    assert [(p.text, p.vote_count) for p in priorities_for_event(event=event)] == [
        ("A parent advocate", 0)
    ]
    assert attendance(event) == []
    assert event.starts_at.date().isoformat() == "2024-03-14"


def test_joined_participants_are_counted_instead_of_the_recorded_attendance():
    event = make_event()
    event_services.record_attendance(event=event, role_code="BP", count=12)
    assert attendance(event) == [("BP", "BP", 12)]

    ParticipantFactory(event=event, role_code="BF")
    assert attendance(event) == [("BF", "BF", 1)]


def test_recorded_votes_add_to_live_votes_and_withdrawn_votes_do_not_count(tmp_path):
    event = import_new(tmp_path, EXPLORE)
    priority = Priority.objects.get(text="Letters in plain English")
    staying, leaving = ParticipantFactory(event=event), ParticipantFactory(event=event)
    Vote.objects.create(priority=priority, participant=staying)
    Vote.objects.create(priority=priority, participant=leaving)
    assert priority_payload(priority)["votes"] == 3 + 2
    assert priorities_for_event(event=event).get(pk=priority.pk).vote_count == 3 + 2

    event_services.withdraw_participant(participant=leaving)
    assert priorities_for_event(event=event).get(pk=priority.pk).vote_count == 3 + 1


BAD = [
    (",,meta,14/13/2024,,date,", "line 2: date '14/13/2024' is not a date we can read"),
    (",,meta,2024-02-30,,date,", "line 2: date '2024-02-30' is not a date we can read"),
    (",,meta,Town hall,,venue,", "line 2: in a meta row 'venue' is not a fact we know"),
    (",,meta,Town hall,,,", "line 2: in a meta row the fact's name is missing"),
    (",,meta,-3,BP,attendance,", "line 2: attendance '-3' must be a whole number from 0"),
    (",,meta,twelve,BP,attendance,", "line 2: attendance 'twelve' must be a whole number"),
    (",,meta,4,birth parent,attendance,", "line 2: role 'BIRTH PARENT' must be 1 to 6 letters"),
    ("3,1,priority,Advocates,,,lots", "line 2: votes 'lots' must be a whole number from 0"),
    ("3,1,priority,Advocates,,,-1", "line 2: votes '-1' must be a whole number from 0"),
    ("3,,priority,Advocates,,,2", "line 2: table is needed for a priority"),
    (",1,priority,Advocates,,,2", "line 2: round is needed for a priority"),
    ("3,1,priority,Advocates,BP,,2", "line 2: a priority is the table's; leave role empty"),
    ("3,1,solution,Advocates,BP,,2", "line 2: only priorities have votes"),
    (",,meta,25:00,,start,", "line 2: start '25:00' must be a time on the 24-hour clock"),
    (",,meta,Europe/Lundun,,timezone,", "line 2: time zone 'Europe/Lundun' is not one we know"),
    (",,meta,What helped?,,prompt,", "line 2: a prompt needs its round's number"),
    ("2,,meta,2024-03-14,,date,", "line 2: only a prompt has a round"),
    (",3,meta,2024-03-14,,date,", "line 2: leave table empty for a meta row"),
    (",,meta,Birth parent,,role,", "line 2: a role row needs the role code"),
    (",,meta,Bridge,BP,series,", "line 2: only role and attendance rows have a role"),
    (",,meta,2024-03-14,,date,3", "line 2: only priorities have votes"),
    (",,meta,,,date,", "line 2: Please write the date first"),
    (",,meta," + "x" * 201 + ",,series,", "line 2: The series can be at most 200 characters"),
    (",,meta,<b>Bridge</b>,,series,", "line 2: Please write the series in plain words"),
    (",,meta,09:00,,end,", "line 2: the end, 09:00, must be after the start, 10:00"),
    (
        ",,meta,14:00,,start,\n,,meta,13:00,,end,",
        "line 3: the end, 13:00, must be after the start, 14:00",
    ),
    (
        ",,meta,2024-03-14,,date,\n,,meta,2024-03-15,,date,",
        "line 3: the date is already given on line 2",
    ),
    (
        "1,,meta,One?,,prompt,\n1,,meta,Two?,,prompt,",
        "line 3: round 1's prompt is already given on line 2",
    ),
    (",,meta,1,BP,attendance,\n,,meta,2,bp,attendance,", "line 3: the attendance of BP is already"),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_bad_metadata_or_priorities_are_named_by_line_and_nothing_is_stored(
    tmp_path, body, message
):
    text = HEADER + body + "\n1,1,story,The social worker never called back,BP,,\n"
    with pytest.raises(CommandError) as error:
        import_new(tmp_path, text)
    assert message in str(error.value)
    assert not Event.objects.exists()
    assert not Series.objects.exists()
    assert not Note.objects.exists()
    assert not Priority.objects.exists()


def test_every_bad_fact_is_listed_and_a_good_file_around_them_stores_nothing(tmp_path):
    text = EXPLORE.replace("2024-03-14,,date", "2024-14-03,,date").replace(
        ",12,BP,attendance", ",-12,BP,attendance"
    )
    with pytest.raises(CommandError) as error:
        import_new(tmp_path, text)
    assert "line 2: date '2024-14-03'" in str(error.value)
    assert "line 12: attendance '-12'" in str(error.value)
    assert not Event.objects.exists()
    assert not RecordedAttendance.objects.exists()
    assert not StakeholderGroup.objects.exists()


def test_a_series_title_two_series_share_is_refused(tmp_path):
    event_services.create_series(title="Bridge the Gap")
    event_services.create_series(title="Bridge the gap")
    with pytest.raises(CommandError, match="line 6: more than one series is called"):
        import_new(tmp_path, EXPLORE)
    assert not Event.objects.exists()


# --- into an event that exists ------------------------------------------------------------


def facts_of(event) -> str:
    starts = event.starts_at.astimezone(LONDON)
    return (
        HEADER
        + f",,meta,{starts:%Y-%m-%d},,date,\n"
        + f",,meta,{starts:%H:%M},,start,\n"
        + f",,meta,{event.series.title},,series,\n"
    )


def test_an_existing_event_is_filled_in_where_the_file_agrees(tmp_path):
    event = make_event()
    text = (
        facts_of(event)
        + "1,,meta,What has helped or hindered you?,,prompt,\n"
        + "4,,meta,What would you tell the review?,,prompt,\n"
        + ",,meta,Birth parent,BP,role,\n"
        + ",,meta,9,BP,attendance,\n"
        + "3,1,priority,Advocates,,,5\n"
    )
    call_command("import_notes", write(tmp_path, text), "--event", event.slug)

    assert attendance(event) == [("BP", "Birth parent", 9)]
    assert [(r.number, r.prompt) for r in rounds_for_event(event=event)] == [
        (1, "What has helped or hindered you?"),
        (3, "Which three solutions matter most?"),
        (4, "What would you tell the review?"),
    ]
    assert [(p.text, p.vote_count) for p in priorities_for_event(event=event)] == [("Advocates", 5)]


def test_a_later_file_names_the_rounds_an_earlier_one_left_unnamed(tmp_path):
    event = import_new(tmp_path, HEADER + "1,1,story,Nobody called,BP,,\n", in_chosen_series=True)
    assert Round.objects.get(event=event).prompt == "Round 1"
    call_command(
        "import_notes",
        write(tmp_path, HEADER + "1,,meta,What helped?,,prompt,\n"),
        "--event",
        event.slug,
    )
    assert Round.objects.get(event=event).prompt == "What helped?"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",,meta,2020-01-01,,date,", "line 2: the event's date is "),
        (",,meta,Another series,,series,", "line 2: the event's series is "),
        (",,meta,Young people,,group,", "line 2: the event's stakeholder group is not set"),
        (",,meta,America/New_York,,timezone,", "line 2: the event's time zone is Europe/London"),
        (
            "1,,meta,Something else?,,prompt,",
            "line 2: the event's prompt for round 1 is 'What has helped",
        ),
        (",,meta,Parent,BP,role,", "line 2: the event's label for BP is 'Birth parent'"),
    ],
)
def test_an_existing_event_is_never_changed_by_a_file_that_disagrees(tmp_path, row, message):
    event = make_event()
    event_services.add_role_code(event=event, code="BP", label="Birth parent")
    text = HEADER + row + "\n1,1,story,Nobody called,BP,,\n"
    with pytest.raises(CommandError) as error:
        call_command("import_notes", write(tmp_path, text), "--event", event.slug)
    assert message in str(error.value)
    assert "An import does not change an event that exists" in str(error.value)
    assert not Note.objects.exists()


def test_attendance_for_an_event_people_joined_must_agree_with_them(tmp_path):
    event = make_event()
    ParticipantFactory(event=event, role_code="BP")
    text = facts_of(event) + ",,meta,12,BP,attendance,\n"
    with pytest.raises(CommandError, match="line 5: 1 person joined this event here as BP"):
        call_command("import_notes", write(tmp_path, text), "--event", event.slug)
    assert not RecordedAttendance.objects.exists()

    call_command(
        "import_notes",
        write(tmp_path, facts_of(event) + ",,meta,1,BP,attendance,\n"),
        "--event",
        event.slug,
    )
    assert not RecordedAttendance.objects.exists()
    assert attendance(event) == [("BP", "BP", 1)]


def test_the_upload_page_names_the_line_of_a_fact_that_disagrees(client, tmp_path):
    event = make_event()
    client.force_login(staff_viewer(event).user)
    text = facts_of(event).replace(event.series.title, "Another series")
    response = client.post(
        reverse("cafes:import_notes", args=[event.slug]),
        {"file": SimpleUploadedFile("e.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "line 4: the event&#x27;s series is" in response.text
