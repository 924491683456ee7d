"""URL routes of the cafes app."""

from django.urls import path

from cafes import views

app_name = "cafes"
urlpatterns = [
    path("events/<slug:slug>/cafe/", views.table_page, name="table"),
    path("events/<slug:slug>/cafe/console/", views.console_page, name="console"),
    path("events/<slug:slug>/cafe/import/", views.import_page, name="import_notes"),
    path(
        "events/<slug:slug>/questionnaire/reminder/",
        views.questionnaire_reminder,
        name="questionnaire_reminder",
    ),
    path("questions/<str:key>/", views.questionnaire, name="questionnaire"),
]
