"""The landing page and the health endpoint."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ops.services import run_checks


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
async def healthz(request: HttpRequest) -> JsonResponse:
    checks = await run_checks()
    healthy = all(check.ok for check in checks.values())
    body = {
        "status": "ok" if healthy else "down",
        "checks": {name: {"ok": c.ok, "detail": c.detail} for name, c in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
