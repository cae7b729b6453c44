"""reports.http.fetch refuses what a server fetching user-supplied URLs must refuse."""

import gzip
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from reports.http import FetchDeadlineError, FetchError, TemporaryFetchError, fetch

PAGE = b"<html><head><title>t</title></head><body><p>Hello</p></body></html>"


@pytest.fixture(autouse=True)
def _loopback(allow_loopback):
    """Tests talk to a local server; the private-address tests switch loopback off again."""


def test_it_fetches_a_page_and_reports_type_and_charset(local_server):
    page = fetch(local_server.add("/a", body=PAGE, headers={"Content-Type": "text/html; charset=ISO-8859-1"}))
    assert page.status == 200
    assert page.body == PAGE
    assert (page.content_type, page.charset) == ("text/html", "ISO-8859-1")


def test_it_follows_redirects_and_reports_the_final_url(local_server):
    final = local_server.add("/final", body=PAGE)
    start = local_server.add("/start", status=302, headers={"Location": "/final"})
    assert fetch(start).url == final


def test_it_refuses_a_redirect_loop(local_server):
    local_server.add("/a", status=302, headers={"Location": "/b"})
    local_server.add("/b", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(local_server.url("/a"))


def test_it_refuses_too_many_redirects(local_server):
    for hop in range(8):
        local_server.add(f"/{hop}", status=301, headers={"Location": f"/{hop + 1}"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(local_server.url("/0"))


def test_it_refuses_a_body_over_the_cap_even_without_content_length(local_server):
    url = local_server.add("/big", body=b"x" * 200_000, drip=0.0001, chunk=50_000)
    with pytest.raises(FetchError, match="over the 100000 byte limit"):
        fetch(url, max_bytes=100_000)


def test_it_refuses_a_declared_length_over_the_cap_before_reading(local_server):
    url = local_server.add("/big", body=b"x" * 10, headers={"Content-Type": "text/html", "Content-Length": "999999"})
    with pytest.raises(FetchError, match="999999 bytes is over"):
        fetch(url, max_bytes=1000)


def test_it_refuses_a_gzip_bomb(local_server):
    bomb = gzip.compress(b"\0" * 20_000_000)  # ~20 KB on the wire, 20 MB unpacked
    url = local_server.add("/bomb", body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="decompresses to more than"):
        fetch(url, max_bytes=1_000_000)


def test_it_unpacks_an_honest_gzip_body(local_server):
    url = local_server.add(
        "/gz", body=gzip.compress(PAGE), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    assert fetch(url).body == PAGE


def test_it_gives_up_on_a_slow_drip_server(local_server):
    url = local_server.add("/slow", body=b"y" * 100, drip=0.2, chunk=1)
    with pytest.raises(FetchDeadlineError, match="timed out"):
        fetch(url, timeout=1.0)


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", "application/pdf"])
def test_it_refuses_content_that_is_not_text(local_server, content_type):
    url = local_server.add("/file", body=b"\x89PNG", headers={"Content-Type": content_type})
    with pytest.raises(FetchError, match=f"content type {content_type}"):
        fetch(url)


def test_server_errors_are_temporary_and_client_errors_final(local_server):
    with pytest.raises(TemporaryFetchError, match="HTTP 503"):
        fetch(local_server.add("/busy", status=503))
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetch(local_server.url("/missing"))
    assert type(caught.value) is FetchError


def test_a_closed_port_is_a_temporary_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TemporaryFetchError, match="network error"):
        fetch(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://2130706433/",  # 127.0.0.1 written as a decimal number
        "http://0x7f000001/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
    ],
)
def test_it_refuses_private_loopback_link_local_and_reserved_addresses(settings, url):
    settings.HTTP_ALLOW_LOOPBACK = False
    with pytest.raises(FetchError, match=r"private or reserved address|cannot resolve"):
        fetch(url)


def test_a_redirect_to_an_internal_address_is_refused(local_server, settings):
    # The first hop is allowed (loopback on for the test server) but the target is link-local.
    url = local_server.add("/out", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(FetchError, match=r"private or reserved address \(169\.254\.169\.254\)"):
        fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "gopher://example.org/",
        "javascript:alert(1)",
        "//no-scheme.example/",
    ],
)
def test_it_refuses_other_schemes(url):
    with pytest.raises(FetchError, match="scheme"):
        fetch(url)


def test_it_refuses_urls_with_credentials():
    with pytest.raises(FetchError, match="credentials"):
        fetch("http://user:secret@example.org/")


@pytest.fixture
def drip_server() -> Iterator[Callable[[bytes, bytes], int]]:
    """Servers on 127.0.0.1 that answer `first`, then drip `drip` a byte every 0.1 s (3 s at most)."""
    stops: list[Callable[[], None]] = []

    def start(first: bytes, drip: bytes) -> int:
        listener = socket.create_server(("127.0.0.1", 0))
        stop = threading.Event()

        def serve_one(connection: socket.socket) -> None:
            with connection:
                try:
                    connection.recv(65536)
                    connection.sendall(first)
                    for byte in drip[:30]:
                        if stop.wait(0.1):
                            return
                        connection.sendall(bytes([byte]))
                except OSError:
                    return

        def serve() -> None:
            while not stop.is_set():
                try:
                    connection, _ = listener.accept()
                except OSError:
                    return
                threading.Thread(target=serve_one, args=(connection,), daemon=True).start()

        threading.Thread(target=serve, daemon=True).start()
        stops.extend([stop.set, listener.close])
        return listener.getsockname()[1]

    yield start
    for stop in stops:
        stop()


def test_one_deadline_covers_headers_dripped_slowly(drip_server):
    # Every read returns within the per-read timeout; only a deadline on the whole exchange stops it.
    port = drip_server(b"HTTP/1.1 200 OK\r\nX-Drip: ", b"a" * 30)
    with pytest.raises(FetchDeadlineError, match="timed out after 1 s"):
        fetch(f"http://127.0.0.1:{port}/slow-headers", timeout=1.0)


def test_one_deadline_covers_a_tls_handshake_dripped_slowly(drip_server):
    # A TLS record header announcing 16 KB, then its bytes one at a time.
    port = drip_server(b"", b"\x16\x03\x03\x40\x00" + b"\x02" * 25)
    with pytest.raises(FetchDeadlineError, match="timed out after 1 s"):
        fetch(f"https://127.0.0.1:{port}/slow-handshake", timeout=1.0)
