"""Websocket routes of the harvest app (added to ``config.routing``)."""

from django.urls import path

from harvest.consumers import HarvestConsumer

websocket_urlpatterns = [path("ws/harvest/<slug:slug>/", HarvestConsumer.as_asgi())]
