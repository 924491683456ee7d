"""Celery tasks of the ops app."""

from celery import shared_task

from ops import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def record_heartbeat(token: str) -> None:
    services.record_heartbeat(token=token)
