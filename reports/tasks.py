"""Celery tasks of the reports app: thin adapters around ``reports.services``."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from reports import services
from reports.models import ReportVersion

# Worth another try: the database or the broker went away for a moment.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class CompileTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """After the last retry (or a bug): mark the version failed with a plain reason."""
        version_id = args[0] if args else kwargs["version_id"]
        services.mark_failed(version_id=version_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=CompileTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def compile_report(self, version_id: int) -> None:
    """Compile one report version; running it again for the same version does nothing new."""
    version = ReportVersion.objects.filter(pk=version_id).first()
    if version is not None:
        services.compile_report(version=version)
