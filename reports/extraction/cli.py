"""``python -m reports.extraction FILE...``: one JSON line of incidents per article."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from reports.extraction import EXTRACTOR_VERSION, extract
from reports.extraction.readers import ArticleFileError, read_articles


def main(argv: Sequence[str] | None = None) -> int:
    """Print ``{"id": ..., "incidents": [...]}`` per article; 1 if any file failed, 2 on usage errors."""
    parser = argparse.ArgumentParser(prog="python -m reports.extraction", description=__doc__)
    parser.add_argument("files", nargs="+", metavar="FILE", help=".jsonl, .txt or .html article files")
    parser.add_argument("--version", action="version", version=EXTRACTOR_VERSION)
    arguments = parser.parse_args(argv)
    status = 0
    for path in arguments.files:
        try:
            for article in read_articles(path):
                incidents = extract(
                    text=str(article["text"]),
                    published=article.get("published"),  # type: ignore[arg-type]
                    title=article.get("title"),  # type: ignore[arg-type]
                )
                sys.stdout.write(json.dumps({"id": article["id"], "incidents": incidents}, ensure_ascii=False) + "\n")
        except ArticleFileError as error:
            print(f"error: {error}", file=sys.stderr)
            status = 1
        except OSError as error:
            print(f"error: {path}: {error.strerror or error}", file=sys.stderr)
            status = 1
    return status
