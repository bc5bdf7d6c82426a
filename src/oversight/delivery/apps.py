from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "oversight.delivery"
    verbose_name = "Delivery plan and risks"

    def ready(self) -> None:
        # `oversight import delivery|risks` and `oversight export delivery|risks` are verbs of the
        # plans' import and export groups, added from here (django-typer's command plugins).
        from django_typer.utils import register_command_plugins

        from .management import extensions

        register_command_plugins(extensions, ["import", "export"])
