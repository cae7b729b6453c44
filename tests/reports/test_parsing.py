"""From fetched bytes to an article's text, title and date."""

import pytest

from reports.http import FetchError, FetchResult
from reports.services.parsing import body_decode, page_parse

ARTICLE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Strike on market in Ariha kills dozens | Levant Desk</title>
<meta property="article:published_time" content="2015-11-30T08:00:00Z">
<link rel="canonical" href="https://levant.example/2015/11/ariha-market">
</head><body><nav>Home | World | Opinion</nav>
<article><h1>Strike on market in Ariha kills dozens</h1>
<p>An air strike hit the crowded central market of Ariha, in Idlib governorate, on Sunday, killing
at least 40 people, local rescuers said.</p>
<p>Rescue workers said the toll was expected to rise as they searched the rubble of the shops for survivors
through the night, and that the main hospital of the town was overwhelmed.</p>
</article><footer>Copyright Levant Desk</footer></body></html>"""


def page(body: bytes, content_type: str = "text/html", charset: str | None = "utf-8") -> FetchResult:
    return FetchResult(
        url="https://levant.example/x", status=200, content_type=content_type, charset=charset, body=body
    )


def test_it_takes_the_main_text_title_and_publication_date():
    parsed = page_parse(page=page(ARTICLE_HTML.encode()))
    assert "killing\nat least 40 people" in parsed.text or "killing at least 40 people" in parsed.text
    assert "Copyright" not in parsed.text
    assert "Ariha kills dozens" in parsed.title
    assert parsed.published is not None
    assert parsed.published.isoformat() == "2015-11-30"
    assert parsed.canonical_url == "https://levant.example/2015/11/ariha-market"


def test_plain_text_is_taken_as_it_is():
    parsed = page_parse(page=page(b"  Four people were killed.  ", content_type="text/plain"))
    assert parsed.text == "Four people were killed."


def test_a_page_without_article_text_fails_with_a_reason():
    with pytest.raises(FetchError, match="no article text"):
        page_parse(page=page(b"<html><body><nav>menu</nav></body></html>"))


def test_bytes_invalid_in_the_declared_charset_are_refused_with_the_offset():
    body = "Les victimes étaient".encode("latin-1")  # \xe9 is not UTF-8
    with pytest.raises(FetchError, match=r"not valid utf-8 text \(invalid byte at offset 13\)"):
        body_decode(body, "utf-8")


def test_a_wrong_declared_charset_falls_back_to_utf8():
    # Declared as ASCII, sent as UTF-8: the UTF-8 reading is the one that decodes.
    assert body_decode("Dayr az Zawr — 12 killed".encode(), "ascii") == "Dayr az Zawr — 12 killed"


def test_an_unknown_charset_is_named():
    with pytest.raises(FetchError, match="unknown charset 'klingon-8'"):
        body_decode(b"text", "klingon-8")


def test_binary_junk_is_refused():
    with pytest.raises(FetchError, match="binary data"):
        page_parse(page=page(b"\x00\x01\x02binary\x00", content_type="text/plain"))


def test_html_nested_100000_deep_is_contained():
    deep = (
        "<div>" * 100_000
        + "<p>An air strike killed four people in Idlib on Monday, rescuers said.</p>"
        + "</div>" * 100_000
    )
    with pytest.raises(FetchError, match="no article text"):
        page_parse(page=page(deep.encode()))
