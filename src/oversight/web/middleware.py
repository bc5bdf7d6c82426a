"""Static files through whitenoise, quietly when collectstatic has not been run (the files then
come straight from the apps)."""

from __future__ import annotations

from pathlib import Path

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files(self, root, prefix=None):
        if root and Path(root).is_dir():
            super().add_files(root, prefix)
