"""`oversight api schema`: the API's OpenAPI document."""

from pathlib import Path
from typing import Annotated

from oversight.api.schema import COMMITTED, openapi_text
from oversight.core.commands import OUT_FILE_OR_STDOUT, Group, command, out_option


class Command(Group):
    help = "The JSON API's OpenAPI document."

    @command()
    def schema(
        self,
        out: Annotated[
            str, out_option("file to write ('-' for stdout)", check=OUT_FILE_OR_STDOUT)
        ] = str(COMMITTED),
    ):
        """Write the API's OpenAPI document (docs/openapi.json by default).

        Run it after changing the API and commit the result: a test fails while the two differ.
        """
        text = openapi_text()
        if out == "-":
            self.stdout.write(text, ending="")
            return
        Path(out).write_text(text, encoding="utf-8")
        self.stdout.write(f"OpenAPI document written to {out}.")
