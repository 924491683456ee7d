"""The reports page, the compile button and the audited download, for every role."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import StaffRole
from reports.models import Download, ReportStatus, ReportVersion
from reports.tasks import compile_report as compile_task
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.reports.conftest import client_as, finished_json

ALLOWED = {"table_host", "facilitator", "review_team"}
ROLES = ["anonymous", "participant", "other_event_staff", *sorted(ALLOWED)]


@pytest.fixture(autouse=True)
def enqueued(monkeypatch):
    ids = []
    monkeypatch.setattr(compile_task, "delay", ids.append)
    return ids


@pytest.fixture
def ready_file(report_event, media_root):
    """A finished version 1 with its JSON file (the page and the download need no more)."""
    version = ReportVersion.objects.create(
        event=report_event, number=1, status=ReportStatus.DONE, progress=100, step="Ready"
    )
    return finished_json(version, f"reports/{report_event.slug}", media_root, b'{"event": {}}')


@pytest.mark.parametrize("role", ROLES)
def test_the_series_page_is_for_the_events_staff_and_review_team(
    role, report_event, people, ready_file
):
    url = reverse("reports:series", args=[report_event.series.slug])
    response = client_as(role, report_event, people).get(url)
    if role in ALLOWED:
        assert response.status_code == 200
        assert report_event.title in response.content.decode()
        assert reverse("reports:download", args=[ready_file.pk]) in response.content.decode()
    elif role == "other_event_staff":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_downloads_are_for_the_events_staff_and_review_team_and_are_recorded(
    role, report_event, people, ready_file
):
    url = reverse("reports:download", args=[ready_file.pk])
    response = client_as(role, report_event, people).get(url)
    if role in ALLOWED:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b'{"event": {}}'
        assert response["Content-Type"] == "application/json"
        assert "attachment" in response["Content-Disposition"]
        download = Download.objects.get()
        assert (download.user, download.report_file) == (people[role], ready_file)
        assert download.username == people[role].username
    else:
        assert response.status_code == (403 if role == "other_event_staff" else 302)
        assert not Download.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_facilitators_compile_a_new_version(role, report_event, people, enqueued):
    url = reverse("reports:compile", args=[report_event.slug])
    response = client_as(role, report_event, people).post(url)
    versions = list(ReportVersion.objects.filter(event=report_event))
    if role == "facilitator":
        assert response.status_code == 302
        assert response.url.endswith(f"#event-{report_event.slug}")
        assert [v.number for v in versions] == [1]
        assert versions[0].requested_by == people["facilitator"]
    else:
        assert response.status_code in {302, 403}
        assert versions == []


def test_compiling_needs_a_post_with_the_csrf_token(report_event, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["facilitator"])
    url = reverse("reports:compile", args=[report_event.slug])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert not ReportVersion.objects.exists()


def test_facilitators_see_who_downloaded_and_the_review_team_does_not(
    report_event, people, ready_file
):
    Download.objects.create(report_file=ready_file, user=people["review_team"], username="reviewer")
    url = reverse("reports:series", args=[report_event.series.slug])
    facilitator, reviewer = Client(), Client()
    facilitator.force_login(people["facilitator"])
    reviewer.force_login(people["review_team"])
    seen_by_facilitator = facilitator.get(url).content.decode()
    seen_by_reviewer = reviewer.get(url).content.decode()
    assert "Who downloaded these reports (1)" in seen_by_facilitator
    assert "<td>reviewer</td>" in seen_by_facilitator
    assert "Compile a new version" in seen_by_facilitator
    assert "Who downloaded" not in seen_by_reviewer
    assert "Compile a new version" not in seen_by_reviewer


def test_staff_of_one_event_see_only_that_events_reports(report_event, people, ready_file):
    sibling = EventFactory(series=report_event.series, title="Explore: young people")
    staff = UserFactory(username="sibling-host")
    MembershipFactory(user=staff, event=sibling, role=StaffRole.TABLE_HOST)
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("reports:series", args=[report_event.series.slug]))
    assert page.status_code == 200
    assert "Explore: young people" in page.content.decode()
    assert report_event.title not in page.content.decode()
    assert client.get(reverse("reports:download", args=[ready_file.pk])).status_code == 403


def test_a_running_version_shows_its_progress_and_the_list_can_be_polled(report_event, people):
    ReportVersion.objects.create(
        event=report_event,
        number=1,
        status=ReportStatus.RUNNING,
        progress=45,
        step="Writing the PDF",
    )
    client = Client()
    client.force_login(people["review_team"])
    url = reverse("reports:series", args=[report_event.series.slug])
    page = client.get(url).content.decode()
    part = client.get(url, {"part": "versions"}).content.decode()
    assert 'data-poll-url="' in page
    assert "<html" not in part
    assert 'value="45"' in part
    assert "data-in-progress" in part
    assert "Writing the PDF" in part


def test_an_unfinished_or_unknown_file_is_not_found(report_event, people, ready_file):
    ReportVersion.objects.filter(pk=ready_file.version_id).update(status=ReportStatus.RUNNING)
    client = Client()
    client.force_login(people["facilitator"])
    assert client.get(reverse("reports:download", args=[ready_file.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[999999])).status_code == 404


# --- the harvest workspace's report panel (issue 17) ------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_workspace_report_panel_is_for_the_events_staff(role, report_event, people, ready_file):
    url = reverse("reports:event_panel", args=[report_event.slug])
    response = client_as(role, report_event, people).get(url)
    if role in ALLOWED:
        assert response.status_code == 200
        page = response.content.decode()
        assert "Version 1" in page
        assert reverse("reports:download", args=[ready_file.pk]) in page
        assert ("Compile a new version" in page) == (role == "facilitator")
    elif role == "other_event_staff":
        assert response.status_code == 403
    else:
        assert response.status_code == 302


def test_the_facilitator_compiles_a_new_version_from_the_workspace_and_stays_there(
    report_event, people, ready_file, enqueued, django_capture_on_commit_callbacks
):
    client = client_as("facilitator", report_event, people)
    workspace = reverse("harvest:workspace", args=[report_event.slug])
    page = client.get(workspace).content.decode()
    assert "Compile a new version" in page
    assert "Version 1" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:compile", args=[report_event.slug]), {"next": workspace}
        )
    assert response.status_code == 302
    assert response.url == workspace
    version = ReportVersion.objects.get(event=report_event, number=2)
    assert enqueued == [version.pk]

    page = client.get(workspace).content.decode()
    assert "Version 2 of" in page  # the message
    assert "Waiting for a worker" in page  # the new version's progress
    assert "data-in-progress" in page  # so the panel polls until it is ready


@pytest.mark.parametrize("hostile", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_compiling_never_sends_the_facilitator_off_site(report_event, people, hostile):
    client = client_as("facilitator", report_event, people)
    response = client.post(reverse("reports:compile", args=[report_event.slug]), {"next": hostile})
    assert response.status_code == 302
    assert response.url == (
        reverse("reports:series", args=[report_event.series.slug]) + f"#event-{report_event.slug}"
    )


def test_version_times_are_shown_on_the_events_own_clock(report_event, people, ready_file):
    """One time format everywhere (issue 17): 24-hour, in the event's time zone."""
    from datetime import UTC, datetime

    report_event.timezone = "Pacific/Auckland"
    report_event.save(update_fields=["timezone"])
    ReportVersion.objects.filter(pk=ready_file.version_id).update(
        requested_at=datetime(2026, 11, 30, 9, 5, tzinfo=UTC)  # 22:05 in Auckland
    )
    url = reverse("reports:series", args=[report_event.series.slug])
    page = client_as("facilitator", report_event, people).get(url).content.decode()
    assert "Asked for 30 Nov 2026, 22:05" in page
