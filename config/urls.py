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
    path("admin/", admin.site.urls),
    path("", include("events.urls")),
    path("", include("cafes.urls")),
    path("", include("harvest.urls")),
    path("", include("openspace.urls")),
    path("", include("reports.urls")),
]
