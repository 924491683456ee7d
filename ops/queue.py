"""Handing work to the Celery worker by task name, once the transaction commits.

Services enqueue through here so that no ``services`` module imports its app's ``tasks``
(the tasks import the services they run): each app registers its tasks when it is ready
(``apps.py``), and a service names the task it wants.
"""

from functools import partial

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task_name: str, *args: object) -> None:
    """Queue ``task_name(*args)`` once the current transaction commits (at once outside one),
    so a worker never looks for a row that was rolled back."""
    transaction.on_commit(partial(_enqueue, task_name, args))


def _enqueue(task_name: str, args: tuple) -> None:
    # The registered task, so its own options (retries, acks) apply; a name no app
    # registered is a KeyError here, not a message no worker will ever take.
    current_app.tasks[task_name].delay(*args)
