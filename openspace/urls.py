"""URL routes of Open Space (Connect) and Create."""

from django.urls import path

from openspace import views

app_name = "openspace"
base = "events/<slug:slug>/openspace/"
urlpatterns = [
    path(base, views.marketplace, name="marketplace"),
    path(base + "board/", views.board, name="board"),
    path(base + "arrange/<str:action>/", views.arrange, name="arrange"),
    path(base + "topics/<int:pk>/", views.topic, name="topic"),
    path(base + "topics/<int:pk>/<str:action>/", views.topic_action, name="topic_action"),
    path(base + "harvest/", views.connect_harvest, name="harvest"),
    path(base + "agenda/", views.agenda, name="agenda"),
    path(base + "agenda/add-theme/", views.add_theme, name="add_theme"),
    path("series/<slug:slug>/journey/", views.journey, name="journey"),
    path("series/<slug:slug>/journey.json", views.journey, {"fmt": "json"}, name="journey_json"),
    path("series/<slug:slug>/journey.md", views.journey, {"fmt": "md"}, name="journey_md"),
]
