from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "oversight.finance"
    label = "finance"

    def ready(self) -> None:
        # `oversight import finance|engagement|commissioning` and `oversight export
        # finance|engagement` are subcommands of the plans app's `import` and `export` groups,
        # added as django-typer plugins (the plans app may not import these apps).
        from django_typer.utils import register_command_plugins

        from .management import plugins

        register_command_plugins(plugins, ["import", "export"])

        # The figures a narrative may cite as {{ finance.… }} (core.citations; plans may not
        # import this app, so it learns the keys here).
        from oversight.core.citations import register

        from . import citations

        register("finance", citations.KEYS, citations.figures)
