"""What Open Space tells the café through ``cafes.hooks`` (registered in ``apps.py``).

Open Space runs as one long round, people choosing their table: its prompt and length.
"""

from events.models import Event
from events.selectors import open_space_segments

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
