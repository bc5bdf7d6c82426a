from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "oversight.engagement"
    label = "engagement"

    def ready(self) -> None:
        # `oversight import engagement` and `oversight export engagement`: subcommands added to
        # the plans app's groups as django-typer plugins (plans may not import this app).
        from django_typer.utils import register_command_plugins

        from .management import plugins

        register_command_plugins(plugins, ["import", "export"])

        # The figures a narrative may cite as {{ engagement.… }} (core.citations; plans may not
        # import this app, so it learns the keys here).
        from oversight.core.citations import register

        from . import citations

        register("engagement", citations.KEYS, citations.figures)
