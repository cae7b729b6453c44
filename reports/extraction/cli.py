"""``python -m reports.extraction FILE...``: one JSON line of incidents per article."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from reports.extraction import EXTRACTOR_VERSION, extract
from reports.extraction.readers import ArticleFileError, read_articles

if TYPE_CHECKING:
    from reports.extraction.gazetteer import Gazetteer


def extract_files(
    paths: Sequence[str], *, gazetteer: Gazetteer | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Write ``{"id": ..., "incidents": [...]}`` per article to `out`; 1 if any file failed, else 0."""
    out, err = out or sys.stdout, err or sys.stderr
    status = 0
    for path in paths:
        try:
            for article in read_articles(path):
                incidents = extract(
                    text=str(article["text"]),
                    published=article.get("published"),  # type: ignore[arg-type]
                    title=article.get("title"),  # type: ignore[arg-type]
                    gazetteer=gazetteer,
                )
                records = [incident.as_json() for incident in incidents]
                out.write(json.dumps({"id": article["id"], "incidents": records}, ensure_ascii=False) + "\n")
        except ArticleFileError as error:
            print(f"error: {error}", file=err)
            status = 1
        except OSError as error:
            print(f"error: {path}: {error.strerror or error}", file=err)
            status = 1
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry; 2 on usage errors (argparse)."""
    parser = argparse.ArgumentParser(prog="python -m reports.extraction", description=__doc__)
    parser.add_argument("files", nargs="+", metavar="FILE", help=".jsonl, .txt or .html article files")
    parser.add_argument("--version", action="version", version=EXTRACTOR_VERSION)
    arguments = parser.parse_args(argv)
    return extract_files(arguments.files)
