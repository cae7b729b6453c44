"""Which place of a report is where the event happened (roles of place mentions), in our own words."""

import pytest

from reports.extraction import extract
from reports.extraction.gazetteer import Gazetteer
from reports.extraction.gazetteer.index import spelling_skeleton
from reports.extraction.places.roles import Role, dateline_end, mention_role
from reports.extraction.text import name_key


def _role(text: str, name: str, **options: object) -> Role:
    start = text.index(name)
    return mention_role(text, start, start + len(name), **options)  # type: ignore[arg-type]


def _places(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [
        (incident.country, incident.location.admin1, incident.location.name)
        for incident in extract(text=text, published="2016-03-08")
    ]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("HAMA — A car bomb killed six people in Salamiyah.", "HAMA"),
        ("Tartus: Shelling killed five people on Monday.", "Tartus"),
        ("KASSALA, March 7 (Agency) — Gunmen killed six herders.", "KASSALA"),
        ("MOSUL, Iraq — A roadside bomb killed two soldiers.", "MOSUL"),
        ("Sirte (Agency) Shelling killed five people.", "Sirte"),
    ],
)
def test_a_place_opening_the_text_before_a_dash_colon_or_agency_is_the_dateline(text: str, place: str) -> None:
    end = dateline_end(text)
    assert end > 0
    assert _role(text, place, dateline=end) == Role.DATELINE


def test_an_ordinary_opening_sentence_has_no_dateline() -> None:
    assert dateline_end("Shelling killed five people in Salamiyah on Monday.") == 0
    assert dateline_end("At least 40 people were killed - most of them children.") == 0


@pytest.mark.parametrize(
    ("text", "place", "role"),
    [
        ("the interior ministry in Baghdad said 12 were wounded", "Baghdad", Role.SPEAKER),
        ("speaking by telephone from Kassala, the official said", "Kassala", Role.SPEAKER),
        ("the London-based monitor said", "London", Role.SPEAKER),
        ("gunmen killed seven shepherds in a village 30 km north of Kirkuk", "Kirkuk", Role.REFERENCE),
        ("an ambush in a village near Gwoza killed 15", "Gwoza", Role.REFERENCE),
        ("a drone hit a car on the Homs-Tartus highway", "Homs", Role.REFERENCE),
        ("a drone hit a car on the Homs-Tartus highway", "Tartus", Role.REFERENCE),
        ("Tallafar's deputy mayor said four were killed", "Tallafar", Role.REFERENCE),
        ("amid the war in Darfur, six were killed in Nyala", "Darfur", Role.CONTEXT),
        ("the wounded were taken to hospital in Mosul", "Mosul", Role.CONTEXT),
        ("a patrol returning from Djibo was ambushed", "Djibo", Role.ORIGIN),
        ("a rocket barrage from Lebanon hit the town", "Lebanon", Role.ORIGIN),
        ("air raids by Damascus and its allies killed 14 in Saraqib", "Damascus", Role.ACTOR),
        ("the stronghold of the Lions Brigade", "Lions", Role.ACTOR),
        ("the Delta 9 channel reported", "Delta", Role.OUTLET),
        ("a bomb hit the Sennar Regional Hospital", "Sennar", Role.CONTEXT),
        ("a car bomb killed nine people in Jableh on Sunday", "Jableh", Role.EVENT),
        ("gunmen attacked a checkpoint near Nablus", "Nablus", Role.EVENT),
        ("in the nearby town of Saraqib, shells wounded 14", "Saraqib", Role.EVENT),
    ],
)
def test_the_words_around_a_place_give_its_role(text: str, place: str, role: Role) -> None:
    assert _role(text, place) == role


def test_a_name_that_only_begins_an_armed_group_s_name_is_an_actor() -> None:
    text = "fighters of the pro-army Zawiya Sky militia killed 30"
    start = text.index("Zawiya")
    run_end = text.index(" militia")
    assert mention_role(text, start, start + len("Zawiya"), run_end=run_end) == Role.ACTOR


def test_an_opening_place_described_as_a_stronghold_is_the_setting() -> None:
    text = "Tallafar, where the group is strong, has seen many attacks."
    assert _role(text, "Tallafar", opening=True) == Role.CONTEXT
    # The same words after a toll describe the place of the event.
    later = "A bomb killed 12 in Tallafar, where the group is strong."
    assert _role(later, "Tallafar") == Role.EVENT


def test_the_dateline_city_is_not_the_event_place() -> None:
    text = "KASSALA, March 7 (Agency) — Gunmen killed six herders in a raid on a village in the east on Monday."
    assert _places(text) == [("SD", None, None)]


def test_the_seat_of_the_ministry_that_speaks_is_not_the_event_place() -> None:
    text = "The interior ministry in Baghdad said 12 people were wounded when a bomb went off in Ramadi on Monday."
    assert _places(text) == [("IQ", "Anbar", "Ramadi")]


