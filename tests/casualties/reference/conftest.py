"""The gazetteer the reference tests match against, and the paths of their small CSV exports (written by us)."""

from pathlib import Path

import pytest

from tests.factories import Admin1Factory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "reference"


@pytest.fixture
def idlib(db):
    return Admin1Factory(country="SY", code="12", name="Idlib", aliases=["Idleb"])


@pytest.fixture
def aleppo(db):
    return Admin1Factory(country="SY", code="09", name="Aleppo", aliases=["Halab"])


@pytest.fixture
def gazetteer(idlib, aleppo):
    return {"Idlib": idlib, "Aleppo": aleppo}


@pytest.fixture
def fixture_path():
    return lambda name: FIXTURES / name
