from django.apps import AppConfig


class OpenspaceConfig(AppConfig):
    name = "openspace"
    verbose_name = "Open Space and Create"
