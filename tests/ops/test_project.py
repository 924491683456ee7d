"""The project's own promises to operators: deploy checks, the compose file, the demo."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.models import Series, Stage
from tests.support.services import require_program

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-real-secret-" + "k3y!x9Qz" * 8,
        "ALLOWED_HOSTS": "bridgework.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="x.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_docker_compose_file_is_valid():
    docker_compose = require_program("docker-compose")
    result = subprocess.run(
        [docker_compose, "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "compose-check"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_seed_demo_loads_a_series_once_and_prints_logins(capsys):
    call_command("seed_demo", "--password", "demo-pass-1")
    call_command("seed_demo", "--password", "demo-pass-1")

    series = Series.objects.get(slug="bridge-the-gap")
    assert sorted(series.events.values_list("stage", flat=True)) == sorted(
        [Stage.CONNECT, Stage.EXPLORE, Stage.CREATE]
    )
    assert Series.objects.count() == 1
    out = capsys.readouterr().out
    assert "facilitator / demo-pass-1" in out
    assert get_user_model().objects.get(username="facilitator").check_password("demo-pass-1")


def test_the_lock_pins_every_dependency_the_project_declares():
    """``make install`` installs requirements.lock with --no-deps: a dependency added to
    pyproject.toml but not pinned in the lock would be missing on a fresh machine."""
    import re
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]

    def name(requirement: str) -> str:
        return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    pinned = {
        name(line)
        for line in (root / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert sorted({name(r) for r in declared} - pinned) == []
