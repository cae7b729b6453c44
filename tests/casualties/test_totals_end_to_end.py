"""Issue 16's "done when": reports of one week in one governorate, filed, give quotable totals on every surface.

Five reports, in our own words, from three outlets:
- a total told with its parts: 44 killed by Monday's strikes, 37 in Ariha and 7 in Saraqib;
- a second outlet revising the Ariha toll to 41;
- a monitor's period toll: 310 killed in the governorate in March (an aggregate);
- an injured-only event: shelling wounded 12 in Maarat al-Numan on Wednesday;
- a third outlet on the other part: seven died in Saraqib.

By hand: three incidents, Ariha 37 to 41 killed, Saraqib 7, Maarat al-Numan 12 injured and no
killed figure. So 44 to 48 killed in 2 incidents (1 with no killed figure), 12 injured in 1
incident (2 with none), and the 310 apart, beside the 44 to 48 the incidents add up to.
"""

import csv
import datetime
import io
import re

import pytest

from casualties.services import filing
from reports.extraction.contract import (
    DatePrecision,
    Dates,
    EventType,
    Evidence,
    ExtractedIncident,
    Figures,
    Location,
    LocationPrecision,
)
from reports.services import extracting
from tests.factories import Admin1Factory, ArticleFactory, SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

MONDAY = datetime.date(2016, 3, 7)
WEDNESDAY = datetime.date(2016, 3, 9)

# (key, outlet, published, text); the texts are ours, the places real towns of Idlib governorate.
REPORTS = [
    (
        "parts",
        "North Wire",
        datetime.date(2016, 3, 8),
        "Air strikes on Monday killed 44 people in Idlib governorate: 37 in the town of Ariha "
        "and 7 in Saraqib, rescue workers said.",
    ),
    (
        "revised",
        "Valley Courier",
        datetime.date(2016, 3, 9),
        "The death toll from Monday's air strike on Ariha in Idlib province has risen to 41, "
        "the civil defence said on Tuesday.",
    ),
    (
        "period",
        "Casualty Monitor",
        datetime.date(2016, 4, 2),
        "A monitoring group said on Saturday that 310 people were killed in Idlib governorate during March.",
    ),
    (
        "injured",
        "North Wire",
        datetime.date(2016, 3, 10),
        "Shelling wounded 12 people in Maarat al-Numan in Idlib province on Wednesday, medics said.",
    ),
    (
        "other_part",
        "Hill Gazette",
        datetime.date(2016, 3, 9),
        "Seven people died in Monday's air strike on Saraqib in Idlib province, the local council said.",
    ),
]

# What the engine should find in each report: (place, lat, lon, first day, last day, figures, aggregate, event type).
SHOULD_FIND = {
    "parts": [
        ("Ariha", 35.81, 36.61, MONDAY, MONDAY, Figures(killed_min=37, killed_max=37), False, "air_drone_strike"),
        ("Saraqib", 35.86, 36.80, MONDAY, MONDAY, Figures(killed_min=7, killed_max=7), False, "air_drone_strike"),
    ],
    "revised": [
        ("Ariha", 35.81, 36.61, MONDAY, MONDAY, Figures(killed_min=41, killed_max=41), False, "air_drone_strike"),
    ],
    "period": [
        (
            None,
            None,
            None,
            datetime.date(2016, 3, 1),
            datetime.date(2016, 3, 31),
            Figures(killed_min=310, killed_max=310),
            True,
            "other",
        ),
    ],
    "injured": [
        (
            "Maarat al-Numan",
            35.65,
            36.67,
            WEDNESDAY,
            WEDNESDAY,
            Figures(injured_min=12, injured_max=12),
            False,
            "shelling_artillery_missile",
        ),
    ],
    "other_part": [
        ("Saraqib", 35.86, 36.80, MONDAY, MONDAY, Figures(killed_min=7, killed_max=7), False, "air_drone_strike"),
    ],
}


@pytest.fixture
def articles():
    Admin1Factory(country="SY", code="12", name="Idlib")
    sources = {}
    made = {}
    for key, outlet, published, text in REPORTS:
        source = sources.setdefault(outlet, SourceFactory(name=outlet))
        made[key] = ArticleFactory(
            source=source,
            title=key,
            text=text,
            published_at=datetime.datetime.combine(published, datetime.time(9), tzinfo=datetime.UTC),
        )
    return made


def _found(text: str, place, lat, lon, first, last, figures, aggregate, event_type) -> ExtractedIncident:
    return ExtractedIncident(
        country="SY",
        dates=Dates(start=first, end=last, precision=DatePrecision.SPAN if first != last else DatePrecision.DAY),
        evidence=Evidence(text=text, start=0, end=len(text)),
        figures=figures,
        location=Location(
            name=place,
            lat=lat,
            lon=lon,
            admin1="Idlib",
            admin1_code="12",
            precision=LocationPrecision.PLACE if place else LocationPrecision.ADMIN1,
        ),
        event_type=EventType(event_type),
        aggregate=aggregate,
        confidence=0.9,
    )


