"""The command line and the article readers."""

import json
from pathlib import Path

import pytest

from reports.extraction.cli import main
from reports.extraction.readers import ArticleFileError, read_articles


def test_txt_headers_and_body(tmp_path: Path) -> None:
    file = tmp_path / "case1.txt"
    file.write_text(
        "Title: Strike\nPublished: 2016-02-16\nSource: Wire\nURL: http://x\n\n"
        "Missiles killed 14 civilians in Azaz, Syria, on Monday.\n",
        encoding="utf-8",
    )
    (article,) = list(read_articles(file))
    assert (article["id"], article["title"], article["published"], article["source"], article["url"]) == (
        "case1",
        "Strike",
        "2016-02-16",
        "Wire",
        "http://x",
    )
    assert article["text"].startswith("Missiles killed")


def test_cli_prints_one_json_line_per_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "batch.jsonl"
    records = [
        {"id": "a", "published": "2016-02-16", "text": "Missiles killed 14 civilians in Azaz, Syria, on Monday."},
        {"id": "b", "published": "2016-02-16", "text": "Nothing happened."},
    ]
    file.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert main([str(file)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["incidents"][0]["killed_min"] == 14
    assert lines[1]["incidents"] == []


def test_bad_files_give_a_message_and_nonzero_exit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\xff\xfe\x00\x81" * 100)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json", encoding="utf-8")
    assert main([str(junk), str(broken), str(tmp_path / "missing.txt")]) == 1
    err = capsys.readouterr().err
    for expected in ("junk.txt", "broken.jsonl:1", "missing.txt"):
        assert expected in err
    assert "Traceback" not in err


def test_unsupported_suffix_is_rejected(tmp_path: Path) -> None:
    file = tmp_path / "a.pdf"
    file.write_bytes(b"%PDF")
    with pytest.raises(ArticleFileError):
        list(read_articles(file))


def test_html_files_are_read(tmp_path: Path) -> None:
    file = tmp_path / "page.html"
    body = (
        "<p>"
        + "An air strike killed 9 civilians in the town of Saraqib in Syria on Monday, activists said. " * 3
        + "</p>"
    )
    file.write_text(
        "<html><head><title>Strike</title><meta property='article:published_time' content='2019-07-23'></head>"
        f"<body><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    (article,) = list(read_articles(file))
    assert "Saraqib" in article["text"]
