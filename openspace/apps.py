from django.apps import AppConfig


class OpenspaceConfig(AppConfig):
    name = "openspace"
    verbose_name = "Open Space and Create"

    def ready(self) -> None:
        from cafes import hooks as cafe_hooks
        from openspace.hooks import open_space_round

        # A Connect or Create café runs as one long Open Space round.
        cafe_hooks.on_own_table_round(open_space_round)