def _file_what_the_engine_should_find(articles) -> None:
    # One article at a time, in the order they came in, as ingestion files them.
    for key, *_rest in REPORTS:
        article = articles[key]
        found = [_found(article.text, *values) for values in SHOULD_FIND[key]]
        filing.articles_file_incidents(batch=[(article, found)], extractor_version="test-1")


def _headline(html: str, name: str) -> tuple[str | None, str, str]:
    low = re.search(rf'data-total-low="{name}">(\d+)<', html)
    value = re.search(rf'data-total="{name}">([^<]*)<', html).group(1)
    reported = re.search(rf'data-reported="{name}">([^<]*)<', html).group(1)
    return (low.group(1) if low else None, value, reported)


def _assert_every_surface_gives_the_hand_computed_ranges(client) -> None:
    # The dashboard's headline: the aggregate apart, the unknown injured figure unknown.
    html = client.get("/").content.decode()
    assert re.search(r'data-total="incidents">(\d+)<', html).group(1) == "3"
    assert _headline(html, "killed") == ("44", "48", "in 2 incidents; 1 incident with no killed figure")
    assert _headline(html, "injured") == (None, "12", "in 1 incident; 2 incidents with no injured figure")

    # The governorate table: one row, the same ranges.
    table = html[html.index('id="admin1-table"') :]
    row = re.search(
        r'Idlib</a></th>\s*<td class="num">([^<]*)</td><td class="num">([^<]*)</td>'
        r'<td class="num">([^<]*)</td>',
        table,
    )
    assert row.groups() == ("44–48", "12", "3")

    # The reported period total, apart, beside what the incidents add up to.
    tolls = client.get("/api/v1/aggregates/").json()
    assert tolls["count"] == 1
    (toll,) = tolls["results"]
    assert (toll["killed_max"], toll["date_start"], toll["date_end"], toll["admin1"]["name"]) == (
        310,
        "2016-03-01",
        "2016-03-31",
        "Idlib",
    )
    coverage = toll["coverage"]
    assert (coverage["killed_min"], coverage["killed"], coverage["injured"], coverage["incidents"]) == (44, 48, 12, 3)
    cell = re.search(r'data-coverage="\d+">(.*?)</td>', html, re.S).group(1)
    assert "44–48 killed in 3 incidents" in cell
    assert "of the 310 reported" in cell

    # /api/v1/stats/admin1/
    assert client.get("/api/v1/stats/admin1/").json() == [
        {
            "admin1_id": toll["admin1"]["id"],
            "country": "SY",
            "code": "12",
            "name": "Idlib",
            "display_name": "Idlib",
            "killed": 48,
            "killed_min": 44,
            "injured": 12,
            "incidents": 3,
            "incidents_with_killed": 2,
            "incidents_with_injured": 1,
        }
    ]

    # /api/v1/stats/timeline/: March has the incidents, not the toll; by day, Monday's injured is unknown.
    months = client.get("/api/v1/stats/timeline/", {"interval": "month"}).json()["results"]
    assert [(r["period"], r["killed_min"], r["killed"], r["injured"], r["incidents"]) for r in months] == [
        ("2016-03-01", 44, 48, 12, 3)
    ]
    days = client.get("/api/v1/stats/timeline/", {"interval": "day"}).json()["results"]
    assert [(r["period"], r["killed_min"], r["killed"], r["injured"], r["incidents"]) for r in days] == [
        ("2016-03-07", 44, 48, None, 2),
        ("2016-03-09", None, None, 12, 1),
    ]

    # The CSV export: three incidents, unknown figures as empty cells.
    response = client.get("/api/v1/incidents/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    figures = sorted((row["killed_min"], row["killed_max"], row["injured_max"]) for row in rows)
    assert figures == [("", "", "12"), ("37", "41", ""), ("7", "7", "")]


def test_what_the_engine_should_find_gives_the_hand_computed_ranges_everywhere(client, articles):
    _file_what_the_engine_should_find(articles)
    _assert_every_surface_gives_the_hand_computed_ranges(client)


def test_the_engine_and_filing_give_the_hand_computed_ranges_everywhere(client, articles, monkeypatch):
    monkeypatch.setattr(extracting, "gazetteer_provider", lambda: lambda: None)  # the engine's own gazetteer
    for key, *_rest in REPORTS:
        assert extracting.articles_extract(article_ids=[articles[key].pk]) == {}
    _assert_every_surface_gives_the_hand_computed_ranges(client)
