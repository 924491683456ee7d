"""Report versions, the Celery job that compiles them, renderers and audited downloads."""

from importlib import import_module

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from events.hooks import on_event_closed, on_participant_withdrawn
        from harvest.hooks import on_words_taken_back
        from reports import services

        # Registers the compile task, which ``services`` queue by name (``ops.queue``).
        import_module("reports.tasks")

        on_event_closed(services.compile_on_close)
        on_participant_withdrawn(services.on_participant_withdrawn)
        on_words_taken_back(services.on_words_redacted)
