"""``manage.py seed_demo``: load the demo series and print the staff logins."""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.demo import load_demo


class Command(BaseCommand):
    help = "Load a small demo series (Connect, Explore, Create) and print the demo staff logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", default="bridgework-demo")

    def handle(self, *args, password: str, **options) -> None:
        series, logins = load_demo(password=password)
        self.stdout.write(f"Demo series '{series.title}' with {series.events.count()} events.")
        for login in logins:
            self.stdout.write(
                f"  {login.role:<12} sign in at {settings.SITE_URL}/login/ "
                f"as {login.username} / {login.password}"
            )
