"""The ops app: health checks, and how live news reaches the channel layer."""

import logging

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from ops import layer_health

        # channels-redis logs a traceback a second while Redis is away: one line instead.
        logging.getLogger("channels_redis.pubsub").addFilter(layer_health.QuietReceiveLoop())
