"""The one way news is sent (``ops/news.py``): to groups named in one place, only once the
write commits, and a channel layer that is away never fails the write."""

import asyncio
import logging

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from django.db import transaction

from ops import layer_health
from ops.news import group_name, send_event, send_event_on_commit


def test_every_group_is_named_in_one_place():
    assert group_name("event", 7) == "cafe.event.7"
    assert group_name("table", "8") == "cafe.table.8"
    assert group_name("staff", 9) == "cafe.staff.9"
    assert group_name("harvest", 10) == "harvest-10"
    with pytest.raises(ValueError, match="unknown group scope"):
        group_name("everyone", 1)


def _write(*, news_id: int, roll_back: bool) -> None:
    with transaction.atomic():
        send_event_on_commit(group_name("event", 1), {"type": "live.news", "id": news_id})
        if roll_back:
            raise RuntimeError("the write failed")


@pytest.mark.django_db(transaction=True)
async def test_news_goes_out_once_its_write_commits_and_never_for_a_rolled_back_one():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group_name("event", 1), channel)

    with pytest.raises(RuntimeError):
        await database_sync_to_async(_write)(news_id=1, roll_back=True)
    await database_sync_to_async(_write)(news_id=2, roll_back=False)

    assert await asyncio.wait_for(layer.receive(channel), 2) == {"type": "live.news", "id": 2}
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.3)


async def test_a_layer_that_is_away_is_logged_once_not_raised(settings, monkeypatch, caplog):
    for name, value in (("_down_since", None), ("_report", None), ("_failures", 0)):
        monkeypatch.setattr(layer_health, name, value)
    monkeypatch.setattr(layer_health, "_epoch", layer_health._epoch)  # restored after
    caplog.set_level(logging.WARNING, logger="ops.layer_health")
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    try:
        for news_id in (1, 2):
            sent = await send_event(group_name("event", 1), {"type": "live.news", "id": news_id})
            assert sent is False
    finally:
        channel_layers.backends = {}
    warnings = [r.getMessage() for r in caplog.records if r.name == "ops.layer_health"]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0]
