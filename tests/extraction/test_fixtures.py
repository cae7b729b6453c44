"""Fixture articles (tests/fixtures/articles/<case>.txt + .expected.json), one case a file.

Each expected incident is matched to one predicted incident by country, admin1
(normalised), dates overlapping with a day of slack and the aggregate flag;
then every field the fixture gives must be equal, and the counts must agree.
"""

import json
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest

from reports.extraction import extract
from reports.extraction.readers import read_articles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
CASES = (
    sorted(path for path in FIXTURES.glob("*.txt") if path.with_suffix(".expected.json").exists())
    if FIXTURES.is_dir()
    else []
)


def _admin1_key(name: str | None) -> str | None:
    if name is None:
        return None
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"['`]", "", folded)
    folded = re.sub(r"\b(governorate|province|oblast|state|region|muhafazat|mayorality of|the)\b", " ", folded)
    folded = re.sub(r"\b(al|ar|as|ad|an|at|az|el|ash)\b[ -]", "", folded)
    return re.sub(r"[^a-z0-9]", "", folded)


def _compatible(expected: dict, predicted: dict) -> bool:
    if bool(expected.get("aggregate")) != bool(predicted.get("aggregate")):
        return False
    if "country" in expected and expected["country"] != predicted["country"]:
        return False
    if "admin1" in expected and _admin1_key(expected["admin1"]) != _admin1_key(predicted["admin1"]):
        return False
    if "date_start" in expected:
        slack = timedelta(days=1)
        es = date.fromisoformat(expected["date_start"])
        ee = date.fromisoformat(expected.get("date_end") or expected["date_start"])
        ps, pe = date.fromisoformat(predicted["date_start"]), date.fromisoformat(predicted["date_end"])
        if not (ps <= ee + slack and es <= pe + slack):
            return False
    return True


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_fixture_article(case: Path) -> None:
    (article,) = list(read_articles(case))
    expected = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))["incidents"]
    predicted = [
        incident.as_json()
        for incident in extract(text=str(article["text"]), published=article["published"], title=article["title"])  # type: ignore[arg-type]
    ]
    assert len(predicted) == len(expected), json.dumps(predicted, indent=1, ensure_ascii=False)
    unused = list(predicted)
    for wanted in expected:
        match = next((p for p in unused if _compatible(wanted, p)), None)
        assert match is not None, f"no predicted incident matches {wanted}"
        unused.remove(match)
        for field, value in wanted.items():
            if field in ("admin1", "date_end", "evidence"):
                continue
            assert match[field] == value, f"{field}: predicted {match[field]!r}, expected {value!r}"


def test_every_fixture_article_is_a_case() -> None:
    """An article without its .expected.json, or the reverse, would drop out of CASES unnoticed."""
    articles = {path.name.removesuffix(".txt") for path in FIXTURES.glob("*.txt")}
    expectations = {path.name.removesuffix(".expected.json") for path in FIXTURES.glob("*.expected.json")}
    assert articles == expectations
    assert len(CASES) == len(articles) > 0
