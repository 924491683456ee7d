"""``manage.py export_notes --event SLUG [-o FILE.csv]``: the import format, written back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cafes.csv_io import export_csv
from events.selectors import event_by_slug


class Command(BaseCommand):
    help = "Write an event's notes, chat and closing answers as CSV (the import format)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--event", required=True, help="slug of the event")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, event: str, output: Path | None, **options) -> None:
        target = event_by_slug(event)
        if target is None:
            raise CommandError(f"There is no event with the slug {event!r}.")
        text = export_csv(event=target)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}.")
