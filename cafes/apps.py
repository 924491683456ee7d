from django.apps import AppConfig


class CafesConfig(AppConfig):
    name = "cafes"

    def ready(self) -> None:
        import logging

        from cafes import layer_health, services
        from events import hooks

        hooks.on_participant_withdrawn(services.take_back_words)
        hooks.on_event_closed(services.end_cafe_on_close)
        # channels-redis logs a traceback a second while Redis is away: one line instead.
        logging.getLogger("channels_redis.pubsub").addFilter(layer_health.QuietReceiveLoop())
