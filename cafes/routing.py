"""Websocket routes of the cafes app."""

from django.urls import path

from cafes.consumers import LiveCafeConsumer

websocket_urlpatterns = [path("ws/events/<slug:slug>/live/", LiveCafeConsumer.as_asgi())]
