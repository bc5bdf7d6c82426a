"""Where a command may write: the checks behind every `--out`, so a mistyped path is refused before
anything runs, with a readable reason and a non-zero exit, and no command creates folders
anywhere (`oversight report --out /nonexistent/dir/x.pdf` used to make /nonexistent/dir).
A refusal is a ValueError, which the command line reports as a bad value for the option."""

from __future__ import annotations

from pathlib import Path


def out_file(text: str) -> Path:
    """`--out FILE`: a file in a folder that exists (an existing file is replaced)."""
    path = Path(text)
    if path.is_dir():
        raise ValueError(f'"{text}" is a folder: give the file to write, e.g. {path / "out"}')
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(
            f'the folder "{folder}" does not exist: create it first, or write somewhere else'
        )
    return path


def out_folder(text: str) -> Path:
    """`--out FOLDER`: an existing folder, or a new one made inside a folder that exists."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise ValueError(f'"{text}" is a file, not a folder')
    if not path.exists() and not path.parent.is_dir():
        raise ValueError(
            f'the folder "{path.parent}" does not exist: create it first, or write somewhere else'
        )
    return path


def out_file_or_stdout(text: str) -> Path | str:
    """`--out FILE`, or "-" for standard output."""
    return text if text == "-" else out_file(text)
