"""Websocket URL routes of every app, in one list for the ASGI router."""

from cafes.routing import websocket_urlpatterns as cafes_routes
from harvest.routing import websocket_urlpatterns as harvest_routes
from ops.routing import websocket_urlpatterns as ops_routes

websocket_urlpatterns = [*ops_routes, *cafes_routes, *harvest_routes]
