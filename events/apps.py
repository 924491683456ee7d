from importlib import import_module

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        # Registers the email tasks, which ``events.services`` queue by name (``ops.queue``).
        import_module("events.tasks")
