"""CSV import and export of notes, chat and closing answers."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from cafes.csv_io import export_csv
from cafes.models import ChatMessage, ClosingAnswer, Note, Round, Table
from events.models import Event
from events.selectors import local_time
from tests.cafes.conftest import make_event
from tests.factories import SeriesFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = """round,table,kind,text,role,question
1,1,story,"The social worker never called back, ""not once"".",BP,
1,1,problem,Letters full of jargon,BF,
1,2,story,My sister helped with the kids,,
1,,comment,Same at our table,BP,
2,1,strength,Family group conferences worked,BP,
2,Kitchen,possibility,"A parent advocate
at every meeting",BF,
2,,comment,Yes to advocates,,
,,answer,Keep families together,BP,What is the one thing that must change?
,,answer,Plain letters,,What is the one thing that must change?
,,answer,It felt safe,BF,How did you find taking part today?
"""


def write(tmp_path, text, name="notes.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# Who an event made by --create-event belongs to: its series and its facilitator.
OWNER = ("--series", "paper-events", "--facilitator", "harvester")


@pytest.fixture(autouse=True)
def owner(db):
    SeriesFactory(slug="paper-events", title="Paper events")
    return UserFactory(username="harvester")


def test_import_creates_an_event_with_tables_rounds_and_questions(tmp_path, capsys):
    call_command(
        "import_notes",
        write(tmp_path, GOOD),
        "--create-event",
        "Paper café",
        "--slug",
        "paper-cafe",
        *OWNER,
    )
    event = Event.objects.get(slug="paper-cafe")
    assert event.stage == "explore"
    assert Note.objects.filter(event=event).count() == 5
    assert ChatMessage.objects.filter(event=event).count() == 2
    assert ClosingAnswer.objects.filter(question__event=event).count() == 3
    assert sorted(Table.objects.filter(event=event).values_list("number", "name")) == [
        (1, ""),
        (2, ""),
        (3, "Kitchen"),
    ]
    assert list(Round.objects.filter(event=event).values_list("number", flat=True)) == [1, 2]
    assert [q.text for q in event.closing_questions.all()] == [
        "What is the one thing that must change?",
        "How did you find taking part today?",
    ]
    note = Note.objects.get(text__startswith="The social worker")
    assert (note.role_code, note.participant, note.round.number) == ("BP", None, 1)
    assert Note.objects.get(kind="possibility").text == "A parent advocate\nat every meeting"
    assert "Imported 5 notes, 2 chat messages and 3 answers" in capsys.readouterr().out


def test_export_writes_the_same_file_back_after_the_events_facts(tmp_path):
    call_command(
        "import_notes", write(tmp_path, GOOD), "--create-event", "Paper", "--slug", "paper", *OWNER
    )
    event = Event.objects.get(slug="paper")
    exported = export_csv(event=event)
    header, *lines = exported.splitlines(keepends=True)
    facts = [line for line in lines if ",meta," in line]
    assert header + "".join(lines[len(facts) :]) == GOOD
    starts, ends = local_time(event, event.starts_at), local_time(event, event.ends_at)
    assert facts == [
        f",,meta,{starts:%Y-%m-%d},,date\n",
        f",,meta,{starts:%H:%M},,start\n",
        # The end is written when it falls on the start's day (not past midnight).
        *([f",,meta,{ends:%H:%M},,end\n"] if ends.date() == starts.date() else []),
        ",,meta,Europe/London,,timezone\n",
        ",,meta,Paper events,,series\n",
    ]

    out = tmp_path / "out.csv"
    call_command("export_notes", "--event", "paper", "-o", str(out))
    # The export names its series, so the copy goes there; it still needs its facilitator.
    call_command(
        "import_notes",
        out,
        "--create-event",
        "Again",
        "--slug",
        "again",
        "--facilitator",
        "harvester",
    )
    assert export_csv(event=Event.objects.get(slug="again")) == exported


def test_import_into_an_existing_event_uses_its_agenda_prompts(tmp_path):
    event = make_event()
    call_command("import_notes", write(tmp_path, GOOD), "--event", event.slug)
    assert Round.objects.get(event=event, number=1).prompt == "What has helped or hindered you?"
    assert Note.objects.filter(event=event, table__number=1, round__number=1).count() == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("1,1,rant,Hello,,", "line 2: kind 'rant'"),
        ("one,1,story,Hello,,", "line 2: round 'one'"),
        (",1,story,Hello,,", "line 2: round is needed"),
        ("1,,story,Hello,,", "line 2: table is needed"),
        ("1,3,comment,Hello,,", "line 2: leave table empty"),
        ("1,1,story,<script>x</script>,,", "line 2: Please write the text in plain words"),
        ("1,1,story,,,", "line 2: Please write the text first"),
        ("1,1,story,Hello,birth parent,", "line 2: role 'BIRTH PARENT'"),
        (",,answer,Hello,,", "line 2: an answer needs the question"),
        ("1,1,story,Hello,,Why?", "line 2: only answers have a question"),
        ("1,1,story,Hello", "line 2: expected 6 columns, found 4"),
        ("1,1,story," + "x" * 2001 + ",,", "line 2: The text can be at most 2000 characters"),
    ],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(tmp_path, body, message):
    text = "round,table,kind,text,role,question\n" + body + "\n"
    with pytest.raises(CommandError) as error:
        call_command(
            "import_notes", write(tmp_path, text), "--create-event", "X", "--slug", "x", *OWNER
        )
    assert message in str(error.value)
    assert not Event.objects.filter(slug="x").exists()
    assert not Note.objects.exists()


def test_every_bad_line_is_listed_and_good_lines_are_not_imported(tmp_path):
    event = make_event()
    text = GOOD + "3,1,rant,Bad,,\n3,1,story,Fine,,\n3,1,story,Also bad,TOOLONGCODE,\n"
    with pytest.raises(CommandError) as error:
        call_command("import_notes", write(tmp_path, text), "--event", event.slug)
    assert "line 13: kind 'rant'" in str(error.value)
    assert "line 15: role 'TOOLONGCODE'" in str(error.value)
    assert "line 14" not in str(error.value)
    assert not Note.objects.exists()
    assert not Table.objects.exists()


def test_a_wrong_header_or_encoding_is_refused(tmp_path):
    with pytest.raises(CommandError, match="header must be round,table,kind,text,role,question"):
        call_command(
            "import_notes",
            write(tmp_path, "round,table,kind,text\n1,1,story,Hi\n"),
            "--event",
            make_event().slug,
        )
    path = tmp_path / "latin1.csv"
    path.write_bytes("round,table,kind,text,role,question\n1,1,story,caf\xe9,,\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_notes", path, "--create-event", "Y", "--slug", "y", *OWNER)
    assert not Event.objects.filter(slug="y").exists()


# --- who an imported event belongs to (issue 19) -----------------------------------------


def test_an_imported_event_belongs_to_its_series_and_opens_in_the_facilitators_workspace(
    tmp_path, client, capsys
):
    call_command(
        "import_notes", write(tmp_path, GOOD), "--create-event", "Paper", "--slug", "paper", *OWNER
    )
    event = Event.objects.get(slug="paper")
    assert event.series.slug == "paper-events"
    assert "facilitator 'harvester'" in capsys.readouterr().out
    client.force_login(User.objects.get(username="harvester"))
    assert client.get(f"/events/{event.slug}/harvest/").status_code == 200
    client.force_login(UserFactory(username="someone-else", is_staff=True))
    assert client.get(f"/events/{event.slug}/harvest/").status_code == 403


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--series", "paper-events"), "--create-event needs --facilitator USERNAME"),
        (("--series", "paper-events", "--facilitator", "nobody"), "no active user"),
        (("--series", "no-such", "--facilitator", "harvester"), "no series with the slug"),
        (("--facilitator", "harvester"), "the new event needs a series"),
    ],
)
def test_create_event_without_an_owner_is_refused_and_stores_nothing(tmp_path, flags, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "import_notes", write(tmp_path, GOOD), "--create-event", "P", "--slug", "p", *flags
        )
    assert not Event.objects.filter(slug="p").exists()
    assert not Note.objects.exists()


def test_a_series_row_that_names_another_series_than_the_one_chosen_is_refused(tmp_path):
    text = GOOD + ",,meta,Bridge the Gap,,series\n"
    with pytest.raises(CommandError, match=r"line 13: the file names the series 'Bridge the Gap'"):
        call_command(
            "import_notes", write(tmp_path, text), "--create-event", "P", "--slug", "p", *OWNER
        )
    assert not Event.objects.filter(slug="p").exists()


def test_owner_flags_belong_to_create_event_only(tmp_path):
    event = make_event()
    with pytest.raises(CommandError, match="go with --create-event only"):
        call_command(
            "import_notes",
            write(tmp_path, GOOD),
            "--event",
            event.slug,
            "--facilitator",
            "harvester",
        )
    assert not Note.objects.exists()
