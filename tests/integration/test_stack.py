"""The whole stack for real: ASGI server and Celery worker as subprocesses, on the
configured database and Redis (PostgreSQL + Redis in CI)."""

import asyncio
import json
import urllib.request
import uuid

import pytest
import websockets

from ops.models import Heartbeat
from ops.tasks import record_heartbeat
from tests.support.servers import asgi_server, celery_worker, wait_until
from tests.support.services import IN_CI, require_postgres_and_redis

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _real_services():
    if IN_CI:
        require_postgres_and_redis()


def test_asgi_server_round_trips_a_websocket_message_and_reports_health(tmp_path):
    with asgi_server(tmp_path) as server:
        with urllib.request.urlopen(f"{server.http_url}/healthz", timeout=10) as response:  # noqa: S310
            health = json.load(response)

        async def echo() -> dict:
            async with websockets.connect(
                f"{server.ws_url}/ws/echo/", origin=server.http_url, open_timeout=10
            ) as ws:
                await ws.send(json.dumps({"hello": "table 3"}))
                return json.loads(await asyncio.wait_for(ws.recv(), 10))

        reply = asyncio.run(echo())

    assert health["status"] == "ok"
    if IN_CI:
        assert health["checks"]["database"]["detail"] == "postgresql"
        assert health["checks"]["channel_layer"]["detail"] == "RedisPubSubChannelLayer"
        assert health["checks"]["broker"]["detail"] == "redis"
    assert reply == {"type": "echo", "content": {"hello": "table 3"}}


def test_websocket_from_another_origin_is_refused(tmp_path):
    with asgi_server(tmp_path) as server:

        async def connect_from_elsewhere() -> None:
            async with websockets.connect(
                f"{server.ws_url}/ws/echo/", origin="https://evil.example", open_timeout=10
            ):
                pass

        with pytest.raises(websockets.InvalidStatus) as refused:
            asyncio.run(connect_from_elsewhere())
    assert refused.value.response.status_code == 403


def test_celery_worker_runs_a_task_that_writes_to_the_database(tmp_path):
    token = uuid.uuid4().hex
    with celery_worker(tmp_path) as worker:
        record_heartbeat.delay(token)
        heartbeat = wait_until(
            lambda: Heartbeat.objects.filter(token=token).first(),
            timeout=60,
            message="the worker never wrote the heartbeat",
        )
        log = worker.output()

    assert heartbeat.hostname
    assert "ops.tasks.record_heartbeat" in log
