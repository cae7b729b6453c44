"""Turn a fetched page into an article's title, text, date and language, and a fetched feed into entries.

The parsing libraries get a parsed tree or a stream of bytes, never the text
itself: htmldate downloads any string that starts with "http" and holds no
space, and feedparser opens any string or bytes naming a local file or URL,
both past every check of reports/http.py.
"""

import codecs
import datetime
import io
from dataclasses import dataclass

import feedparser
import htmldate
import trafilatura
from trafilatura.utils import load_html

from reports.http import FetchError, FetchResult

MIN_ARTICLE_WORDS = 8


@dataclass(frozen=True)
class ParsedPage:
    title: str
    text: str
    published: datetime.date | None
    canonical_url: str | None
    site_name: str
    language: str


def body_decode(body: bytes, charset: str | None) -> str:
    """Decode with the declared charset, else UTF-8; raise FetchError saying why when neither fits.

    Bytes that are not valid in the declared charset are refused rather than
    replaced, so a text we store is the text the server sent.
    """
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError as error:
            raise FetchError(f"unknown charset {charset!r}") from error
    tried = [charset] if charset else []
    tried += [] if charset and codecs.lookup(charset).name == "utf-8" else ["utf-8"]
    for encoding in tried:
        try:
            return body.decode(encoding)
        except UnicodeDecodeError as error:
            last = error
    raise FetchError(f"body is not valid {tried[0]} text (invalid byte at offset {last.start})")


def page_parse(*, page: FetchResult) -> ParsedPage:
    """Main text and metadata of an HTML page (or a plain-text body). Raises FetchError when there is no text."""
    decoded = body_decode(page.body, page.charset)
    if "\x00" in decoded:
        raise FetchError("refused: body holds binary data, not text")
    if page.content_type == "text/plain":
        return ParsedPage(title="", text=decoded.strip(), published=None, canonical_url=None, site_name="", language="")
    tree = load_html(decoded)  # None when the body is not HTML at all
    document = (
        trafilatura.bare_extraction(tree, url=page.url, with_metadata=True, favor_precision=True)
        if tree is not None
        else None
    )
    text = (document.text or "").strip() if document else ""
    # A few words are a menu or a caption that the text extractor fell back to, not an article.
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise FetchError("no article text found in the page")
    published = None
    found = htmldate.find_date(tree, original_date=True, outputformat="%Y-%m-%d")
    if found:
        published = datetime.date.fromisoformat(found)
    return ParsedPage(
        title=(document.title or "").strip()[:1000],
        text=text,
        published=published,
        canonical_url=document.url if document.url and document.url.startswith(("http://", "https://")) else None,
        site_name=(document.sitename or "").strip()[:200],
        language=(document.language or "")[:16],
    )


def feed_parse(*, body: bytes) -> feedparser.FeedParserDict:
    """The feed in `body`, as feedparser reads it (`bozo` set when it is not a well-formed feed)."""
    return feedparser.parse(io.BytesIO(body))
