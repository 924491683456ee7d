"""Staff-free spaces: staff (facilitators, table hosts, the review team) cannot read their
notes live, on any page or in any export, until the group chooses to share them."""

import pytest
from django.urls import reverse

from cafes import selectors as cafe_selectors
from cafes import services as cafe_services
from cafes.csv_io import export_rows
from cafes.errors import CafeError
from cafes.models import LiveUpdate
from harvest.selectors import harvest_for_report
from openspace import selectors, services
from tests.openspace.conftest import cid, propose

pytestmark = pytest.mark.django_db
SECRET = "We do not trust the review with this yet"
OPEN_WORDS = "Housing came up again and again"


@pytest.fixture
def spaces(connect):
    """Two topics, one staff-free, with a note in each; the spaces are open."""
    services.open_space(viewer=connect.facilitator)
    ana, ben, cai, _dee = connect.viewers
    private = propose(ana, "Just us")
    services.set_staff_free(viewer=ana, topic_id=private.pk, staff_free=True)
    public = propose(cai, "Housing")
    services.go_to_topic(viewer=ana, topic_id=private.pk)
    services.go_to_topic(viewer=ben, topic_id=private.pk)
    services.go_to_topic(viewer=cai, topic_id=public.pk)
    cafe_services.post_note(viewer=ben, text=SECRET, kind="story", client_id=cid())
    cafe_services.post_note(viewer=cai, text=OPEN_WORDS, kind="problem", client_id=cid())
    private.table.refresh_from_db()
    return private, public


def staff_viewers(connect):
    return [connect.facilitator, connect.table_host, connect.reviewer]


def everything_staff_can_read(connect, private) -> str:
    """Every way staff read notes, as one text: selectors, live state, replay, exports."""
    texts = [n.text for n in cafe_selectors.notes_for_event(event=connect.event)]
    harvest = harvest_for_report(event=connect.event)
    texts += [n.text for t in harvest.themes for n in t.notes]
    texts += [n.text for t in selectors.connect_harvest(event=connect.event) for n in t.notes]
    texts += [str(row) for row in export_rows(event=connect.event)]
    for viewer in staff_viewers(connect):
        state = cafe_selectors.live_state(viewer=viewer, table_id=private.table_id)
        texts.append(str(state))
        texts += [
            str(u.payload)
            for u in cafe_selectors.updates_after(viewer=viewer, after=0, table_id=None)
        ]
    return "\n".join(texts)


def test_only_the_host_makes_a_topic_staff_free(connect):
    topic = propose(connect.viewers[0], "Ours")
    for viewer in (connect.viewers[1], connect.facilitator, connect.reviewer):
        with pytest.raises(CafeError) as error:
            services.set_staff_free(viewer=viewer, topic_id=topic.pk, staff_free=True)
        assert error.value.code == "forbidden"
    topic.table.refresh_from_db()
    assert not topic.table.staff_free


def test_staff_cannot_read_a_staff_free_space_anywhere(connect, spaces):
    private, _public = spaces
    seen = everything_staff_can_read(connect, private)
    assert SECRET not in seen
    assert OPEN_WORDS in seen
    # The people in the space read their notes as usual.
    ben = connect.viewers[1]
    state = cafe_selectors.live_state(viewer=ben)
    assert [n["text"] for n in state["notes"]] == [SECRET]
    assert LiveUpdate.objects.filter(table=private.table, kind="note").exists()


def test_staff_cannot_write_or_tidy_in_a_staff_free_space(connect, spaces):
    private, _public = spaces
    note = private.table.notes.get()
    with pytest.raises(CafeError):
        cafe_services.post_note(
            viewer=connect.facilitator,
            text="Hi",
            kind="story",
            client_id=cid(),
            table_id=private.table_id,
        )
    with pytest.raises(CafeError):
        cafe_services.hide_note(viewer=connect.facilitator, note_id=note.pk)
    assert private.table.notes.count() == 1


def test_sharing_key_points_alone_keeps_the_notes_private(connect, spaces):
    private, _public = spaces
    services.share_key_points(
        viewer=connect.viewers[1], topic_id=private.pk, text="Trust takes time", share_notes=False
    )
    harvest = {t.title: t for t in selectors.connect_harvest(event=connect.event)}
    assert harvest["Just us"].key_points == "Trust takes time"
    assert not harvest["Just us"].notes_shared
    assert SECRET not in everything_staff_can_read(connect, private)


def test_once_the_group_shares_staff_can_read_its_notes(connect, spaces):
    private, _public = spaces
    services.share_key_points(
        viewer=connect.viewers[0], topic_id=private.pk, text="Trust takes time", share_notes=True
    )
    private.table.refresh_from_db()
    assert not private.table.closed_to_staff
    assert SECRET in everything_staff_can_read(connect, private)
    harvest = {t.title: t for t in selectors.connect_harvest(event=connect.event)}
    assert [v.text for v in harvest["Just us"].notes] == [SECRET]


def test_someone_outside_the_group_cannot_share_for_it(connect, spaces):
    private, _public = spaces
    dee = connect.viewers[3]
    with pytest.raises(CafeError) as error:
        services.share_key_points(
            viewer=dee, topic_id=private.pk, text="Not mine", share_notes=True
        )
    assert error.value.code == "forbidden"
    private.table.refresh_from_db()
    assert private.table.closed_to_staff
    assert private.key_points == ""


def test_a_space_with_notes_cannot_be_made_ordinary_again(connect, spaces):
    private, _public = spaces
    with pytest.raises(CafeError) as error:
        services.set_staff_free(viewer=connect.viewers[0], topic_id=private.pk, staff_free=False)
    assert error.value.code == "staff_free_has_notes"
    private.table.refresh_from_db()
    assert private.table.closed_to_staff


@pytest.mark.parametrize("role", ["facilitator", "table_host", "reviewer"])
def test_staff_pages_do_not_show_a_staff_free_space(client, connect, spaces, role):
    private, _public = spaces
    client.force_login(getattr(connect, role).user)
    pages = [
        reverse("openspace:marketplace", args=[connect.event.slug]),
        reverse("openspace:topic", args=[connect.event.slug, private.pk]),
        reverse("openspace:journey", args=[connect.event.series.slug]),
        reverse("openspace:journey_json", args=[connect.event.series.slug]),
        reverse("openspace:journey_md", args=[connect.event.series.slug]),
        reverse("cafes:table", args=[connect.event.slug]) + f"?table={private.table_id}",
    ]
    if role != "table_host":
        pages.append(reverse("openspace:harvest", args=[connect.event.slug]))
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        assert SECRET not in response.content.decode(), url
    harvest_page = client.get(reverse("openspace:harvest", args=[connect.event.slug]))
    assert harvest_page.status_code == 200
    assert "kept its notes to itself" in harvest_page.content.decode()
    assert OPEN_WORDS in harvest_page.content.decode()
