"""Top-level URL routes; each app owns its own ``urls.py``."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ops import views as ops_views

urlpatterns = [
    path("", ops_views.home, name="home"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("login/", ops_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One sign-in door for everyone, with its limits: the admin's own login form would be a
    # second, unthrottled one (issue 15), so it sends people to /login/.
    path("admin/login/", ops_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("events.urls")),
    path("", include("cafes.urls")),
    path("", include("harvest.urls")),
    path("", include("openspace.urls")),
    path("", include("reports.urls")),
]
