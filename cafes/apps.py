from importlib import import_module

from django.apps import AppConfig


class CafesConfig(AppConfig):
    name = "cafes"

    def ready(self) -> None:
        from cafes import services
        from events import hooks

        hooks.on_participant_withdrawn(services.take_back_words)
        hooks.on_event_closed(services.end_cafe_on_close)
        hooks.on_event_closed(services.letters_on_close)
        # Registers the questionnaire letters' task, which the services queue by name.
        import_module("cafes.tasks")
