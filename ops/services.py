"""Health checks: each returns ``(ok, detail)`` and never raises."""

import asyncio
import socket
import uuid
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from celery import current_app
from channels.layers import get_channel_layer
from django.db import connection

from ops.models import Heartbeat


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check(True, connection.vendor)
    except Exception as exc:  # any failure means "down"; the detail says why
        return Check(False, f"{type(exc).__name__}: {exc}")


async def check_channel_layer(timeout: float = 2.0) -> Check:
    layer = get_channel_layer()
    try:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping"})
        message = await asyncio.wait_for(layer.receive(channel), timeout)
        return Check(message.get("type") == "health.ping", type(layer).__name__)
    except Exception as exc:
        return Check(False, f"{type(exc).__name__}: {exc}")


def check_broker(timeout: float = 2.0) -> Check:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            return Check(True, conn.transport_cls)
    except Exception as exc:
        return Check(False, f"{type(exc).__name__}: {exc}")


async def run_checks() -> dict[str, Check]:
    database = await sync_to_async(check_database, thread_sensitive=True)()
    channel_layer = await check_channel_layer()
    broker = await sync_to_async(check_broker, thread_sensitive=False)()
    return {"database": database, "channel_layer": channel_layer, "broker": broker}


def record_heartbeat(*, token: str | None = None) -> Heartbeat:
    """Write one heartbeat row; running it twice with one token keeps one row."""
    heartbeat, _ = Heartbeat.objects.get_or_create(
        token=token or uuid.uuid4().hex, defaults={"hostname": socket.gethostname()}
    )
    return heartbeat
