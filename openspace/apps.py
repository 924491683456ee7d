from django.apps import AppConfig


class OpenspaceConfig(AppConfig):
    name = "openspace"
    verbose_name = "Open Space and Create"

    def ready(self) -> None:
        from cafes import hooks as cafe_hooks
        from harvest import hooks as harvest_hooks
        from openspace.hooks import offer_agenda, open_space_round

        # A Connect or Create café runs as one long Open Space round.
        cafe_hooks.on_own_table_round(open_space_round)
        # The harvest's series view offers to put its themes on the Create agenda.
        harvest_hooks.on_series_agenda(offer_agenda)
