from typing import Annotated

import typer
from django.conf import settings

from oversight.core.commands import Command as OversightCommand


class Command(OversightCommand):
    help = (
        "Run the scheduler: reminders and the other scheduled jobs.\n\n"
        "Runs django-q2's cluster until stopped (Ctrl-C or SIGTERM): it takes each job when its "
        "schedule says, from the database (or Redis, with OVERSIGHT_QUEUE_REDIS_URL). `oversight "
        "serve` starts one beside the site; in production run it as its own process. With --once, "
        "run every job now, once, and stop."
    )

    def handle(
        self,
        once: Annotated[
            bool, typer.Option("--once", help="run every scheduled job now, once, and stop")
        ] = False,
    ):
        from django.utils.module_loading import import_string

        from oversight.cycle.schedules import ensure_schedules

        names = ensure_schedules()
        if once:
            for name, func, _ in settings.OVERSIGHT_JOBS:
                self.stdout.write(f"{name}: {import_string(func)()}")
            return
        from django_q.cluster import Cluster  # the cluster and its processes: only when run

        broker = "Redis" if settings.OVERSIGHT_QUEUE_REDIS_URL else "the database"
        self.stdout.write(f"Scheduler started ({', '.join(names)}; broker: {broker}); Ctrl-C stops")
        Cluster().start()
