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
