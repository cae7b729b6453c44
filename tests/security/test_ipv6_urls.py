"""URLs with an IPv6 literal keep their brackets, and are fetched or refused like any other (issue 14, finding 10).

Internal IPv6 addresses (loopback, link-local, unique local, IPv4-mapped, NAT64...) are
refused by tests/reports/test_http.py and tests/reliability/test_hostile_fetches.py.
"""

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from reports.http import FetchError, fetch
from reports.services.articles import url_canonical


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://[2606:4700:4700::1111]/page", "http://[2606:4700:4700::1111]/page"),
        ("HTTP://[2606:4700:4700::1111]:80/page#top", "http://[2606:4700:4700::1111]/page"),
        ("https://[2606:4700:4700::1111]:8443/a?utm_source=x&id=3", "https://[2606:4700:4700::1111]:8443/a?id=3"),
        ("http://[2606:4700:4700:0:0:0:0:1111]/page", "http://[2606:4700:4700::1111]/page"),
        ("http://[2606:4700:4700::ABCD]/page", "http://[2606:4700:4700::abcd]/page"),
    ],
)
def test_the_canonical_form_keeps_the_brackets(url, canonical):
    assert url_canonical(url) == canonical


class _HostRecorder(http.server.BaseHTTPRequestHandler):
    hosts: list[str] = []

    def do_GET(self) -> None:
        self.hosts.append(self.headers["Host"])
        body = b"<html><body><p>Hello</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _IPv6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


@pytest.fixture
def ipv6_server() -> Iterator[tuple[int, list[str]]]:
    try:
        server = _IPv6Server(("::1", 0), _HostRecorder)
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    hosts: list[str] = []
    server.RequestHandlerClass = type("Recorder", (_HostRecorder,), {"hosts": hosts})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], hosts
    server.shutdown()
    server.server_close()


def test_an_ipv6_literal_url_is_fetched_with_a_bracketed_host_header(ipv6_server, allow_loopback):
    port, hosts = ipv6_server
    page = fetch(url_canonical(f"http://[::1]:{port}/page"))
    assert page.body == b"<html><body><p>Hello</p></body></html>"
    assert hosts == [f"[::1]:{port}"]


def test_an_internal_ipv6_literal_is_still_refused_after_canonicalisation(settings):
    settings.HTTP_ALLOW_LOOPBACK = False
    for url in ("http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/", "http://[64:ff9b::a9fe:a9fe]/"):
        with pytest.raises(FetchError, match="private or reserved address"):
            fetch(url_canonical(url))
