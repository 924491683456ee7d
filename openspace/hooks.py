"""What Open Space tells lower apps through their hooks (registered in ``apps.py``).

The café (``cafes.hooks``): Open Space runs as one long round, people choosing their
table: its prompt and length. The harvest (``harvest.hooks``): its series view offers to
put a theme on the Create event's agenda.
"""

from django.urls import reverse

from cafes.selectors import viewer_for
from events.models import Event, Series, Stage
from events.selectors import open_space_segments
from harvest.hooks import AgendaOffer
from openspace import selectors, services
from openspace.permissions import can_arrange

OPEN_SPACE_PROMPTS = {
    "connect": "Talk about what matters to you here, and move whenever you like.",
    "create": "What should change, who should act, and what is the first step?",
}
OPEN_SPACE_MINUTES = 90


def open_space_round(event: Event) -> tuple[str, int]:
    """Open Space runs as one long round: its prompt and length come from the agenda's Open
    Space segments (their minutes added up), or sensible defaults."""
    segments = list(open_space_segments(event))
    prompt = next((s.prompt for s in segments if s.prompt), "") or OPEN_SPACE_PROMPTS.get(
        event.stage, OPEN_SPACE_PROMPTS["connect"]
    )
    minutes = min(sum(s.planned_minutes for s in segments), 240) or OPEN_SPACE_MINUTES
    return prompt, minutes


def offer_agenda(*, series: Series, user, offer: AgendaOffer) -> None:
    """What the harvest's series view offers for the Create agenda (``harvest.hooks``):
    the series' first Create event, whether ``user`` may add themes to it (its
    facilitators), where the button posts, and the themes already on it."""
    offer.kept = True
    create = selectors.events_of(series=series, stage=Stage.CREATE).first()
    if create is None:
        return
    viewer = viewer_for(event=create, session=None, user=user)
    offer.create_event = create
    offer.can_add = viewer is not None and can_arrange(viewer)
    offer.add_url = reverse("openspace:add_theme", args=[create.slug])
    offer.client_id = str(services.new_client_id())
    offer.on_agenda = selectors.agenda_theme_keys(event=create)
