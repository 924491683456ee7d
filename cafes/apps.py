from django.apps import AppConfig


class CafesConfig(AppConfig):
    name = "cafes"

    def ready(self) -> None:
        from cafes import services
        from events import hooks

        hooks.on_participant_withdrawn(services.take_back_words)
        hooks.on_event_closed(services.end_cafe_on_close)
