"""Article files for the CLI and the ingestion pipeline: .jsonl, .txt and .html.

Every reader yields dicts with the keys id, title, published, source, url and
text. Problems with a file raise ``ArticleFileError`` with a message fit for a
user; callers decide whether that is fatal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

_HEADER = re.compile(r"^(Title|Published|Source|URL|Date)\s*:\s*(.*)$", re.I)
MAX_FILE_BYTES = 50_000_000


class ArticleFileError(ValueError):
    """A file that cannot be read as articles; the message says why."""


def read_articles(path: str | Path) -> Iterator[dict[str, object]]:
    """Articles in ``path``, chosen by suffix: .jsonl/.json, .txt, .html/.htm."""
    file = Path(path)
    if not file.is_file():
        raise ArticleFileError(f"{file}: no such file")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise ArticleFileError(f"{file}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
    suffix = file.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        yield from _read_jsonl(file)
    elif suffix in (".html", ".htm"):
        yield _read_html(file)
    elif suffix in (".txt", ".text", ""):
        yield _read_txt(file)
    else:
        raise ArticleFileError(f"{file}: unsupported file type {suffix!r} (use .jsonl, .txt or .html)")


def _decode(file: Path) -> str:
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleFileError(f"{file}: not UTF-8 text ({error.reason} at byte {error.start})") from None


def _read_jsonl(file: Path) -> Iterator[dict[str, object]]:
    for number, line in enumerate(_decode(file).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ArticleFileError(f"{file}:{number}: invalid JSON ({error.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise ArticleFileError(f"{file}:{number}: expected an object with a string 'text'")
        yield {
            "id": record.get("id", f"{file.stem}:{number}"),
            "title": record.get("title"),
            "published": record.get("published"),
            "source": record.get("source"),
            "url": record.get("url"),
            "text": record["text"],
        }


def _read_txt(file: Path) -> dict[str, object]:
    content = _decode(file)
    if "\x00" in content:
        raise ArticleFileError(f"{file}: binary data, not an article")
    headers: dict[str, str] = {}
    lines = content.splitlines()
    body_start = 0
    for number, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            headers[match.group(1).lower()] = match.group(2).strip()
            continue
        # The body starts after the blank line that ends the headers (or at once if there are none).
        body_start = number + 1 if not line.strip() and headers else number
        break
    text = "\n".join(lines[body_start:]) if headers else content
    return {
        "id": file.stem,
        "title": headers.get("title"),
        "published": headers.get("published") or headers.get("date"),
        "source": headers.get("source"),
        "url": headers.get("url"),
        "text": text,
    }


def _read_html(file: Path) -> dict[str, object]:
    import trafilatura
    from htmldate import find_date
    from trafilatura.utils import load_html

    # The libraries get the parsed tree, never the text: htmldate downloads a text that starts with
    # "http" and holds no space (reports/services/parsing.py).
    tree = load_html(_decode(file))
    text = (trafilatura.extract(tree, include_comments=False, include_tables=False) or "") if tree is not None else ""
    if not text.strip():
        raise ArticleFileError(f"{file}: no article text found in the HTML")
    metadata = trafilatura.extract_metadata(tree)
    try:
        published = find_date(tree, original_date=True)
    except Exception:  # noqa: BLE001 - htmldate raises assorted errors on odd markup
        published = None
    return {
        "id": file.stem,
        "title": getattr(metadata, "title", None),
        "published": published,
        "source": getattr(metadata, "sitename", None),
        "url": getattr(metadata, "url", None),
        "text": text,
    }
