import getpass
import os
from typing import Annotated

import typer
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from oversight.accounts.actions import create_user
from oversight.accounts.roles import Role
from oversight.core.commands import Command as OversightCommand


class Command(OversightCommand):
    help = (
        "Create a user: by default the first administrator.\n\n"
        "Asks for the password unless "
        "--password-env names an environment variable holding it (for scripts)."
    )

    def handle(
        self,
        username: Annotated[
            str | None, typer.Option(help="sign-in name (asked for when missing)")
        ] = None,
        email: Annotated[str, typer.Option()] = "",
        role: Annotated[
            Role, typer.Option(help="administrator, editor, provider or panel")
        ] = Role.ADMIN,
        password_env: Annotated[
            str | None,
            typer.Option(
                metavar="VAR",
                help="read the password from this environment variable instead of asking",
            ),
        ] = None,
        no_input: Annotated[
            bool, typer.Option("--no-input", help="never ask; fail when something is missing")
        ] = False,
    ):
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
        self.stdout.write(f"Created {Role(role).value} {username}.")
