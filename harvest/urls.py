"""URL routes of the harvest app: the curation workspace (board, list of notes, answers), its
marker review and the series view."""

from django.urls import path

from harvest import views

app_name = "harvest"
urlpatterns = [
    path("events/<slug:slug>/harvest/", views.workspace, name="workspace"),
    path("events/<slug:slug>/harvest/board/", views.board, name="board"),
    path(
        "events/<slug:slug>/harvest/themes/<int:pk>/cards/",
        views.theme_cards,
        name="theme_cards",
    ),
    path("events/<slug:slug>/harvest/act/<str:action>/", views.act, name="act"),
    path("events/<slug:slug>/harvest/notes/", views.notes, name="notes"),
    path("events/<slug:slug>/harvest/notes/<str:action>/", views.notes_act, name="notes_act"),
    path("events/<slug:slug>/harvest/markers/", views.markers, name="markers"),
    path("series/<slug:slug>/harvest/", views.series, name="series"),
]
