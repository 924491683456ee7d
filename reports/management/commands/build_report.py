"""``manage.py build_report SLUG --format pdf -o report.pdf``: compile one format now."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from reports.errors import ReportsError
from reports.renderers import RENDERERS
from reports.services import build_report


class Command(BaseCommand):
    help = (
        "Compile an event's harvest report in one format, synchronously, by the same code the "
        "Celery job uses (no report version is stored)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The event's slug, as in its address.")
        parser.add_argument("--format", "-f", dest="fmt", required=True, help=" | ".join(RENDERERS))
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, slug: str, fmt: str, output: str, **options) -> None:
        if fmt not in RENDERERS:
            raise CommandError(f"Unknown format {fmt!r}; choose one of: {', '.join(RENDERERS)}.")
        event = Event.objects.select_related("series").filter(slug=slug).first()
        if event is None:
            raise CommandError(f"No event has the slug {slug!r}.")
        try:
            content = build_report(event=event, fmt=fmt)
        except ReportsError as error:
            raise CommandError(str(error)) from error
        Path(output).write_bytes(content)
        self.stdout.write(
            f"Wrote the {fmt} report of {event.title} to {output} ({len(content):,} bytes)."
        )
