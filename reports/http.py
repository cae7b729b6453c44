"""All outbound HTTP of the app goes through `fetch`.

It refuses what a server fetching user-supplied URLs must refuse: schemes other
than http(s); hosts that resolve to private, loopback, link-local, reserved or
multicast addresses (checked after DNS resolution and again after every
redirect, and the connection goes to the address that was checked, so a DNS
answer cannot change between the check and the connect); bodies over a byte cap
counted on the wire before decompression, and again after it (gzip bombs);
responses slower in total than a deadline (slow-drip servers); redirect loops;
content types that are not text.

The deadline covers the whole exchange, from connect to the last byte, redirects
included: urllib3's timeouts count per socket read, so a server sending a byte a
second would never meet them. A watchdog timer shuts the sockets down when the
deadline passes, wherever the exchange waits (TLS handshake, headers, body).
Name resolution is the one step outside it; it is bounded by the resolver's own timeouts.
"""

import contextlib
import ipaddress
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

USER_AGENT = "CasualtyTracker/0.1 (+https://github.com/casualty-tracker; news ingestion)"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_REDIRECTS = 5
TEXT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch that must not be retried: the reason is final and shown to the user."""


class TemporaryFetchError(FetchError):
    """A fetch that may work later (network down, timeout, server error): retry with backoff."""


class FetchDeadlineError(TemporaryFetchError):
    """The exchange took longer than its deadline in total: a server this slow may be so on purpose."""


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int
    content_type: str
    charset: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


# IPv6 forms that carry an IPv4 address in their last 32 bits, which a gateway may deliver to
# that IPv4 address: IPv4-compatible (deprecated), IPv4-translated (SIIT) and NAT64 prefixes.
# Python counts them as global, so 64:ff9b::a9fe:a9fe would otherwise pass for 169.254.169.254.
_EMBEDS_IPV4 = tuple(
    ipaddress.ip_network(prefix) for prefix in ("::/96", "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48")
)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if not address.is_loopback and any(address in network for network in _EMBEDS_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _address_refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and (embedded := _embedded_ipv4(address)):
        address = embedded
    if address.is_loopback and settings.HTTP_ALLOW_LOOPBACK:
        return False
    return not address.is_global or address.is_multicast


def _resolve(host: str, port: int) -> str:
    """The first address of `host` after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve host {host!r}") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    refused = [str(a) for a in addresses if _address_refused(a)]
    if refused:
        raise FetchError(f"refused: {host} resolves to a private or reserved address ({refused[0]})")
    return str(addresses[0])


def _split_content_type(value: str) -> tuple[str, str | None]:
    message = Message()
    message["content-type"] = value or "application/octet-stream"
    return message.get_content_type(), message.get_param("charset")  # type: ignore[return-value]


def _decompress(body: bytes, encoding: str, limit: int) -> bytes:
    """Undo gzip/deflate, stopping as soon as the output passes `limit` bytes."""
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported content encoding {encoding!r}")
    wbits = 47 if encoding in ("gzip", "x-gzip") else 15  # 47: detect gzip or zlib header
    decompressor = zlib.decompressobj(wbits)
    try:
        out = decompressor.decompress(body, limit + 1)
    except zlib.error as error:
        raise FetchError(f"body is not valid {encoding} data") from error
    if len(out) > limit or decompressor.unconsumed_tail:
        raise FetchError(f"refused: body decompresses to more than {limit} bytes")
    return out


def _timed_out(timeout: float) -> FetchDeadlineError:
    return FetchDeadlineError(f"timed out after {timeout:g} s")


