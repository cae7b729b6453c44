"""The user's seed article (read from ../shared/seeds/, never copied into the repo)."""

from pathlib import Path

import pytest

from reports.extraction import extract

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"


def _seed_text() -> str:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("seed article not available")
    return files[0].read_text(encoding="utf-8")


def test_the_seed_article_gives_its_three_records() -> None:
    # The file carries no publication date; the article appeared on 2015-12-23.
    incidents = [incident.as_json() for incident in extract(text=_seed_text(), published="2015-12-23")]
    ghantu = [i for i in incidents if i["admin1"] == "Homs" and not i["aggregate"]]
    assert len(ghantu) == 1
    assert (
        ghantu[0]["date_start"],
        ghantu[0]["killed_min"],
        ghantu[0]["children_killed"],
        ghantu[0]["women_killed"],
    ) == ("2015-10-15", 46, 32, 11)
    assert ghantu[0]["geonameid"] == 173311
    ariha = [i for i in incidents if i["admin1"] == "Idlib" and not i["aggregate"]]
    assert len(ariha) == 1
    assert (ariha[0]["killed_min"], ariha[0]["country"]) == (49, "SY")
    aggregates = [i for i in incidents if i["aggregate"]]
    assert len(aggregates) == 1
    assert (
        aggregates[0]["country"],
        aggregates[0]["killed_min"],
        aggregates[0]["date_start"],
        aggregates[0]["date_end"],
    ) == ("SY", 200, "2015-09-30", "2015-11-29")
