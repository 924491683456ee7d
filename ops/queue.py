"""Handing work to the Celery worker by task name, once the transaction commits.

Services enqueue through here so that no ``services`` module imports its app's ``tasks``
(the tasks import the services they run); the worker knows every task by its name.
"""

from functools import partial

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task_name: str, *args: object) -> None:
    """Send ``task_name(*args)`` to the worker once the current transaction commits (at once
    outside one), so a worker never looks for a row that was rolled back."""
    transaction.on_commit(partial(current_app.send_task, task_name, args=args))
