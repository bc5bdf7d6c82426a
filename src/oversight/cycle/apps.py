from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CycleConfig(AppConfig):
    name = "oversight.cycle"
    label = "cycle"
    verbose_name = "Reminders and scheduled jobs"

    def ready(self) -> None:
        from .schedules import ensure_schedules_after_migrate

        post_migrate.connect(ensure_schedules_after_migrate, sender=self)
