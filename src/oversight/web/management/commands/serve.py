import errno
import signal
import socket
import subprocess
import sys
from typing import Annotated

import typer
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.core.commands import Command as OversightCommand
from oversight.plans.models import Plan


def load_demo(out_dir: str, stdout) -> None:
    """The full demo (plan, figures, narrative, registers, meetings and their documents)."""
    call_command("demo", out=out_dir, stdout=stdout)


def refuse_a_busy_port(host: str, port: int) -> None:
    """Say how to choose another port when this one is taken, before the server tries it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
            raise CommandError(
                f"port {port} on {host} is in use (another server is running there). Choose "
                f"another with --port, e.g. `oversight serve --port {port + 1}`, or "
                f"`make demo PORT={port + 1}`."
            ) from None


def start_worker(stdout) -> subprocess.Popen:
    """`oversight worker` in its own process, with this one's settings and environment."""
    stdout.write("The scheduler runs beside it (`oversight serve --no-worker` leaves it out).")
    return subprocess.Popen([sys.executable, "-m", "oversight.cli", "worker"])  # noqa: S603


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # the cluster stops its workers on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


class Command(OversightCommand):
    help = (
        "Start the web application at http://127.0.0.1:8000.\n\n"
        "The embedded server; production runs "
        "gunicorn oversight.wsgi and `oversight worker` as two processes. The scheduler (`oversight "
        "worker`) runs beside the site unless --no-worker. With --demo, load the demo plan first "
        "when the database has none."
    )
    requires_system_checks = "__all__"  # the site starts only if Django's checks pass

    def handle(
        self,
        demo: Annotated[
            bool, typer.Option("--demo", help="load the demo when there is no plan")
        ] = False,
        host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
        check: Annotated[
            bool, typer.Option("--check", help="prepare (migrate, demo) but do not serve")
        ] = False,
        worker: Annotated[
            bool,
            typer.Option(
                "--worker/--no-worker",
                help="run the scheduler (reminders and other jobs) beside the site",
            ),
        ] = True,
    ):
        call_command("migrate", verbosity=0, interactive=False)
        if demo and not Plan.objects.exists():
            self.stdout.write("Loading the demo plan…")
            load_demo(str(settings.DATA_DIR / "demo-output"), self.stdout)
        if not 0 < port < 65536:
            raise CommandError(f"--port must be 1 to 65535, not {port}")
        address = f"[{host}]" if ":" in host else host
        refuse_a_busy_port(host, port)
        self.stdout.write(f"Oversight at http://{address}:{port}/ (Ctrl-C to stop)")
        if check:
            return
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        scheduler = start_worker(self.stdout) if worker else None
        # Stopped by SIGTERM (a service manager, `docker stop`) as by Ctrl-C: the worker too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            # Django's development server: threaded, no autoreload. Static files: whitenoise.
            call_command("runserver", f"{address}:{port}", use_reloader=False, use_threading=True)
        finally:
            if scheduler is not None:
                stop_worker(scheduler)
