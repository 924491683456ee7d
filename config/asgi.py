"""The ASGI application: Django for HTTP, Channels consumers for websockets."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from ops.origins import SiteOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything loaded so far (Django, the apps and their modules) lives as long as the process.
# Frozen, the garbage collector's full passes skip it: at N=1,000 sockets they walked about
# 200,000 objects and paused a worker for 150-260 ms, the slowest deliveries of a run; with
# the start-up objects frozen, about 60,000-140,000 objects and 60-150 ms (docs/benchmarks.md).
gc.collect()  # nothing left over from start-up is frozen for good
gc.freeze()
