"""``manage.py seed_demo_series``: fill the demo Connect and Create and queue the series report."""

from django.core.management.base import BaseCommand

from openspace.demo import load_demo_openspace
from reports.models import ReportVersion
from reports.services import request_series_report


class Command(BaseCommand):
    help = (
        "Give the demo series (run seed_demo and seed_demo_cafe first) Open Space topics at "
        "its Connect event and a proposal at its Create event, and queue its series report."
    )

    def handle(self, *args, **options) -> None:
        series = load_demo_openspace()
        if not ReportVersion.objects.filter(series=series).exists():
            request_series_report(series=series, reason="Demo data loaded")
        self.stdout.write(
            f"Demo series '{series.title}': Connect topics and a Create proposal loaded; "
            "its series report compiles when a worker runs."
        )