class _Watchdog:
    """Shuts down every socket it watches once `seconds` have passed; `expired` says whether it did."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # shutdown, not close: a thread blocked in recv on this socket wakes up at once.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _Watched:
    """A urllib3 connection whose socket the watchdog shuts when the deadline passes."""

    def __init__(self, *args: object, watchdog: _Watchdog, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._watchdog = watchdog

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        self._watchdog.watch(sock)
        return sock


class _WatchedHTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _WatchedHTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def _pool(
    scheme: str, host: str, address: str, port: int, timeout: float, watchdog: _Watchdog
) -> urllib3.HTTPConnectionPool:
    pool_timeout = urllib3.Timeout(connect=min(timeout, 10.0), read=timeout)
    if scheme == "https":
        return _WatchedHTTPSConnectionPool(
            address,
            port,
            timeout=pool_timeout,
            retries=False,
            maxsize=1,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            watchdog=watchdog,
        )
    return _WatchedHTTPConnectionPool(address, port, timeout=pool_timeout, retries=False, maxsize=1, watchdog=watchdog)


def fetch(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    accept: tuple[str, ...] = TEXT_TYPES,
) -> FetchResult:
    """GET `url` within the limits above.

    Raises FetchError with a reason fit for users when the URL or response is
    refused, TemporaryFetchError when trying again later may help, and its
    subclass FetchDeadlineError when the exchange as a whole, redirects
    included, took longer than `timeout` seconds.
    """
    with _Watchdog(timeout) as watchdog:
        return _fetch(
            url, max_bytes=max_bytes, timeout=timeout, max_redirects=max_redirects, accept=accept, watchdog=watchdog
        )


def _fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    max_redirects: int,
    accept: tuple[str, ...],
    watchdog: _Watchdog,
) -> FetchResult:
    deadline = time.monotonic() + timeout
    seen: set[str] = set()
    for _ in range(max_redirects + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"refused: scheme {parts.scheme or '(none)'!r} is not http or https")
        if not parts.hostname:
            raise FetchError("refused: URL has no host")
        if parts.username or parts.password:
            raise FetchError("refused: URLs with credentials are not fetched")
        if url in seen:
            raise FetchError("refused: redirect loop")
        seen.add(url)
        host = parts.hostname
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchError("refused: invalid port") from error
        address = _resolve(host, port)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        remaining = deadline - time.monotonic()
        if remaining <= 0 or watchdog.expired:
            raise _timed_out(timeout)
        pool = _pool(parts.scheme, host, address, port, remaining, watchdog)
        host_header = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
        if parts.port is not None:
            host_header += f":{parts.port}"
        try:
            response = pool.urlopen(
                "GET",
                path,
                redirect=False,
                preload_content=False,
                decode_content=False,
                headers={
                    "Host": host_header,
                    "User-Agent": USER_AGENT,
                    "Accept-Encoding": "gzip, deflate",
                    "Accept": ", ".join(accept) + ", */*;q=0.1",
                },
            )
        except (urllib3.exceptions.HTTPError, OSError) as error:
            if watchdog.expired:
                raise _timed_out(timeout) from error
            if isinstance(error, urllib3.exceptions.SSLError):
                raise FetchError(f"TLS error talking to {host}") from error
            raise TemporaryFetchError(f"network error talking to {host}: {type(error).__name__}") from error
        try:
            if watchdog.expired:  # the socket was shut while the headers came: they are cut short
                raise _timed_out(timeout)
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {response.status} without a Location")
                url = urljoin(url, location)
                continue
            return _read(response, url, max_bytes=max_bytes, watchdog=watchdog, timeout=timeout, accept=accept)
        finally:
            response.release_conn()
            pool.close()
    raise FetchError(f"refused: more than {max_redirects} redirects")


def _read(
    response: urllib3.BaseHTTPResponse,
    url: str,
    *,
    max_bytes: int,
    watchdog: _Watchdog,
    timeout: float,
    accept: tuple[str, ...],
) -> FetchResult:
    if response.status >= 500 or response.status == 429:
        raise TemporaryFetchError(f"HTTP {response.status} from server")
    if response.status >= 400:
        raise FetchError(f"HTTP {response.status}")
    content_type, charset = _split_content_type(response.headers.get("Content-Type", ""))
    if content_type not in accept:
        raise FetchError(f"refused: content type {content_type} is not an article or feed")
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"refused: body of {int(declared)} bytes is over the {max_bytes} byte limit")
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read1(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"refused: body over the {max_bytes} byte limit")
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, OSError) as error:
        if watchdog.expired:
            raise _timed_out(timeout) from error
        raise TemporaryFetchError(f"network error while reading: {type(error).__name__}") from error
    if watchdog.expired:  # the socket was shut mid-body: what was read is cut short
        raise _timed_out(timeout)
    body = _decompress(b"".join(chunks), response.headers.get("Content-Encoding", "").strip().lower(), max_bytes)
    return FetchResult(
        url=url,
        status=response.status,
        content_type=content_type,
        charset=charset,
        body=body,
        headers=dict(response.headers.items()),
    )
