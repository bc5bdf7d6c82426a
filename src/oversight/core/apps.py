from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "oversight.core"
    label = "core"
    verbose_name = "Shared pieces"

    def ready(self) -> None:
        from .cache import forget_kept

        # Kept results are derived: every migrate (an upgrade, a restore) starts them afresh.
        post_migrate.connect(forget_kept, sender=self, dispatch_uid="oversight.core.forget_kept")
