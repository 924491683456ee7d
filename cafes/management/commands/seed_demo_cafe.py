"""``manage.py seed_demo_cafe``: add a finished, closed café to the demo series."""

from django.core.management.base import BaseCommand

from cafes.demo import load_demo_cafe


class Command(BaseCommand):
    help = (
        "Add to the demo series (run seed_demo first) an Explore event that has already "
        "taken place, with notes, chat, priorities and answers, and close it so its harvest "
        "report is compiled."
    )

    def handle(self, *args, **options) -> None:
        event = load_demo_cafe()
        self.stdout.write(
            f"Demo café '{event.title}': {event.notes.count()} notes, closed; "
            "its report compiles when a worker runs."
        )
