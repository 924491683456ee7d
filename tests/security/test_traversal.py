"""Path traversal: no URL reaches a file outside what the site means to serve.

Static files are served by WhiteNoise from its own list of files (the suite runs it in its
most permissive mode, looking files up on each request as the development server does);
report files are never served as media, only through the audited download, which takes a
number and reads the file through Django's storage (which refuses a path outside
``MEDIA_ROOT``); an uploaded CSV is read in memory and never written under its own name.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports.models import Download, ReportFile, ReportStatus, ReportVersion
from tests.cafes.conftest import make_event, staff_viewer
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECRET_FILES = ["manage.py", "config/settings/base.py", "pyproject.toml", "etc/passwd"]
SHAPES = [
    "../{}",
    "../../{}",
    "js/../../{}",
    "..%2f..%2f{}",
    "%2e%2e/%2e%2e/{}",
    "%2e%2e%2f%2e%2e%2f{}",
    "..%5c..%5c{}",
    "..\\..\\{}",
    "..%252f..%252f{}",
    "%c0%ae%c0%ae/%c0%ae%c0%ae/{}",
    "....//....//{}",
    "/{}",
    "%2f{}",
    "js/cafes/../../../../{}",
]


def looks_like_our_source(response) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return any(
        marker in body
        for marker in (b"DJANGO_SETTINGS_MODULE", b"SECRET_KEY", b"[project]", b"root:x:0:0")
    )


def test_a_real_static_file_is_served():
    """The control: the static route works, so the 404s below are not a dead route."""
    response = Client().get("/static/js/cafes/table.js")
    assert response.status_code == 200
    assert not looks_like_our_source(response)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("target", SECRET_FILES)
@pytest.mark.parametrize("prefix", ["/static/", "/media/"])
def test_static_and_media_urls_never_reach_outside_their_folder(prefix, shape, target):
    response = Client().get(prefix + shape.format(target))
    assert response.status_code == 404
    assert not looks_like_our_source(response)


def finished_version(event, media_root: Path) -> ReportFile:
    version = ReportVersion.objects.create(
        event=event, number=1, status=ReportStatus.DONE, progress=100, step="Ready"
    )
    path = media_root / "reports" / event.slug / "v1" / "r.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"event": {}}')
    return ReportFile.objects.create(
        version=version,
        format="json",
        file=str(path.relative_to(media_root)),
        size=path.stat().st_size,
        sha256="0" * 64,
    )


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_report_file_is_not_served_as_media_only_through_the_audited_download(media_root):
    event = make_event()
    report_file = finished_version(event, media_root)
    client = Client()
    client.force_login(staff_viewer(event).user)
    assert client.get("/media/" + report_file.file.name).status_code == 404
    assert Client().get("/media/" + report_file.file.name).status_code == 404
    assert not Download.objects.exists()
    response = client.get(reverse("reports:download", args=[report_file.pk]))
    assert response.status_code == 200
    assert Download.objects.count() == 1


@pytest.mark.parametrize("shape", ["..%2f1", "1%2f..%2f2", "%2e%2e", "-1", "1.0", "0x1"])
def test_the_download_takes_a_number_and_nothing_else(media_root, shape):
    event = make_event()
    finished_version(event, media_root)
    client = Client()
    client.force_login(staff_viewer(event).user)
    response = client.get(f"/reports/files/{shape}/")
    assert response.status_code == 404
    assert not Download.objects.exists()


def test_a_stored_file_name_pointing_outside_media_is_refused_not_read(media_root):
    """Even if a file name in the database pointed outside MEDIA_ROOT, storage refuses it."""
    event = make_event()
    report_file = finished_version(event, media_root)
    outside = Path("..") / ".." / ".." / (ROOT / "manage.py").relative_to("/")
    ReportFile.objects.filter(pk=report_file.pk).update(file=str(outside))
    client = Client(raise_request_exception=False)
    client.force_login(staff_viewer(event).user)
    response = client.get(reverse("reports:download", args=[report_file.pk]))
    assert response.status_code in (400, 404)
    assert not looks_like_our_source(response)
    assert not Download.objects.exists()


@pytest.mark.parametrize("key", ["..", "..%2f..%2fmanage.py", "%2e%2e", "../../etc/passwd"])
def test_a_questionnaire_link_is_a_key_not_a_path(key):
    ParticipantFactory()
    response = Client().get("/questions/" + key + "/")
    assert response.status_code == 404
    assert not looks_like_our_source(response)


def test_an_uploads_file_name_is_never_used_as_a_path(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    event = make_event()
    client = Client()
    client.force_login(staff_viewer(event).user)
    target = tmp_path / "planted.csv"
    name = "../" * 12 + str(target).lstrip("/")
    content = b"round,table,kind,text,role,question\n1,1,story,A story,,\n"
    response = client.post(
        reverse("cafes:import_notes", args=[event.slug]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )
    assert response.status_code == 302  # imported
    assert not target.exists()
    assert not (tmp_path / "media").exists()
