"""Gazetteer records, lookups and disambiguation."""

from pathlib import Path

import pytest

from reports.extraction import extract
from reports.extraction.contract import LocationPrecision
from reports.extraction.gazetteer import Admin1Record, Gazetteer, PlaceRecord, geonames_dump_records
from reports.extraction.text import name_key


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


def test_name_keys_ignore_articles_accents_and_hyphens() -> None:
    assert name_key("al-Ghantu") == name_key("Al Ghanţū")
    assert name_key("Ḩalfāyā") == name_key("Halfaya")


def test_the_default_gazetteer_names_admin1s_in_geonames_english(gazetteer: Gazetteer) -> None:
    assert gazetteer.admin1_name("SY", "12") == "Idlib"
    assert gazetteer.admin1_name("SY", "08") == "Rif-dimashq"
    assert gazetteer.admin1_name("IQ", "07") == "Mayorality of Baghdad"


def test_news_spellings_of_admin1s_resolve(gazetteer: Gazetteer) -> None:
    assert ("SY", "07") in gazetteer.admin1s_named(name_key("Deir al-Zour"))
    assert ("UA", "17") in gazetteer.admin1s_named(name_key("Odesa"))


def test_an_ambiguous_name_follows_the_article_country() -> None:
    text = "A strike on the town of Ariha in Syria's Idlib province killed 12 civilians on Monday."
    (incident,) = extract(text=text, published="2016-03-02")
    assert (incident.country, incident.location.admin1, incident.location.geonameid) == ("SY", "Idlib", 172994)
    west_bank = "Israeli troops shot dead two Palestinians in Ariha in the occupied West Bank on Monday."
    (incident,) = extract(text=west_bank, published="2016-03-02")
    assert (incident.country, incident.location.admin1) == ("PS", "West Bank")


def test_from_records_builds_a_working_gazetteer() -> None:
    gazetteer = Gazetteer.from_records(
        admin1s=[Admin1Record(country="ZZ", code="01", name="Northshire", aliases=("North Province",))],
        places=[
            PlaceRecord(
                geonameid=1,
                name="Qaryat Ţawīlah",
                ascii_name="Qaryat Tawilah",
                alternate_names=("Tawila",),
                country="ZZ",
                admin1_code="01",
                lat=1.0,
                lon=2.0,
                population=900,
            )
        ],
    )
    assert [place.name for place in gazetteer.places_named(name_key("Qaryat Tawilah"))] == ["Qaryat Ţawīlah"]
    assert gazetteer.admin1s_named(name_key("North Province")) == (("ZZ", "01"),)


def test_geonames_dump_rows_become_places(tmp_path: Path) -> None:
    row = [
        "172994",
        "Arīḩā",
        "Ariha",
        "Ariha,أريحا",
        "35.81",
        "36.61",
        "P",
        "PPL",
        "SY",
        "",
        "12",
        "",
        "",
        "",
        "0",
        "",
        "300",
        "Asia/Damascus",
        "2020-01-01",
    ]
    other = list(row)
    other[6] = "H"
    dump = tmp_path / "SY.txt"
    dump.write_text("\t".join(row) + "\n" + "\t".join(other) + "\nbroken line\n", encoding="utf-8")
    (place,) = list(geonames_dump_records(dump))
    assert (place.geonameid, place.admin1_code, place.alternate_names) == (172994, "12", ("Ariha", "أريحا"))


def test_a_gazetteer_from_records_is_used_instead_of_the_default() -> None:
    gazetteer = Gazetteer.from_records(
        admin1s=[Admin1Record(country="SY", code="12", name="Idlib", aliases=("Idleb",))],
        places=[
            PlaceRecord(
                geonameid=7,
                name="Qaryat Test",
                ascii_name="Qaryat Test",
                alternate_names=("Qaryet Test",),
                country="SY",
                admin1_code="12",
                lat=35.9,
                lon=36.6,
                population=1200,
            ),
        ],
    )
    text = "An air strike on the village of Qaryet Test in Idleb province killed 7 civilians on Monday."
    (incident,) = extract(text=text, published="2016-03-02", gazetteer=gazetteer)
    location = incident.location
    assert (location.name, location.admin1, location.geonameid) == ("Qaryat Test", "Idlib", 7)
    assert (location.lat, location.lon, location.precision) == (35.9, 36.6, LocationPrecision.PLACE)
