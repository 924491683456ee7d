"""The series report on the reports page: who sees it (the staff who see the series'
journey), who compiles a new version (facilitators; a POST with the CSRF token), who
downloads it (recorded), and the page's progress while it compiles."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import StaffRole
from reports.models import Download, ReportStatus, ReportVersion
from reports.tasks import compile_report as compile_task
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.reports.conftest import client_as, finished_json

SERIES_ROLES = {
    "facilitator": StaffRole.FACILITATOR,
    "table_host": StaffRole.TABLE_HOST,
    "review_team": StaffRole.REVIEW_TEAM,
}
ROLES = ["anonymous", "participant", "other_series_staff", "event_reviewer", "event_facilitator"]
ROLES += list(SERIES_ROLES)
# May compile: a facilitator of the series or of one of its events.
COMPILE = {"facilitator", "event_facilitator"}
# May see and download: any staff role on the series or one of its events.
READ = {*SERIES_ROLES, "event_reviewer", "event_facilitator"}


@pytest.fixture(autouse=True)
def enqueued(monkeypatch):
    ids = []
    monkeypatch.setattr(compile_task, "delay", ids.append)
    return ids


@pytest.fixture
def create_event(db):
    return EventFactory(stage="create", title="Create: ideas for change")


@pytest.fixture
def people(create_event):
    """Staff in every role on the series itself; a facilitator and a reviewer of one of its
    events only; a facilitator of another series."""
    series = create_event.series
    out = {}
    for name, role in SERIES_ROLES.items():
        out[name] = UserFactory(username=name)
        MembershipFactory(user=out[name], series=series, event=None, role=role)
    for name, role in (
        ("event_facilitator", StaffRole.FACILITATOR),
        ("event_reviewer", StaffRole.REVIEW_TEAM),
    ):
        out[name] = UserFactory(username=name)
        MembershipFactory(user=out[name], event=create_event, role=role)
    out["other_series_staff"] = UserFactory(username="elsewhere")
    MembershipFactory(user=out["other_series_staff"], role=StaffRole.FACILITATOR)
    return out


@pytest.fixture
def series_file(create_event, media_root):
    """A finished series report version 1 with its JSON file."""
    series = create_event.series
    version = ReportVersion.objects.create(
        series=series, number=1, status=ReportStatus.DONE, progress=100, step="Ready"
    )
    return finished_json(version, f"series-reports/{series.slug}", media_root, b'{"journey": {}}')


def page_url(create_event) -> str:
    return reverse("reports:series", args=[create_event.series.slug])


@pytest.mark.parametrize("role", ROLES)
def test_the_series_report_is_shown_to_staff_of_the_series(role, create_event, people, series_file):
    response = client_as(role, create_event, people).get(page_url(create_event))
    if role in READ:
        page = response.content.decode()
        assert response.status_code == 200
        assert 'id="series-report"' in page
        assert reverse("reports:download", args=[series_file.pk]) in page
        assert ("Compile a new version of the series report" in page) == (role in COMPILE)
        assert ("Who downloaded" in page) == (role in COMPILE)
    elif role == "other_series_staff":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_facilitators_of_the_series_or_its_events_compile_a_new_version(
    role, create_event, people, enqueued, django_capture_on_commit_callbacks
):
    url = reverse("reports:compile_series", args=[create_event.series.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(role, create_event, people).post(url)
    versions = list(ReportVersion.objects.filter(series=create_event.series))
    if role in COMPILE:
        assert response.status_code == 302
        assert response.url.endswith("#series-report")
        assert [(v.number, v.requested_by, v.event) for v in versions] == [(1, people[role], None)]
        assert enqueued == [versions[0].pk]
    else:
        assert response.status_code == (403 if role in people else 302)
        assert versions == []
        assert enqueued == []


@pytest.mark.parametrize("role", ROLES)
def test_series_downloads_are_for_staff_of_the_series_and_its_events_and_are_recorded(
    role, create_event, people, series_file
):
    url = reverse("reports:download", args=[series_file.pk])
    response = client_as(role, create_event, people).get(url)
    if role in READ:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b'{"journey": {}}'
        download = Download.objects.get()
        assert (download.user, download.report_file) == (people[role], series_file)
    else:
        assert response.status_code == (403 if role in people else 302)
        assert not Download.objects.exists()


def test_the_facilitator_sees_who_downloaded_the_series_report(create_event, people, series_file):
    Download.objects.create(report_file=series_file, user=people["review_team"], username="rt")
    page = client_as("facilitator", create_event, people).get(page_url(create_event))
    series_part = page.content.decode().split('id="series-report"')[1].split("</section>")[0]
    assert "Who downloaded these reports (1)" in series_part
    assert "<td>rt</td>" in series_part
    assert "Version 1, JSON data" in series_part


def test_compiling_needs_a_post_with_the_csrf_token(create_event, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["facilitator"])
    url = reverse("reports:compile_series", args=[create_event.series.slug])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert not ReportVersion.objects.exists()


def test_an_unknown_series_is_not_found(create_event, people):
    client = client_as("facilitator", create_event, people)
    for name, method in (("reports:compile_series", client.post), ("reports:series", client.get)):
        assert method(reverse(name, args=["no-such-series"])).status_code == 404
    assert not ReportVersion.objects.exists()


def test_asking_again_while_one_compiles_queues_the_next_version(create_event, people, enqueued):
    """As for an event's report: every request is a new version, none is refused or lost."""
    ReportVersion.objects.create(
        series=create_event.series, number=1, status=ReportStatus.RUNNING, progress=40
    )
    client = client_as("facilitator", create_event, people)
    url = reverse("reports:compile_series", args=[create_event.series.slug])
    assert client.post(url).status_code == 302
    versions = ReportVersion.objects.filter(series=create_event.series).order_by("number")
    assert [(v.number, v.status) for v in versions] == [
        (1, ReportStatus.RUNNING),
        (2, ReportStatus.QUEUED),
    ]


def test_a_compiling_series_version_shows_its_progress_in_the_polled_list(create_event, people):
    ReportVersion.objects.create(
        series=create_event.series,
        number=1,
        status=ReportStatus.RUNNING,
        progress=35,
        step="Writing the Word (DOCX)",
    )
    part = (
        client_as("review_team", create_event, people)
        .get(page_url(create_event), {"part": "versions"})
        .content.decode()
    )
    assert "<html" not in part
    assert "data-in-progress" in part
    assert 'id="series-report"' in part
    assert 'value="35"' in part
    assert "Writing the Word (DOCX)" in part
