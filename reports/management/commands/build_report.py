"""``manage.py build_report SLUG --format pdf -o report.pdf``: compile one format now, of an
event's harvest report or (with ``--series``) of a series report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import Event, Series
from reports.errors import ReportsError
from reports.renderers import RENDERERS
from reports.services import build_report, build_series_report


class Command(BaseCommand):
    help = (
        "Compile an event's harvest report, or with --series a series report, in one format, "
        "synchronously, by the same code the Celery job uses (no report version is stored)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The event's slug (or the series' with --series).")
        parser.add_argument("--format", "-f", dest="fmt", required=True, help=" | ".join(RENDERERS))
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument(
            "--series",
            action="store_true",
            help="SLUG names a series: build its series report (Connect to Create).",
        )

    def handle(self, *args, slug: str, fmt: str, output: str, series: bool, **options) -> None:
        if fmt not in RENDERERS:
            raise CommandError(f"Unknown format {fmt!r}; choose one of: {', '.join(RENDERERS)}.")
        try:
            if series:
                subject = Series.objects.filter(slug=slug).first()
                if subject is None:
                    raise CommandError(f"No series has the slug {slug!r}.")
                content = build_series_report(series=subject, fmt=fmt)
                what = f"series report of {subject.title}"
            else:
                subject = Event.objects.select_related("series").filter(slug=slug).first()
                if subject is None:
                    raise CommandError(f"No event has the slug {slug!r}.")
                content = build_report(event=subject, fmt=fmt)
                what = f"report of {subject.title}"
        except ReportsError as error:
            raise CommandError(str(error)) from error
        Path(output).write_bytes(content)
        self.stdout.write(f"Wrote the {fmt} {what} to {output} ({len(content):,} bytes).")
