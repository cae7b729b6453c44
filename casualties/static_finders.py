"""plotly.js as an ordinary static file, `vendor/plotly-<plotly version>/plotly.min.js`.

collectstatic copies it, hashes its name and writes its gzip and Brotli copies like any
of our files (WhiteNoise's CompressedManifestStaticFilesStorage), so it is served
compressed and cached for a year; without collectstatic (tests, a bare runserver)
WhiteNoise finds it here.

The file is `vendor/plotly/plotly.min.js`, plotly.js with only the trace types the
dashboard draws (bar, scattergeo), built by `vendor/plotly/build.js` from the same
plotly.js version that the plotly package carries: a third of the full bundle, and
the browser compiles it in a fifth of the time (docs/dashboard.md). When the plotly
package carries another plotly.js version (an upgrade before the partial bundle was
rebuilt), the package's full bundle is served instead, so the charts keep working;
tests/casualties/test_static_files.py fails until the partial bundle is rebuilt.
"""

import re
from pathlib import Path

import plotly
from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_FILE = "plotly.min.js"
PLOTLY_FOLDER = f"vendor/plotly-{plotly.__version__}"
# What templates pass to {% static %}.
PLOTLY_STATIC_PATH = f"{PLOTLY_FOLDER}/{PLOTLY_FILE}"
PACKAGE_BUNDLE = Path(plotly.__file__).parent / "package_data" / PLOTLY_FILE
PARTIAL_BUNDLE = Path(settings.BASE_DIR) / "vendor" / "plotly" / PLOTLY_FILE


def plotly_js_version(path: Path) -> str | None:
    """The plotly.js version a bundle names in its opening comment ("plotly.js v4.1.1"), or None."""
    try:
        with path.open("rb") as bundle:
            head = bundle.read(400).decode("utf-8", "replace")
    except OSError:
        return None
    match = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head)
    return match.group(1) if match else None


def plotly_bundle() -> Path:
    """The file served: the partial bundle when it matches the package's plotly.js version, else the full one."""
    if plotly_js_version(PARTIAL_BUNDLE) == plotly_js_version(PACKAGE_BUNDLE):
        return PARTIAL_BUNDLE
    return PACKAGE_BUNDLE


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source = plotly_bundle()
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
