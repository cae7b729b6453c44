"""Parsing a fetched page, an .html file or a feed never reaches the network or the disk (issue 14, finding 1).

htmldate downloads any string that starts with "http" and has no space, with its own
connection pool, past every check of reports/http.py; feedparser opens any string or
bytes that names a local file. A hostile page or feed must be parsed as what it is.
"""

import contextlib
import socket

import pytest

from reports.extraction.readers import ArticleFileError, read_articles
from reports.http import FetchError, FetchResult
from reports.models import Article, Feed
from reports.services import feeds
from reports.services.parsing import feed_parse, page_parse

# Tabs, never a space: the whole page reads to htmldate as one URL.
ARTICLE = (
    "<html>\t<head>\t<title>Strike\ton\tthe\tmarket</title>\t</head>\t<body>\t<article>\t<p>"
    + "\t".join(["An\tair\tstrike\thit\tthe\tcentral\tmarket\tof\tAriha\ton\tSunday,\tkilling\t40\tpeople."] * 4)
    + "</p>\t</article>\t</body>\t</html>"
)


def hostile_page(port: int) -> str:
    return f"http://127.0.0.1:{port}/internal-only/admin?cmd=x#" + ARTICLE


def hostile_feed(port: int) -> str:
    target = f"http://127.0.0.1:{port}"
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY remote SYSTEM "{target}/entity">]>
<?xml-stylesheet type="text/xsl" href="{target}/style.xsl"?>
<rss version="2.0" xmlns:xi="http://www.w3.org/2001/XInclude"><channel><title>Feed &remote;</title>
<link>{target}/channel</link><image><url>{target}/logo.png</url></image>
<item><title>One</title><link>{target}/one</link><enclosure url="{target}/one.mp3" type="audio/mpeg"/>
<xi:include href="{target}/include.xml"/>
<description>&lt;img src="{target}/pixel.gif"&gt;</description></item>
</channel></rss>"""


def as_fetched(body: str, content_type: str = "text/html") -> FetchResult:
    return FetchResult(
        url="https://news.example/a", status=200, content_type=content_type, charset="utf-8", body=body.encode()
    )


@pytest.fixture
def port(local_server) -> int:
    local_server.add("/internal-only/admin?cmd=x", body=b"<html><body>internal</body></html>")
    return local_server.port


def test_a_page_that_reads_as_a_url_is_parsed_not_fetched(local_server, port):
    parsed = page_parse(page=as_fetched(hostile_page(port)))
    assert "killing" in parsed.text
    assert local_server.hits == []


def test_an_html_file_that_reads_as_a_url_is_parsed_not_fetched(local_server, port, tmp_path):
    file = tmp_path / "evil.html"
    file.write_text(hostile_page(port), encoding="utf-8")
    [article] = read_articles(file)
    assert "killing" in str(article["text"])
    assert local_server.hits == []


def test_a_feed_pointing_at_loopback_is_parsed_not_fetched(local_server, port):
    parsed = feed_parse(body=hostile_feed(port).encode())
    assert [entry.get("link") for entry in parsed.entries] == [f"http://127.0.0.1:{port}/one"]
    assert local_server.hits == []


@pytest.mark.django_db
def test_a_feed_body_naming_a_local_file_is_not_read_from_disk(monkeypatch, tmp_path):
    # feedparser opens bytes naming a file: a feed served as "/path/on/the/server" read that file.
    local = tmp_path / "local-feed.xml"
    local.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        "<item><link>https://leak.example/from-disk</link></item></channel></rss>",
        encoding="utf-8",
    )
    feed = Feed.objects.create(url="https://news.example/feed.xml")
    served = FetchResult(
        url=feed.url, status=200, content_type="application/rss+xml", charset=None, body=str(local).encode()
    )
    monkeypatch.setattr(feeds, "fetch", lambda *args, **kwargs: served)
    assert feeds.feed_poll(feed_id=feed.pk) == 0
    assert not Article.objects.exists()
    feed.refresh_from_db()
    assert feed.last_error == "not an RSS or Atom feed"


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to resolve a name or open a connection is recorded and refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object):
        attempts.append(args[1:] or args)
        raise OSError("network access during parsing")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


HOSTILE_PAGES = [
    hostile_page(8174),
    "http://127.0.0.1:8174/x",
    "https://169.254.169.254/latest/meta-data/",
    '<!DOCTYPE html SYSTEM "http://127.0.0.1:8174/dtd"><html><head>'
    '<link rel="stylesheet" href="http://127.0.0.1:8174/s.css"><base href="http://127.0.0.1:8174/">'
    '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:8174/r"></head><body>'
    '<img src="http://127.0.0.1:8174/i.png"><iframe src="http://127.0.0.1:8174/f"></iframe>'
    + "<p>"
    + " ".join(["A strike hit the market of Ariha on Sunday, killing 40 people."] * 4)
    + "</p></body></html>",
]


@pytest.mark.parametrize("body", HOSTILE_PAGES)
def test_parsing_a_hostile_page_opens_no_socket(no_network, body, tmp_path):
    # Refusing the page is fine; reaching the network is not.
    with contextlib.suppress(FetchError):
        page_parse(page=as_fetched(body))
    file = tmp_path / "page.html"
    file.write_text(body, encoding="utf-8")
    with contextlib.suppress(ArticleFileError):
        list(read_articles(file))
    assert no_network == []


@pytest.mark.parametrize("body", [hostile_feed(8174), "http://127.0.0.1:8174/feed.xml", "/etc/hostname"])
def test_parsing_a_hostile_feed_opens_no_socket(no_network, body):
    feed_parse(body=body.encode())
    assert no_network == []
