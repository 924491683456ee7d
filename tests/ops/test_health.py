"""The health endpoint reports each service, and says 503 when one is down."""

import pytest
from channels.layers import channel_layers


@pytest.mark.django_db
def test_healthz_reports_every_service_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "channel_layer", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_healthz_is_503_when_the_channel_layer_is_down(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends = {}

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["channel_layer"]["ok"] is False
    assert "Error" in body["checks"]["channel_layer"]["detail"]
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from ops import services

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(services.connection, "cursor", refuse)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "detail": "OSError: connection refused",
    }


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_script(client):
    response = client.get("/login/")

    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert b'<label for="id_username">' in response.content
