"""Fixtures shared by the casualties tests: the reference datasets' gazetteer, small exports (written by us)
and a comparison's incidents."""

import datetime
from pathlib import Path

import pytest

from tests.factories import Admin1Factory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reference"


@pytest.fixture
def reference_gazetteer(db):
    """Idlib (also spelled Idleb) and Aleppo (also Halab): what the reference exports are matched against."""
    return {
        "Idlib": Admin1Factory(country="SY", code="12", name="Idlib", aliases=["Idleb"]),
        "Aleppo": Admin1Factory(country="SY", code="09", name="Aleppo", aliases=["Halab"]),
    }


@pytest.fixture
def reference_file():
    """The path of one of the small exports in tests/fixtures/reference."""
    return lambda name: FIXTURES / name


@pytest.fixture
def compared(reference_gazetteer, reference_file):
    """ACLED's small export imported, and four incidents of ours (hand-computed answers in the tests).

    A: Idlib, 17 Feb, a point 1.4 km from SYR1001's: matches SYR1001 (a day apart).
    B: Idlib, 25 Feb: five days after SYR1002, ours only.
    C: Aleppo, 20 March, division only: inside SYR1003's month, matches it.
    D: Idlib, 16 Feb, a point 36 km east of SYR1001's: too far, ours only.
    Theirs only: SYR1002 and SYR1005 (no division); SYR1006, a protest with no deaths, is left out.
    """
    from casualties.reference.importing import reference_import
    from tests.factories import IncidentFactory

    reference_import(format="acled", path=reference_file("acled.csv"))

    def incident(admin1: str, day: datetime.date, killed: tuple[int, int], point=None):
        where = (
            {"location_precision": "place", "place_name": "Kafr Tala", "lat": point[0], "lon": point[1]}
            if point
            else {}
        )
        return IncidentFactory(
            admin1=reference_gazetteer[admin1],
            date_start=day,
            date_end=day,
            killed_min=killed[0],
            killed_max=killed[1],
            **where,
        )

    return {
        "A": incident("Idlib", datetime.date(2023, 2, 17), (3, 5), point=(35.91, 36.61)),
        "B": incident("Idlib", datetime.date(2023, 2, 25), (6, 6)),
        "C": incident("Aleppo", datetime.date(2023, 3, 20), (7, 9)),
        "D": incident("Idlib", datetime.date(2023, 2, 16), (1, 1), point=(35.90, 37.0)),
    }
