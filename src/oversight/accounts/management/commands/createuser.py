import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.actions import create_user
from oversight.accounts.roles import Role


class Command(BaseCommand):
    help = (
        "Create a user: by default the first administrator. Asks for the password unless "
        "--password-env names an environment variable holding it (for scripts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", help="sign-in name (asked for when missing)")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--role",
            default=Role.ADMIN.value,
            choices=[r.value for r in Role],
            help="administrator (default), editor, provider or panel",
        )
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="read the password from this environment variable instead of asking",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="never ask; fail when something is missing"
        )

    def handle(self, username, email, role, password_env, no_input, **options):
        if not username:
            if no_input:
                raise CommandError("--username is required with --no-input")
            username = input("Username: ").strip()
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"the environment variable {password_env} is empty or unset")
        elif no_input:
            raise CommandError("--password-env is required with --no-input")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords do not match")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("password refused: " + " ".join(exc.messages)) from exc
        try:
            create_user(
                username, password=password, role=Role(role), email=email, by="oversight createuser"
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created {role} {username}.")
