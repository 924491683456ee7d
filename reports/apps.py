"""Report versions, the Celery job that compiles them, renderers and audited downloads."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from events.hooks import on_event_closed
        from reports.services import compile_on_close

        on_event_closed(compile_on_close)
