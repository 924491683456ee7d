"""A row written by a Celery worker, so operators (and tests) can see the worker is alive."""

from django.db import models


class Heartbeat(models.Model):
    token = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hostname} at {self.created_at:%Y-%m-%d %H:%M:%S}"
