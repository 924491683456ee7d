"""``manage.py import_notes FILE.csv --event SLUG``, or ``--create-event TITLE --slug SLUG
--facilitator USERNAME [--series SLUG]``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cafes import services
from cafes.errors import CsvImportError
from events.selectors import event_by_slug, series_by_slug


class Command(BaseCommand):
    help = (
        "Import notes, priorities, chat, closing answers and the event's facts (meta rows) "
        "from a CSV file, all rows or none (docs/import.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--event", help="slug of the event to import into")
        target.add_argument(
            "--create-event",
            metavar="TITLE",
            help="create an Explore event (needs --slug and --facilitator; --series too unless "
            "the file has a series row)",
        )
        parser.add_argument("--slug", help="slug of the event --create-event makes")
        parser.add_argument(
            "--facilitator",
            metavar="USERNAME",
            help="with --create-event: the staff member who facilitates the new event (they "
            "can open its harvest workspace and reports)",
        )
        parser.add_argument(
            "--series",
            metavar="SLUG",
            help="with --create-event: the series the new event belongs to (the file's series "
            "row, if it has one, must name the same series)",
        )

    def handle(
        self,
        *args,
        file: Path,
        event: str | None,
        create_event: str | None,
        slug: str | None,
        facilitator: str | None,
        series: str | None,
        **options,
    ):
        target = owner = home = None
        if event:
            if facilitator or series:
                raise CommandError("--facilitator and --series go with --create-event only.")
            target = event_by_slug(event)
            if target is None:
                raise CommandError(f"There is no event with the slug {event!r}.")
        else:
            owner, home = self._new_event_owner(slug, facilitator, series)
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                result = services.import_notes(
                    stream=stream,
                    event=target,
                    create_title=create_event or "",
                    create_slug=slug,
                    create_in=home,
                    facilitator=owner,
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

    def _new_event_owner(self, slug, facilitator, series):
        """Who will facilitate the event --create-event makes, and the series it joins (or
        ``None``: the file's series row decides): an imported event nobody can open is no use."""
        if not slug:
            raise CommandError("--create-event needs --slug too.")
        if not facilitator:
            raise CommandError(
                "--create-event needs --facilitator USERNAME: the staff member who will open "
                "the new event's harvest workspace and reports."
            )
        owner = get_user_model().objects.filter(username=facilitator, is_active=True).first()
        if owner is None:
            raise CommandError(f"There is no active user with the username {facilitator!r}.")
        if series is None:
            return owner, None
        home = series_by_slug(series)
        if home is None:
            raise CommandError(f"There is no series with the slug {series!r}.")
        return owner, home
