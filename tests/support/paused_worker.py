"""The Celery app of a worker that holds a report compile at one format long enough for a
test to kill it there: start it with ``celery -A tests.support.paused_worker worker`` and
``REPORTS_TEST_PAUSE_AT_STEP`` (a format, e.g. "pdf") and ``REPORTS_TEST_PAUSE_SECONDS`` in
its environment.

The pause lives here, not in ``reports``: each worker process wraps that format's renderer
before it takes a task, and the compile has saved its step ("Writing the PDF") by the time
the renderer is called.
"""

import os
import time
from dataclasses import replace

from celery.signals import worker_process_init

from config.celery import app

PAUSE_AT_STEP_ENV = "REPORTS_TEST_PAUSE_AT_STEP"
PAUSE_SECONDS_ENV = "REPORTS_TEST_PAUSE_SECONDS"

__all__ = ["app"]


@worker_process_init.connect
def pause_before_rendering(**kwargs) -> None:
    fmt = os.environ.get(PAUSE_AT_STEP_ENV)
    if not fmt:
        return
    from reports.renderers import RENDERERS  # Django is set up once the worker runs

    seconds = float(os.environ.get(PAUSE_SECONDS_ENV, "60"))
    renderer = RENDERERS[fmt]

    def render_later(doc):
        time.sleep(seconds)
        return renderer.render(doc)

    RENDERERS[fmt] = replace(renderer, render=render_later)
