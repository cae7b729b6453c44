"""plotly.js as an ordinary static file, `vendor/plotly-<plotly version>/plotly.min.js`.

collectstatic copies it, hashes its name and writes its gzip and Brotli copies like any
of our files (WhiteNoise's CompressedManifestStaticFilesStorage), so it is served
compressed and cached for a year; without collectstatic (tests, a bare runserver)
WhiteNoise finds it here.

The bundle is the plotly package's own, whole (about 4.8 MB, 1.4 MB gzipped, less with
Brotli): a smaller build of plotly.js would be a JavaScript build step or a vendored
third-party bundle, and the app's files come from the packages the install step brings.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_FILE = "plotly.min.js"
PLOTLY_FOLDER = f"vendor/plotly-{plotly.__version__}"
# What templates pass to {% static %}.
PLOTLY_STATIC_PATH = f"{PLOTLY_FOLDER}/{PLOTLY_FILE}"
PACKAGE_BUNDLE = Path(plotly.__file__).parent / "package_data" / PLOTLY_FILE


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source = PACKAGE_BUNDLE
        self.storage = FileSystemStorage(location=self.source.parent)
        # collectstatic and WhiteNoise put a storage's files under its `prefix`.
        self.storage.prefix = PLOTLY_FOLDER

    def find(self, path: str, find_all: bool = False, **kwargs) -> str | list[str] | None:
        # Django 5.2 renamed `all` to `find_all` and still passes `all` from older callers.
        find_all = find_all or kwargs.get("all", False)
        if path != PLOTLY_STATIC_PATH:
            return [] if find_all else None
        return [str(self.source)] if find_all else str(self.source)

    def list(self, ignore_patterns):
        yield PLOTLY_FILE, self.storage
