"""Hostile fetches from issue #8 that tests/reports does not already cover, each ending refused with a reason.

tests/reports/test_http.py and test_articles.py cover the rest (private ranges, 169.254.169.254,
[::1], [::ffff:127.0.0.1], 2130706433, 0x7f000001, redirect loops and chains, 6 MB bodies,
gzip bombs, slow drip, non-text types, file:// and other schemes); docs/reliability.md lists both.
"""

import gzip
import ipaddress
import re

import pytest

from reports.http import FetchError, fetch
from reports.models import Article
from reports.services import articles

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Submit, then run the queued fetch in-process (as the embedded default does)."""

    def run(url: str) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            article, _ = articles.article_submit_url(url=url)
        article.refresh_from_db()
        return article

    return run


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:10.0.0.1]/",  # IPv4-mapped private
        "http://[::ffff:169.254.169.254]/latest/meta-data/",  # IPv4-mapped metadata address
        "http://2852039166/latest/meta-data/",  # 169.254.169.254 as one decimal number
        "http://167772161/",  # 10.0.0.1 as one decimal number
        "http://0251.0376.0251.0376/",  # 169.254.169.254 in octal
        "http://0xa9fea9fe/",  # 169.254.169.254 in hex
        "http://127.1/",  # short form of 127.0.0.1
        "http://[fd00::1]/",  # IPv6 unique local
        "http://[::]/",
    ],
)
def test_more_spellings_of_internal_addresses_are_refused(settings, url):
    settings.HTTP_ALLOW_LOOPBACK = False
    with pytest.raises(FetchError, match=r"private or reserved address|cannot resolve"):
        fetch(url)


@pytest.mark.parametrize(
    "address",
    [
        "::127.0.0.1",  # IPv4-compatible (deprecated), carrying 127.0.0.1
        "::a9fe:a9fe",  # the same, carrying 169.254.169.254
        "::ffff:0:7f00:1",  # IPv4-translated (SIIT), 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64: a gateway delivers it to 169.254.169.254
        "64:ff9b:1::a9fe:a9fe",  # local-use NAT64
        "2002:a9fe:a9fe::1",  # 6to4, 169.254.169.254
        "2002:a00:1::1",  # 6to4, 10.0.0.1
    ],
)
def test_ipv6_forms_that_carry_an_internal_ipv4_address_are_refused(settings, address):
    # Python counts these as global addresses; reports/http.py looks at the IPv4 address inside.
    settings.HTTP_ALLOW_LOOPBACK = False
    shown = re.escape(str(ipaddress.ip_address(address)))
    with pytest.raises(FetchError, match=rf"private or reserved address \({shown}\)"):
        fetch(f"http://[{address}]/")


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"])
def test_ipv6_forms_that_carry_a_public_address_are_allowed(settings, address):
    from reports import http

    settings.HTTP_ALLOW_LOOPBACK = False
    assert http._address_refused(ipaddress.ip_address(address)) is False


def test_a_50_mb_body_without_a_length_is_cut_at_the_cap(run_tasks, local_server, allow_loopback):
    url = local_server.add("/huge", body=b"x" * (50 * MB), drip=1e-9, chunk=MB)
    article = run_tasks(url)
    assert article.status == "failed"
    assert "over the 5242880 byte limit" in article.failure_reason
    assert not article.text


def test_a_declared_50_mb_body_is_refused_before_reading(run_tasks, local_server, allow_loopback):
    url = local_server.add(
        "/huge", body=b"x" * 10, headers={"Content-Type": "text/html", "Content-Length": str(50 * MB)}
    )
    article = run_tasks(url)
    assert (article.status, article.failure_reason) == (
        "failed",
        f"refused: body of {50 * MB} bytes is over the 5242880 byte limit",
    )


def test_a_redirect_loop_ends_as_a_failed_article(run_tasks, local_server, allow_loopback):
    local_server.add("/a", status=302, headers={"Location": "/b"})
    local_server.add("/b", status=302, headers={"Location": "/a"})
    article = run_tasks(local_server.url("/a"))
    assert (article.status, article.failure_reason) == ("failed", "refused: redirect loop")


def test_a_redirect_to_file_ends_as_a_failed_article(run_tasks, local_server, allow_loopback):
    url = local_server.add("/out", status=302, headers={"Location": "file:///etc/passwd"})
    article = run_tasks(url)
    assert (article.status, article.failure_reason) == ("failed", "refused: scheme 'file' is not http or https")


def test_a_redirect_to_a_decimal_metadata_address_ends_as_a_failed_article(run_tasks, local_server, allow_loopback):
    url = local_server.add("/out", status=302, headers={"Location": "http://2852039166/latest/meta-data/"})
    article = run_tasks(url)
    assert article.status == "failed"
    assert "private or reserved address (169.254.169.254)" in article.failure_reason


def test_a_gzip_bomb_ends_as_a_failed_article(run_tasks, local_server, allow_loopback):
    bomb = gzip.compress(b"\0" * (50 * MB))  # about 50 KB on the wire
    url = local_server.add("/bomb", body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    article = run_tasks(url)
    assert article.status == "failed"
    assert "decompresses to more than 5242880 bytes" in article.failure_reason


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "gopher://example.org/", "data:,x"])
def test_urls_that_are_not_http_are_refused_before_anything_is_stored(url):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not an http"):
        articles.article_submit_url(url=url)
    assert not Article.objects.exists()


def test_credentials_in_a_submitted_url_are_dropped_before_it_is_stored(django_capture_on_commit_callbacks):
    # Queued, not run: the fetch would go to the network. The stored address has no credentials.
    with django_capture_on_commit_callbacks(execute=False):
        article, _ = articles.article_submit_url(url="http://user:secret@example.org/a")
    assert article.url == "http://example.org/a"
