from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "oversight.commissioning"
    label = "commissioning"

    def ready(self) -> None:
        # `oversight import commissioning` and `oversight export commissioning`: subcommands
        # added to the plans app's groups as django-typer plugins.
        from django_typer.utils import register_command_plugins

        from .management import plugins

        register_command_plugins(plugins, ["import", "export"])

        # The figures a narrative may cite as {{ commissioning.… }} (core.citations; plans may not
        # import this app, so it learns the keys here).
        from oversight.core.citations import register

        from . import citations

        register("commissioning", citations.KEYS, citations.figures)