def test_where_the_official_spoke_from_is_not_the_event_place() -> None:
    text = (
        "Speaking by telephone from Kassala, a local official said six women were killed when gunmen "
        "raided a market in Gedaref on Monday."
    )
    ((country, admin1, _name),) = _places(text)
    assert (country, admin1) == ("SD", "Al Qadarif")


def test_a_bearing_from_a_town_gives_its_division_but_not_its_name() -> None:
    text = "Gunmen killed seven shepherds in a village 30 km north of Kirkuk on Tuesday, police said."
    assert _places(text) == [("IQ", "Muhafazat Kirkuk", None)]


def test_north_of_the_capital_is_a_bearing_not_the_capital() -> None:
    text = (
        "Shelling killed eight people in Douma on Monday, rescuers said.\n\n"
        "Meanwhile, an ambush in the hills north of the capital killed 20 soldiers on Sunday."
    )
    places = _places(text)
    assert places[0] == ("SY", "Rif-dimashq", "Dūmā")
    assert places[1][2] != "Damascus"


def test_a_toll_after_a_topic_shift_does_not_take_the_previous_division() -> None:
    text = (
        "Shelling killed eight people in Douma on Monday, rescuers said.\n\n"
        "In the east, a car bomb killed two guards at an army base on Monday, state media said."
    )
    assert _places(text) == [("SY", "Rif-dimashq", "Dūmā"), ("SY", None, None)]


def test_a_place_named_inside_a_district_is_finer_than_the_district() -> None:
    text = "Shelling killed a woman in Velykyi Burluk in the Kupiansk district on Monday, the governor said."
    assert _places(text) == [("UA", "Kharkiv", "Velykyi Burluk")]


def test_an_unknown_neighbourhood_keeps_the_article_spelling() -> None:
    text = "A mortar round killed four people in the Qasrawi neighbourhood of Hama on Sunday, activists said."
    assert _places(text) == [("SY", "Hama", "Qasrawi")]


def test_initials_are_not_read_as_a_town_abroad() -> None:
    text = (
        "Gunmen killed 12 members of the VDP in Djibo on Monday, security sources said. The VDP said it would respond."
    )
    assert [country for country, _admin1, _name in _places(text)] == ["BF"]


def test_the_dateline_country_wins_over_a_bigger_namesake_abroad() -> None:
    # No country is named; "Hangu" is also a large Chinese district, but the dateline is Pakistani.
    text = "MARDAN, May 2: A bomb killed three people at a bus stand in Hangu on Friday, police said."
    assert _places(text) == [("PK", "Khyber Pakhtunkhwa", "Hangu")]


def test_a_country_named_only_as_a_neighbour_does_not_take_the_story() -> None:
    text = (
        "Gunmen killed 30 villagers in the village of Umm Hosh near Tal Abyad on Thursday, a Syrian monitor "
        "said. The attackers had crossed the border with Turkey at night. Turkey said it was treating "
        "the wounded in hospitals in Akcakale, and Turkey said it had closed the border."
    )
    assert _places(text)[0][0] == "SY"


def test_spelling_variants_share_a_skeleton() -> None:
    assert spelling_skeleton(name_key("Qamishli")) == spelling_skeleton(name_key("Kamishly"))
    assert spelling_skeleton(name_key("Raqqa")) == spelling_skeleton(name_key("Rakka"))
    assert spelling_skeleton(name_key("Homs")) != spelling_skeleton(name_key("Hama"))


def test_a_town_spelled_with_other_vowels_is_found_in_the_article_country() -> None:
    gazetteer = Gazetteer.default()
    found = gazetteer.fuzzy_place(name_key("Kfar Nobol"), countries=["SY"])
    assert found is not None
    assert found.name == "Kafranbel"


def test_a_division_spelled_with_other_vowels_is_found() -> None:
    text = "The army killed six militants in Salahadeen province on Sunday, the ministry said."
    assert _places(text) == [("IQ", "Salah ad Din Governorate", None)]


def test_a_village_named_after_a_bearing_is_the_place_and_the_town_its_reference() -> None:
    text = (
        "Gunmen attacked a village in Babil province, killing nine farmers, police said on Monday.\n\n"
        "The attack took place in the village of al Qasabiya northeast of Hilla."
    )
    assert _places(text) == [("IQ", "Babil", "al Qasabiya")]


def test_the_same_district_points_back_to_the_place_told_before() -> None:
    text = (
        "A roadside bomb killed 11 people on a bus in Shindand district in Herat province on Monday, police said.\n\n"
        "A village elder put the toll at 13.\n\n"
        '"It was a huge blast," he said. "Most of the dead were farmers."\n\n'
        "A local official said a tractor hit another roadside bomb on Monday in the same district, "
        "wounding three men."
    )
    places = _places(text)
    assert len(places) == 2
    assert places[1] == places[0]


def test_the_capital_of_a_region_is_the_region_s_main_town() -> None:
    text = "Nine people died on Monday when a drone struck the capital of the Tigray region in Ethiopia."
    assert _places(text) == [("ET", "Tigray", "Mek'ele")]
