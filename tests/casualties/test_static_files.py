"""What the dashboard's first load costs: plotly.js and the country outlines compressed and cached, JSON with ETags."""

import gzip
import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from casualties.static_finders import PACKAGE_BUNDLE

OUTLINES = Path(settings.BASE_DIR) / "static" / "casualties" / "data" / "countries.geojson"
# The simplified 1:50m outlines are 1.05 MB (320 KB gzipped); the file they came from was 1.7 MB (560 KB).
OUTLINES_MAX_BYTES = 1_100_000
YEAR = 365 * 24 * 3600


@pytest.fixture
def collected(tmp_path, settings):
    """Static files as production serves them: collected to a scratch STATIC_ROOT, hashed and compressed.

    Only our own files and plotly.js are collected (the admin's and the API docs' would only slow the test).
    """
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATICFILES_FINDERS = [
        "django.contrib.staticfiles.finders.FileSystemFinder",
        "casualties.static_finders.PlotlyFinder",
    ]
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return Client()  # a new client: WhiteNoise reads STATIC_ROOT when its middleware is built


def _page_asset_urls(client: Client) -> dict[str, str]:
    html = client.get("/").content.decode()
    return {
        "plotly": re.search(r'<script src="([^"]*/plotly\.min\.[0-9a-f]{12}\.js)"', html).group(1),
        "outlines": re.search(r'data-outlines-url="([^"]*/countries\.[0-9a-f]{12}\.geojson)"', html).group(1),
    }


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_plotly_and_the_outlines_come_gzipped_with_hashed_names_and_a_year_of_cache(collected):
    urls = _page_asset_urls(collected)
    sources = {"plotly": PACKAGE_BUNDLE, "outlines": OUTLINES}
    for name, url in urls.items():
        response = collected.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
        assert response.status_code == 200, name
        assert response["Content-Encoding"] == "gzip", name
        assert "Accept-Encoding" in response["Vary"], name
        cache = response["Cache-Control"]
        assert "immutable" in cache, name
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= YEAR, name
        body = _body(response)
        assert gzip.decompress(body) == sources[name].read_bytes(), name
        assert len(body) < sources[name].stat().st_size / 2, name
        # A client that asks for no compression gets the file as it is.
        plain = collected.get(url)
        assert "Content-Encoding" not in plain
        assert _body(plain) == sources[name].read_bytes()
        # And one that holds it already gets nothing new.
        assert collected.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.django_db
@pytest.mark.skipif(importlib.util.find_spec("brotli") is None, reason="brotli not installed: no .br copies")
def test_static_files_come_as_brotli_to_a_client_that_accepts_it(collected):
    import brotli

    url = _page_asset_urls(collected)["plotly"]
    response = collected.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(_body(response)) == PACKAGE_BUNDLE.read_bytes()


def test_the_country_outlines_stay_small():
    size = OUTLINES.stat().st_size
    assert size <= OUTLINES_MAX_BYTES, f"countries.geojson is {size:,} bytes; simplify it (docs/map-data.md)"
    assert len(gzip.compress(OUTLINES.read_bytes())) <= OUTLINES_MAX_BYTES // 3


@pytest.mark.django_db
def test_the_dashboard_json_comes_gzipped_with_an_etag_and_304_when_unchanged(client):
    for url in ("/dashboard/map.json", "/dashboard/timeline.json", "/dashboard/admin1.json"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "gzip", url
        etag = response["ETag"]
        assert etag.startswith('W/"'), url  # GZip weakens the tag of the uncompressed body
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again.content == b""
        assert client.get(url, HTTP_IF_NONE_MATCH='"another"').status_code == 200
