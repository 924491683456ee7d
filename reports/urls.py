"""URL routes of the reports app: the series' reports page, compiling (an event's report or
the series report), downloading."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("series/<slug:slug>/reports/", views.series_reports, name="series"),
    path("series/<slug:slug>/reports/compile/", views.compile_series, name="compile_series"),
    path("events/<slug:slug>/reports/compile/", views.compile_event, name="compile"),
    path("events/<slug:slug>/reports/panel/", views.event_panel, name="event_panel"),
    path("reports/files/<int:pk>/", views.download, name="download"),
]
