"""The series report on the reports page: who sees it, who compiles a new version (a POST
with the CSRF token), who downloads it (recorded), and the page's progress while it compiles."""

import pytest
from django.test import Client
from django.urls import reverse

from events.identity import SESSION_KEY
from events.models import StaffRole
from reports.models import Download, ReportFile, ReportStatus, ReportVersion
from reports.tasks import compile_report as compile_task
from tests.factories import EventFactory, MembershipFactory, ParticipantFactory, UserFactory

SERIES_ROLES = {
    "facilitator": StaffRole.FACILITATOR,
    "table_host": StaffRole.TABLE_HOST,
    "review_team": StaffRole.REVIEW_TEAM,
}
ROLES = ["anonymous", "participant", "event_facilitator", *SERIES_ROLES]


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
    """Staff in every role on the series itself, and a facilitator of the Create event only."""
    series = create_event.series
    out = {}
    for name, role in SERIES_ROLES.items():
        out[name] = UserFactory(username=name)
        MembershipFactory(user=out[name], series=series, event=None, role=role)
    out["event_facilitator"] = UserFactory(username="create-only")
    MembershipFactory(user=out["event_facilitator"], event=create_event, role=StaffRole.FACILITATOR)
    return out


@pytest.fixture
def series_file(create_event, media_root):
    """A finished series report version 1 with its JSON file."""
    series = create_event.series
    version = ReportVersion.objects.create(
        series=series, number=1, status=ReportStatus.DONE, progress=100, step="Ready"
    )
    path = media_root / "series-reports" / series.slug / "v1" / "attempt-1" / "s.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"journey": {}}')
    return ReportFile.objects.create(
        version=version,
        format="json",
        file=str(path.relative_to(media_root)),
        size=path.stat().st_size,
        sha256="0" * 64,
    )


def client_as(role: str, create_event, people) -> Client:
    client = Client()
    if role == "participant":
        participant = ParticipantFactory(event=create_event, pseudonym="Visitor")
        session = client.session
        session[SESSION_KEY] = {str(create_event.pk): participant.pk}
        session.save()
    elif role != "anonymous":
        client.force_login(people[role])
    return client


def page_url(create_event) -> str:
    return reverse("reports:series", args=[create_event.series.slug])


@pytest.mark.parametrize("role", ROLES)
def test_the_series_report_is_shown_to_staff_of_the_series(role, create_event, people, series_file):
    response = client_as(role, create_event, people).get(page_url(create_event))
    if role in SERIES_ROLES:
        page = response.content.decode()
        assert response.status_code == 200
        assert 'id="series-report"' in page
        assert reverse("reports:download", args=[series_file.pk]) in page
        assert ("Compile a new version of the series report" in page) == (role == "facilitator")
        assert ("Who downloaded" in page) == (role == "facilitator")
    elif role == "event_facilitator":
        page = response.content.decode()
        assert response.status_code == 200
        assert create_event.title in page
        assert 'id="series-report"' not in page
        assert reverse("reports:download", args=[series_file.pk]) not in page
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_series_facilitators_compile_a_new_version(
    role, create_event, people, enqueued, django_capture_on_commit_callbacks
):
    url = reverse("reports:compile_series", args=[create_event.series.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(role, create_event, people).post(url)
    versions = list(ReportVersion.objects.filter(series=create_event.series))
    if role == "facilitator":
        assert response.status_code == 302
        assert response.url.endswith("#series-report")
        assert [(v.number, v.requested_by, v.event) for v in versions] == [
            (1, people["facilitator"], None)
        ]
        assert enqueued == [versions[0].pk]
    else:
        assert response.status_code == (403 if role in people else 302)
        assert versions == []
        assert enqueued == []


@pytest.mark.parametrize("role", ROLES)
def test_series_downloads_are_for_staff_of_the_series_and_are_recorded(
    role, create_event, people, series_file
):
    url = reverse("reports:download", args=[series_file.pk])
    response = client_as(role, create_event, people).get(url)
    if role in SERIES_ROLES:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b'{"journey": {}}'
        download = Download.objects.get()
        assert (download.user, download.report_file) == (people[role], series_file)
    else:
        assert response.status_code == (403 if role == "event_facilitator" else 302)
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
