"""load_gazetteer fills the gazetteer from package data and GeoNames dumps, and finds news spellings."""

import pytest
from django.core.management import CommandError, call_command

from casualties.models import Admin1, Place
from casualties.selectors.places import name_key, place_search

pytestmark = pytest.mark.django_db

# Two rows in the GeoNames dump format (19 tab-separated columns): a village the package
# data lacks (population under 500) and a non-populated feature that must be skipped.
DUMP = (
    "\n".join(
        [
            "\t".join(
                [
                    "99000001",
                    "Kafr Testa",
                    "Kafr Testa",
                    "Kafr Testa,Kfar Testa,كفر تستا",
                    "35.7",
                    "36.6",
                    "P",
                    "PPL",
                    "SY",
                    "",
                    "12",
                    "",
                    "",
                    "",
                    "240",
                    "",
                    "300",
                    "Asia/Damascus",
                    "2020-01-01",
                ]
            ),
            "\t".join(
                [
                    "99000002",
                    "Jabal Testa",
                    "Jabal Testa",
                    "",
                    "35.8",
                    "36.7",
                    "T",
                    "MT",
                    "SY",
                    "",
                    "12",
                    "",
                    "",
                    "",
                    "0",
                    "",
                    "900",
                    "Asia/Damascus",
                    "2020-01-01",
                ]
            ),
        ]
    )
    + "\n"
)


def _load(*args: str) -> None:
    call_command("load_gazetteer", *args, verbosity=0)


def test_it_finds_ariha_in_idlib_and_al_ghantu_in_homs_by_their_news_spellings():
    _load("--country", "SY", "--country", "PS")
    for spelling in ["Ariha", "ariha", "Arīḩā"]:
        (ariha,) = place_search(query=spelling, country="SY")
        assert (ariha.geonameid, ariha.admin1.name) == (172994, "Idlib")
    for spelling in ["al-Ghantu", "Al Ghantu", "el-Ghantu", "Al-Ghantoo", "Ghantu", "الغنطو"]:
        (ghantu,) = place_search(query=spelling, country="SY")
        assert (ghantu.geonameid, ghantu.admin1.name) == (173311, "Homs")
    # Without a country, Ariha is also Jericho in the West Bank: both are offered.
    assert {(p.country, p.admin1.name) for p in place_search(query="Ariha")} == {("SY", "Idlib"), ("PS", "West Bank")}


def test_divisions_of_every_country_are_loaded_with_english_names_and_centres():
    _load("--country", "SY")
    assert Admin1.objects.values("country").distinct().count() > 200
    syria = dict(Admin1.objects.filter(country="SY").values_list("code", "name"))
    assert {syria["12"], syria["11"], syria["08"]} == {"Idlib", "Homs", "Rif-dimashq"}
    idlib = Admin1.objects.get(country="SY", code="12")
    assert 35 < idlib.lat < 37
    assert 35.5 < idlib.lon < 37.5


def test_loading_twice_changes_nothing():
    _load("--country", "SY")
    before = sorted(Place.objects.values_list("id", "geonameid", "admin1_id", "search_keys"))
    divisions = Admin1.objects.count()
    _load("--country", "SY")
    assert sorted(Place.objects.values_list("id", "geonameid", "admin1_id", "search_keys")) == before
    assert Admin1.objects.count() == divisions


def test_a_geonames_dump_adds_villages(tmp_path):
    dump = tmp_path / "SY.txt"
    dump.write_text(DUMP, encoding="utf-8")
    _load("--skip-package", "--geonames-file", str(dump))
    (village,) = place_search(query="Kfar Testa", country="SY")
    assert (village.geonameid, village.population, village.admin1.name) == (99000001, 240, "Idlib")
    assert "كفر تستا" in village.alternate_names
    assert not Place.objects.filter(geonameid=99000002).exists()


def test_a_file_that_is_not_a_dump_is_refused_clearly(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("this is not a GeoNames dump\n")
    with pytest.raises(CommandError, match="no populated places found"):
        _load("--skip-package", "--geonames-file", str(junk))
    with pytest.raises(CommandError, match="no such file"):
        _load("--geonames-file", str(tmp_path / "missing.txt"))


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Al Ghanţū", "ghantu"),
        ("al-Ghantu", "ghantu"),
        ("Deir ez-Zor", "deirezzor"),
        ("Ma‘arrat an Nu‘mān", "maarratannuman"),
        ("الغنطو", "الغنطو"),
    ],
)
def test_name_keys_fold_case_diacritics_and_articles(spelling, key):
    assert name_key(spelling) == key


def test_the_engine_reads_the_database_only_once_a_dump_is_loaded(tmp_path):
    from casualties.selectors.places import gazetteer_for_extraction
    from reports.extraction import extract

    _load("--country", "SY")
    assert gazetteer_for_extraction() is None  # the package data the engine ships with is the same
    dump = tmp_path / "SY.txt"
    dump.write_text(DUMP, encoding="utf-8")
    _load("--skip-package", "--geonames-file", str(dump))
    gazetteer = gazetteer_for_extraction()
    assert gazetteer is not None
    assert gazetteer_for_extraction() is gazetteer  # built once per process
    text = "Shelling hit the village of Kfar Testa in Idlib province on Monday, killing 3 civilians."
    (found,) = extract(text=text, published="2016-03-09", gazetteer=gazetteer)
    assert (found.location.geonameid, found.location.admin1, found.figures.killed_max) == (99000001, "Idlib", 3)
