"""``manage.py import_notes FILE.csv --event SLUG`` (or ``--create-event TITLE --slug SLUG``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cafes import services
from cafes.errors import CsvImportError
from events.selectors import event_by_slug


class Command(BaseCommand):
    help = (
        "Import notes, priorities, chat, closing answers and the event's facts (meta rows) "
        "from a CSV file, all rows or none (docs/import.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--event", help="slug of the event to import into")
        target.add_argument("--create-event", metavar="TITLE", help="create an Explore event")
        parser.add_argument("--slug", help="slug of the event --create-event makes")

    def handle(self, *args, file: Path, event: str | None, create_event: str | None, slug, **kw):
        if create_event and not slug:
            raise CommandError("--create-event needs --slug too.")
        target = None
        if event:
            target = event_by_slug(event)
            if target is None:
                raise CommandError(f"There is no event with the slug {event!r}.")
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                result = services.import_notes(
                    stream=stream, event=target, create_title=create_event or "", create_slug=slug
                )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text; nothing was imported.") from None
        except CsvImportError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {e}" for e in error.errors)
            ) from None
        self.stdout.write(
            f"Imported {result.notes} notes, {result.chat} chat messages and "
            f"{result.answers} answers into {result.event.title!r} ({result.event.slug})."
        )
        if result.priorities:
            self.stdout.write(f"Imported {result.priorities} priorities with their votes.")
        if result.created:
            self.stdout.write("Created: " + ", ".join(result.created) + ".")
