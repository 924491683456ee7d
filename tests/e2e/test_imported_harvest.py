"""An Explore event run on paper, imported from a CSV file (docs/import.md), as its
harvester and its review team see it in Chromium: the curation workspace with the draft
themes, and the compiled HTML report."""

import csv
import io
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command

from cafes.models import ChatMessage, Note
from events.models import Event
from harvest.models import ThemeNote
from harvest.services import build_themes
from reports import services as reports
from reports.models import ReportStatus
from reports.tasks import compile_report as compile_task
from tests.factories import UserFactory
from tests.support.browser import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "harvest" / "fixtures"
DESKTOP = {"width": 1280, "height": 900}
SLUG = "explore-imported-bp"
PROMPTS = {
    1: "What has helped or hindered your experience of children's social care?",
    2: "What are the problems, strengths and possibilities?",
    3: "Choose up to three high-priority solutions",
}
ROLES = {"BP": "Birth parent", "BF": "Wider birth family", "KC": "Kinship carer"}
ATTENDANCE = {"BP": 14, "BF": 5, "KC": 4}
IMPORT_COLUMNS = ["round", "table", "kind", "text", "role", "question"]


def fixture_rows(name: str) -> list[dict]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def import_file(folder: Path) -> Path:
    """The consultation fixture (its own columns) written in the import format."""
    rows = [
        ["", "", "meta", "2024-03-14", "", "date"],
        ["", "", "meta", "Bridge the Gap", "", "series"],
        ["", "", "meta", "Birth parents and families", "", "group"],
        *([str(n), "", "meta", prompt, "", "prompt"] for n, prompt in PROMPTS.items()),
        *(["", "", "meta", label, code, "role"] for code, label in ROLES.items()),
        *(["", "", "meta", str(count), code, "attendance"] for code, count in ATTENDANCE.items()),
    ]
    for row in fixture_rows("consultation_notes.csv"):
        table = "" if row["kind"] == "comment" else row["table"]
        rows.append([row["round"], table, row["kind"], row["text"], row["role_code"], ""])
    for row in fixture_rows("consultation_answers.csv"):
        rows.append(["", "", "answer", row["text"], row["role_code"], row["question"]])
    path = folder / "consultation-import.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(IMPORT_COLUMNS)
        writer.writerows(rows)
    return path


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-12345678")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def shown_once(note: Note, cards: list[dict]) -> bool:
    """Whether exactly one card shows the note's words: verbatim, or, where the harvest
    marked personal data, with every unmarked piece of the card in the note, in order."""

    def shows(card: dict) -> bool:
        if not card["marked"]:
            return card["text"] == note.text
        pattern = ".*".join(re.escape(piece) for piece in card["pieces"])
        return re.fullmatch(f".*{pattern}.*", note.text, flags=re.DOTALL) is not None

    return sum(shows(card) for card in cards) == 1


def test_an_imported_event_is_curated_and_reported(
    live_server_url, new_context, tmp_path, monkeypatch
):
    # 1. Import the paper event for its facilitator (who can then open its workspace).
    facilitator = UserFactory(
        username="harvester", first_name="Will", last_name="Davies", is_staff=True
    )
    output = io.StringIO()
    call_command(
        "import_notes",
        str(import_file(tmp_path)),
        create_event="Explore: birth parents and families",
        slug=SLUG,
        facilitator="harvester",
        stdout=output,
    )
    assert f"({SLUG})" in output.getvalue()
    event = Event.objects.get(slug=SLUG)
    round_one = list(Note.objects.filter(event=event, round__number=1).order_by("id"))
    assert len(round_one) == sum(
        1 for r in fixture_rows("consultation_notes.csv") if r["round"] == "1" and r["table"]
    )
    staff_messages = list(ChatMessage.objects.filter(event=event, role_code="STAFF"))
    assert len(staff_messages) == 2

    # 2. Draft themes, and version 1 of the report compiled as a worker would.
    build_themes(event=event, user=facilitator)
    monkeypatch.setattr(compile_task, "delay", lambda version_id: None)
    version = reports.request_report(event=event, by=facilitator, reason="Imported")
    version = reports.compile_report(version=version)
    assert version.status == ReportStatus.DONE, version.error
    try:
        page = new_context(viewport=DESKTOP, accept_downloads=True).new_page()
        sign_in(page, live_server_url, "harvester")

        # 3. The workspace.
        page.goto(f"{live_server_url}/events/{SLUG}/harvest/")
        page.locator("#harvest-board .theme").first.wait_for()
        themes = page.locator("#harvest-board article.theme").evaluate_all(
            """els => els.map(el => ({
                row: el.dataset.row,
                title: el.querySelector('.theme-title').value,
            }))"""
        )
        titles_by_round = defaultdict(list)
        for theme in themes:
            words = theme["title"].split()
            assert 3 <= len(words) <= 8, f"{theme['row']}: {theme['title']!r}"
            titles_by_round[theme["row"].rsplit("-", 1)[1]].append(theme["title"].casefold())
        for number, titles in titles_by_round.items():
            repeated = sorted({t for t in titles if titles.count(t) > 1})
            assert not repeated, f"round {number} repeats {repeated}"

        cards = page.locator('.note-card[data-row="notes-1"]').evaluate_all(
            """els => els.map(el => {
                const text = el.querySelector('.note-text');
                const pieces = [];
                for (const node of text.childNodes) {
                    if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
                        pieces.push(node.textContent);
                    }
                }
                return {
                    member: el.dataset.member,
                    text: text.textContent,
                    marked: text.querySelectorAll('mark').length > 0,
                    pieces: pieces,
                };
            })"""
        )
        assert len(cards) == len(round_one)
        members = dict(ThemeNote.objects.filter(note__in=round_one).values_list("note_id", "id"))
        on_page = [card["member"] for card in cards]
        for note in round_one:
            assert on_page.count(str(members[note.id])) == 1, note.text
            assert shown_once(note, cards), note.text
        screenshot(page, "harvest-workspace-imported")

        # 4. The compiled report, downloaded from the reports page as the review team would.
        page.goto(f"{live_server_url}/series/{event.series.slug}/reports/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Web page (HTML) of version 1").click()
        report = tmp_path / "report.html"
        download.value.save_as(report)
        page.goto(report.as_uri())

        total = sum(ATTENDANCE.values())
        assert f"{total} people" in page.locator(".cover__facts").inner_text()
        page.locator("#summary").get_by_text("Key themes", exact=True).wait_for()
        anchors = page.evaluate(
            'ids => ids.map(id => document.querySelectorAll(`[id="note-${id}"]`).length)',
            [note.id for note in round_one],
        )
        assert anchors == [1] * len(round_one)
        for message in staff_messages:
            quote = page.locator(f'[id="comment-{message.id}"]')
            assert quote.count() == 1
            assert quote.locator(".quote__role").inner_text() == "(facilitator)"
        assert "STAFF" not in page.locator("body").inner_text()

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#summary").screenshot(path=str(SCREENSHOTS / "harvest-report-summary.png"))
        page.locator("#round-1").screenshot(path=str(SCREENSHOTS / "harvest-report-round1.png"))
    finally:
        shutil.rmtree(reports.version_folder(version).parent, ignore_errors=True)
