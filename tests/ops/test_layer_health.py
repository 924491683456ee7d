"""What the operator reads when the channel layer (Redis) goes away and comes back: one
warning, then one line once every socket open during the outage has caught up."""

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from ops import layer_health


class Socket:
    """Stands for a consumer (only its identity matters)."""


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    monkeypatch.setattr(layer_health, "_down_since", None)
    monkeypatch.setattr(layer_health, "_failures", 0)
    monkeypatch.setattr(layer_health, "_resynced", 0)
    monkeypatch.setattr(layer_health, "_report", None)
    monkeypatch.setattr(layer_health, "_sockets", layer_health.weakref.WeakKeyDictionary())


def lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ops.layer_health"]


def test_an_outage_is_one_warning_and_one_line_when_every_socket_has_caught_up(caplog):
    caplog.set_level(logging.WARNING, logger="ops.layer_health")
    first, second = Socket(), Socket()
    for socket in (first, second):
        layer_health.opened(socket)
    for _ in range(300):  # every note, heartbeat and receive loop during the outage
        layer_health.lost(RedisConnectionError("Connection refused"))
    assert len(lines(caplog)) == 1
    assert "unreachable" in lines(caplog)[0]
    assert layer_health.needs_resync(first)

    layer_health.reached()
    layer_health.resynced(first)
    assert len(lines(caplog)) == 1  # the second socket has not caught up yet
    layer_health.resynced(second)
    back = lines(caplog)[1:]
    assert len(back) == 1
    assert "300 operations failed" in back[0]
    assert "2 sockets caught up from the database." in back[0]
    assert not layer_health.needs_resync(first)


def test_a_socket_that_closes_during_the_outage_is_not_waited_for(caplog):
    caplog.set_level(logging.WARNING, logger="ops.layer_health")
    staying, leaving = Socket(), Socket()
    layer_health.opened(staying)
    layer_health.opened(leaving)
    layer_health.lost(OSError("Connection reset by peer"))
    layer_health.closed(leaving)
    layer_health.reached()
    layer_health.resynced(staying)
    assert "1 socket caught up" in lines(caplog)[-1]


def test_catching_up_while_still_down_does_not_count(caplog):
    socket = Socket()
    layer_health.opened(socket)
    layer_health.lost(OSError("down"))
    layer_health.resynced(socket)  # a heartbeat's database read during the outage
    assert layer_health.needs_resync(socket)


def test_a_bug_is_not_an_outage():
    assert not layer_health.is_outage(ValueError("a real bug"))
    assert layer_health.is_outage(RedisConnectionError("gone"))
