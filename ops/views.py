"""The landing page and the health endpoint."""

from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from ops.services import run_checks
from ops.throttle import Throttled, check_allowed, client_address, record_attempt


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


class LoginView(auth_views.LoginView):
    """Django's sign-in, with failed attempts limited per address and username."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        username = request.POST.get("username", "")[:150]
        try:
            check_allowed(scope="login", address=client_address(request), key=username)
        except Throttled as throttled:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, throttled.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")[:150]
        record_attempt(scope="login", address=client_address(self.request), key=username)
        return super().form_invalid(form)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in is the site's (rate-limited) one: GET or POST, go to /login/."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
