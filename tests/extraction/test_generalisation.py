"""Error classes found on unseen wording, each pinned by a short article in our own words.

Every case here failed before the 2026.11.2 rules: background tolls folded
into the lead incident, war-long totals read as incidents, quotes and
anniversaries opening incidents, capitals and person names taken for places.
"""

from __future__ import annotations

from reports.extraction import extract


def incidents(text: str, published: str = "2016-03-15") -> list[dict[str, object]]:
    """The engine's incidents as the JSON records the guide's field names describe."""
    return [incident.as_json() for incident in extract(text=text, published=published)]


def events(found: list[dict[str, object]]) -> list[dict[str, object]]:
    return [incident for incident in found if not incident["aggregate"]]


def totals(found: list[dict[str, object]]) -> list[dict[str, object]]:
    return [incident for incident in found if incident["aggregate"]]


# --- War-long tolls are totals, never the lead incident's toll -------------------------------


def test_a_five_year_conflict_toll_is_an_aggregate_not_a_toll_update() -> None:
    found = incidents(
        "At least 30 people died in air strikes on rebel-held parts of Aleppo on Monday, the Observatory said.\n\n"
        "Over 470,000 people have died in the five-year conflict, according to one estimate."
    )
    assert [(i["killed_min"], i["killed_max"]) for i in events(found)] == [(30, 30)]
    [total] = totals(found)
    assert total["killed_min"] == 470000
    assert total["date_start"] <= "2011-12-31"


def test_an_insurgency_that_has_killed_thousands_is_background() -> None:
    found = incidents(
        "Troops and Islamist fighters clashed in the Somali town of Beledweyne on Tuesday, leaving 11 dead.\n\n"
        "Al-Shabaab has killed thousands of people in its decade-long insurgency."
    )
    assert [i["killed_max"] for i in events(found)] == [11]
    assert [i["killed_min"] for i in totals(found)] == [1000]


def test_a_battle_that_has_killed_a_thousand_is_a_running_total() -> None:
    found = incidents(
        "Shells hit a clinic in the Libyan capital Tripoli on Sunday, wounding four medics.\n\n"
        "The battle for the city has killed more than 1,000 people, the World Health Organization says."
    )
    assert [i["injured_min"] for i in events(found)] == [4]
    assert [i["killed_min"] for i in totals(found)] == [1000]


def test_a_crisis_toll_since_late_in_a_year_is_an_aggregate() -> None:
    found = incidents(
        "Soldiers and separatists fought in the streets of Bamenda on Sunday, and 12 fighters were killed.\n\n"
        "Monitors say more than 400 civilians have been killed in the crisis since late 2016.",
        published="2018-10-03",
    )
    [total] = totals(found)
    assert total["killed_min"] == 400
    assert total["date_start"].startswith("2016")


def test_a_past_offensive_with_a_year_is_history_not_a_toll_update() -> None:
    found = incidents(
        "A blast at a mosque in the Pakistani city of Quetta killed 15 worshippers during Friday prayers.\n\n"
        "Quetta is the capital of Baluchistan province.\n\n"
        "Violence has fallen since a 2014 army offensive, which officials say killed more than 3,500 militants."
    )
    assert [(i["killed_min"], i["killed_max"]) for i in found] == [(15, 15)]


def test_the_fighting_has_killed_within_days_stays_an_incident() -> None:
    found = incidents("The fighting in the Syrian town of Saraqib has killed 14 people since Sunday, medics said.")
    assert [i["aggregate"] for i in found] == [False]


# --- Totals phrased without "since" or "between" ---------------------------------------------


def test_a_toll_for_a_calendar_year_is_an_aggregate() -> None:
    found = incidents(
        "An air strike on a school in the Syrian town of Saraqib killed 9 pupils on Wednesday.\n\n"
        "UNICEF said 1,500 children had been killed in Syria in 2016."
    )
    [total] = totals(found)
    assert total["killed_min"] == 1500
    assert total["admin1"] is None


def test_last_year_across_a_country_is_that_calendar_year() -> None:
    found = incidents(
        "A landmine killed three children near the village of Tal Tamr in Hasakah province on Monday.\n\n"
        "Mines killed 1,200 people across Syria last year, a monitoring group said."
    )
    [total] = totals(found)
    assert (total["date_start"], total["date_end"]) == ("2015-01-01", "2015-12-31")
    assert [i["killed_max"] for i in events(found)] == [3]


def test_this_month_and_last_week_tolls_are_aggregates() -> None:
    month = incidents("At least 60 civilians have died in air strikes in Idlib province this month, monitors said.")
    week = incidents("Air strikes killed 45 people across Aleppo province last week, rescuers said.")
    assert [i["aggregate"] for i in month] == [True]
    assert [(i["aggregate"], i["date_start"], i["date_end"]) for i in week] == [(True, "2016-03-07", "2016-03-13")]


def test_a_breakdown_of_a_monthly_total_is_a_total_too() -> None:
    found = incidents(
        "The UN said 1,100 Iraqis were killed in acts of terrorism and violence in February.\n\n"
        "Baghdad province was the worst affected, with 350 civilians killed."
    )
    assert [i["aggregate"] for i in found] == [True, True]
    assert found[1]["date_start"] == "2016-02-01"


def test_one_named_event_dated_by_month_stays_an_incident() -> None:
    found = incidents(
        "Fighters overran two police posts in Kunduz province on Tuesday, killing six policemen.\n\n"
        "In October, a U.S. air strike hit a hospital in the city during heavy fighting, killing 42 people."
    )
    assert [i["aggregate"] for i in found] == [False, False]
    assert found[1]["date_start"] == "2015-10-01"


# --- Dates ------------------------------------------------------------------------------------


def test_a_sentence_opening_in_month_is_dated_by_that_month() -> None:
    found = incidents(
        "A bomb went off at a bus station in Homs on Sunday. At least 16 people were killed, the governor said.\n\n"
        "Homs has been hit often. In February, twin car bombs killed 57 people in the Zahraa district."
    )
    assert [i["date_start"] for i in found] == ["2016-03-13", "2016-02-01"]


def test_two_weekdays_give_a_span() -> None:
    [found] = incidents(
        "Troops fought rebels in the streets of Homs on Sunday and Monday, and 15 fighters were killed."
    )
    assert (found["date_start"], found["date_end"]) == ("2016-03-13", "2016-03-14")


def test_an_undated_reprisal_in_the_same_paragraph_takes_the_story_date_and_division() -> None:
    found = incidents(
        "Rebels shelled a government-held district of Aleppo on Sunday, killing 18 people. "
        "The army answered with air strikes on rebel areas, killing 12, the Observatory said."
    )
    assert [(i["date_start"], i["admin1"]) for i in found] == [("2016-03-13", "Aleppo"), ("2016-03-13", "Aleppo")]


# --- Quotes and remembrance ------------------------------------------------------------------


def test_a_quoted_memory_of_another_strike_opens_no_incident() -> None:
    found = incidents(
        "Russian jets bombed a clinic in Idlib province on Wednesday, killing nine people, rescuers said.\n\n"
        '"They took our children," one nurse said. "Last year they killed 40 people on this very street."'
    )
    assert [i["killed_max"] for i in found] == [9]


def test_an_anniversary_toll_is_not_an_incident() -> None:
    found = incidents(
        "Crowds gathered in the Turkish town of Suruc on Tuesday for the first anniversary of the bombing there, "
        "which killed 33 young activists."
    )
    assert found == []


# --- Victims named without a number ---------------------------------------------------------


def test_a_demonym_victim_counts_one() -> None:
    [found] = incidents(
        "Israeli troops shot dead a Palestinian who tried to stab a soldier near Hebron on Friday, the army said."
    )
    assert found["killed_min"] == 1


def test_a_leader_and_his_bodyguards_are_counted() -> None:
    found = incidents("Gunmen killed a tribal leader and his two bodyguards in the Libyan city of Sabha on Wednesday.")
    assert [i["killed_min"] for i in found] == [3]


def test_a_family_of_five_is_five_dead() -> None:
    [found] = incidents("A government helicopter dropped barrel bombs on Daraya on Sunday, killing a family of five.")
    assert found["killed_min"] == 5


def test_members_of_the_same_family_are_counted() -> None:
    [found] = incidents(
        "Four members of the same family, including two children, were killed when an air strike hit their "
        "home in the Syrian town of Saraqib on Wednesday."
    )
    assert (found["killed_min"], found["children_killed"]) == (4, 2)


def test_a_later_death_from_wounds_raises_only_the_final_toll() -> None:
    [found] = incidents(
        "Two suicide bombers blew themselves up in the Nigerian town of Konduga on Monday, killing seven people. "
        "Two more people died of their wounds in hospital on Tuesday."
    )
    assert (found["killed_min"], found["killed_max"]) == (7, 9)


# --- Places ---------------------------------------------------------------------------------


def test_a_capital_named_after_in_is_a_place() -> None:
    found = incidents(
        "A suicide bomber struck a wedding in Gaziantep on Saturday night, killing 51 people, Turkish officials said."
    )
    assert [(i["country"], i["place"]) for i in found] == [("TR", "Gaziantep")]


def test_a_capital_used_for_its_government_is_no_place() -> None:
    found = incidents("Ankara said its artillery killed 12 militants near the Syrian town of Azaz on Sunday.")
    assert [i["country"] for i in found] == ["SY"]


def test_a_division_name_beats_a_foreign_village_of_the_same_name() -> None:
    [found] = incidents("Islamic State fighters attacked an Iraqi army post in Anbar on Friday, killing six soldiers.")
    assert (found["country"], found["admin1"]) == ("IQ", "Anbar")


def test_a_name_after_a_title_is_a_person_not_a_place() -> None:
    found = incidents(
        "Gunmen attacked a police convoy in Culiacan in the Mexican state of Sinaloa on Thursday, leaving eight dead. "
        "Security Minister Alfonso Durazo said on Friday that the toll had risen to 13."
    )
    assert [(i["admin1"], i["killed_min"], i["killed_max"]) for i in found] == [("Sinaloa", 8, 13)]


def test_a_town_shared_with_an_unnamed_country_loses_to_the_story_country() -> None:
    found = incidents(
        "Dozens of people were killed when insurgents attacked the northern Mozambican town of Palma on Wednesday.\n\n"
        "The insurgency in Mozambique's Cabo Delgado province has killed 2,600 people since 2017.",
        published="2021-03-30",
    )
    assert [(i["country"], i["admin1"]) for i in events(found)] == [("MZ", "Cabo Delgado")]


def test_the_syrian_capital_is_damascus() -> None:
    [found] = incidents("Mortar shells hit a school in the Syrian capital on Wednesday, killing two pupils.")
    assert found["place"] == "Damascus"


# --- Figures phrased in other ways ----------------------------------------------------------


def test_as_high_as_is_a_second_source_figure() -> None:
    [found] = incidents(
        "Gunmen killed at least 40 villagers in a night raid on the village of Kafr Zita in Hama province on Friday. "
        "Local sources put the number of dead as high as 55."
    )
    assert (found["killed_min"], found["killed_max"]) == (40, 55)


def test_people_including_someone_were_killed_without_commas() -> None:
    [found] = incidents(
        "Nine people including a local councillor were killed in a raid on the Syrian town of Saraqib on Friday."
    )
    assert found["killed_min"] == 9


def test_bodies_of_people_recovered_are_dead() -> None:
    [found] = incidents(
        "Peacekeepers recovered the bodies of at least 30 people in the Iraqi town of Tikrit on Saturday."
    )
    assert found["killed_min"] == 30


def test_overnight_spans_the_eve_and_the_day_of_publication() -> None:
    [found] = incidents("Shelling killed two people in the Ukrainian city of Avdiivka overnight, officials said.")
    assert (found["date_start"], found["date_end"]) == ("2016-03-14", "2016-03-15")


def test_overnight_into_a_weekday_starts_the_evening_before() -> None:
    [found] = incidents("Warplanes struck a market in the Yemeni city of Saada overnight into Saturday, killing 12.")
    assert (found["date_start"], found["date_end"]) == ("2016-03-11", "2016-03-12")


# --- One event or two -----------------------------------------------------------------------


def test_an_event_earlier_in_the_day_at_the_same_place_is_separate() -> None:
    found = incidents(
        "Twin bombs tore through a hall in the Pakistani city of Quetta on Thursday, killing 81 people.\n\n"
        "Earlier in the day, a bomb hidden under a cart exploded in a Quetta market, killing eleven people."
    )
    assert sorted(i["killed_max"] for i in found) == [11, 81]


def test_the_same_dead_retold_with_a_finer_place_are_one_incident() -> None:
    found = incidents(
        "Shelling killed two people in the southern Ukrainian city of Kherson on Monday, the governor said.\n\n"
        "He said a man and a woman died when a shell hit their house in the Korabelny district."
    )
    assert [(i["killed_min"], i["place"]) for i in found] == [(2, "Korabelny")]


def test_a_country_wide_total_has_no_division() -> None:
    found = incidents(
        "A car bomb hit an army post in the Gogjali district of Mosul on Thursday, killing four soldiers.\n\n"
        "The UN said 1,792 Iraqis were killed in violence across the country in February."
    )
    [total] = totals(found)
    assert (total["admin1"], total["place"]) == (None, None)


# --- Today's news about an old toll -----------------------------------------------------------


def test_a_court_case_about_an_old_attack_is_history() -> None:
    found = incidents(
        "A court in Cairo on Monday jailed 20 men over a 2013 attack on a police station that killed 13 officers."
    )
    assert found == []


def test_arrests_over_a_bombing_years_ago_are_history() -> None:
    found = incidents(
        "Police held three suspects on Tuesday over the bombing of a bus in the Iraqi city of Basra, "
        "which killed 9 people in January 2014."
    )
    assert found == []


def test_a_three_week_offensive_toll_is_an_aggregate() -> None:
    [found] = incidents(
        "Troops retook the Syrian town of Palmyra on Sunday after a three-week offensive in which "
        "the army says 400 militants were killed."
    )
    assert found["aggregate"] is True
    assert found["date_start"] <= "2016-02-24"


def test_a_toll_after_a_semicolon_is_its_own_incident_with_its_own_date() -> None:
    found = incidents(
        "A bomb killed 7 people in a market in the Afghan city of Jalalabad on Friday. "
        "It was the third attack in the city this month; on 3 March, gunmen killed 2 guards at a bank."
    )
    assert [(i["aggregate"], i["date_start"], i["killed_min"]) for i in found] == [
        (False, "2016-03-11", 7),
        (False, "2016-03-03", 2),
    ]


def test_a_commander_and_four_of_his_guards_are_five() -> None:
    [found] = incidents(
        "A drone strike killed a rebel commander and four of his bodyguards near Jilib, Somalia, on Tuesday."
    )
    assert found["killed_min"] == 5


def test_stabbed_victims_are_injured() -> None:
    [found] = incidents("A man stabbed two passers-by in the Old City of Jerusalem on Saturday, police said.")
    assert (found["killed_min"], found["injured_min"]) == (None, 2)


def test_the_same_toll_in_another_known_town_is_another_incident() -> None:
    found = incidents(
        "Two people were killed in an air strike on the Syrian town of Saraqib on Monday. "
        "In the town of Binnish, two people were killed by shelling on Monday."
    )
    assert len(found) == 2


def test_a_witness_detail_of_fewer_dead_is_no_new_incident() -> None:
    found = incidents(
        "Militiamen went from house to house in the Syrian village of Kafr Laha in Homs province on Friday, "
        "and monitors counted at least 92 bodies.\n\n"
        "One man said he hid under a bed while his parents and four of his siblings were killed in the next room."
    )
    assert [(i["killed_min"], i["killed_max"]) for i in found] == [(92, 92)]


def test_a_count_of_my_neighbours_is_a_count_of_people() -> None:
    [found] = incidents(
        "Four of my neighbours were killed when the shell hit their house in the Iraqi town of Tikrit on Saturday."
    )
    assert found["killed_min"] == 4


def test_a_village_beats_the_district_around_it() -> None:
    [found] = incidents(
        "Fighters overran police posts near the village of Gul Tepa in Kunduz province's Qala-e-Zal district "
        "on Tuesday, and eight policemen died.",
        published="2016-04-14",
    )
    assert found["place"] == "Gul Tepa"


def test_an_unknown_village_followed_by_its_division_keeps_its_name() -> None:
    [found] = incidents(
        "Militants killed 71 soldiers in an attack on an army camp in Inates in Niger's western Tillaberi region "
        "on Tuesday.",
        published="2019-12-12",
    )
    assert (found["country"], found["place"]) == ("NE", "Inates")


def test_a_same_named_town_in_another_division_keeps_the_article_spelling() -> None:
    [found] = incidents(
        "Thirteen police officers were killed in an ambush in El Aguaje, in the western state of Michoacan, on Monday.",
        published="2019-10-18",
    )
    assert (found["admin1"], found["place"]) == ("Michoacan", "El Aguaje")


def test_a_war_toll_with_a_parenthesis_since_last_month_name_is_an_aggregate() -> None:
    found = incidents(
        "Air strikes hit a market in Yemen's Hajjah province on Tuesday, killing 40 people.\n\n"
        "More than 6,000 people, about half of them civilians, have been killed in the war since last March."
    )
    [total] = totals(found)
    assert (total["killed_min"], total["date_start"]) == (6000, "2015-03-01")


def test_a_lead_without_place_takes_the_place_of_its_first_count() -> None:
    [found] = incidents(
        "Air strikes on a busy market in north-western Yemen on Tuesday killed more than 100 civilians, UN says.\n\n"
        "Local officials had first counted 41 dead after two strikes hit the market in the village of Mastaba "
        "in Hajjah province around midday."
    )
    assert (found["admin1"], found["place"], found["killed_min"], found["killed_max"]) == ("Hajjah", "Mastaba", 41, 100)


def test_respectively_pairs_each_figure_with_its_place() -> None:
    found = incidents(
        "A suicide bomber in Hilla and a car bomb in Kirkuk killed 12 and 7 people respectively on Saturday."
    )
    assert [(i["admin1"], i["killed_min"]) for i in found] == [("Babil", 12), ("Muhafazat Kirkuk", 7)]


def test_a_toll_over_the_period_since_an_event_is_an_aggregate() -> None:
    text = (
        "Government air strikes have killed 1,250 people in Yemen in the six months since the truce collapsed, "
        "a monitoring group said on Tuesday."
    )
    (found,) = incidents(text, "2019-06-11")
    assert found["aggregate"] is True
    assert (found["date_start"], found["date_end"]) == ("2018-12-13", "2019-06-11")
    assert (found["country"], found["admin1"], found["killed_max"]) == ("YE", None, 1250)


def test_a_toll_during_a_named_month_is_a_period_total() -> None:
    # "in March" may date one event ("In March, a strike killed 12"); "during March" is the whole month.
    found = incidents(
        "A monitoring group said on Saturday that 180 people were killed in Homs province during February."
    )
    assert [(i["aggregate"], i["date_start"], i["date_end"]) for i in found] == [(True, "2016-02-01", "2016-02-29")]


def test_a_total_opening_a_colon_list_gives_only_its_parts() -> None:
    found = incidents(
        "Shelling on Sunday killed 19 people in Aleppo province: 12 in the town of Manbij and 7 in al-Bab, medics said."
    )
    assert sorted((i["place"], i["killed_min"], i["killed_max"]) for i in found) == [
        ("Al Bāb", 7, 7),
        ("Manbij", 12, 12),
    ]


def test_in_the_town_and_a_village_points_back_to_the_town_of_the_lead() -> None:
    found = incidents(
        "Gunmen who entered the town of Manbij before dawn on Monday killed dozens of residents, officials said.\n\n"
        "A monitor said on Tuesday that at least 52 people had been killed in the town and in the village of "
        "Tal Sabeen nearby. It later raised the toll to 60."
    )
    assert [(i["place"], i["killed_min"], i["killed_max"]) for i in events(found)] == [("Manbij", 52, 60)]


def test_a_district_named_again_without_its_cue_keeps_the_town_it_was_placed_by() -> None:
    found = incidents(
        "Car bombs killed 20 people in Hama and in the Qadam Jadid district south of Damascus on Sunday.\n\n"
        "In Hama, a bomb went off at a bus station. The governor said 12 people were killed.\n\n"
        "Hours later, two bombers struck near the Qadam Jadid mosque. State media said eight people were killed."
    )
    assert sorted((i["admin1"], i["killed_min"], i["killed_max"]) for i in events(found)) == [
        ("Dimashq", 8, 8),
        ("Hama", 12, 12),
    ]
    assert [i["place"] for i in events(found) if i["admin1"] == "Dimashq"] == ["Qadam Jadid"]


def test_an_injured_figure_after_the_toll_joins_it_though_an_earlier_sentence_names_another_day() -> None:
    found = incidents(
        "Mourners in Saraqib buried the dead on Tuesday, a day after a raid on the vegetable market.\n\n"
        "A monitor said 31 people had been killed in Monday's raid. Doctors in the town said more than "
        "90 people were hurt and that the clinic ran out of blood."
    )
    assert [(i["killed_min"], i["injured_min"], i["date_start"]) for i in events(found)] == [(31, 90, "2016-03-14")]


def test_a_toll_since_the_start_of_an_offensive_dated_before_is_a_period_total() -> None:
    found = incidents(
        "Government forces opened an offensive on the northern districts of Hama on 2 March. "
        "Rescuers said more than 120 people had been killed in the city since the start of the offensive.\n\n"
        "On Sunday, a field clinic was hit by shells. Three nurses were killed, medics said.",
        "2016-03-15",
    )
    assert [(i["aggregate"], i["date_start"], i["date_end"], i["killed_min"]) for i in found] == [
        (True, "2016-03-02", "2016-03-15", 120),
        (False, "2016-03-13", "2016-03-13", 3),
    ]


def test_a_toll_across_a_named_country_in_a_month_is_a_period_total_without_its_breakdowns() -> None:
    found = incidents(
        "Air strikes, shelling and shootings killed at least 640 civilians across Yemen in February, "
        "a monitoring network said on Tuesday.\n\n"
        "In a report released on Tuesday, the network said that 310 civilians were killed by coalition air "
        "strikes across Yemen in February.",
        "2016-03-15",
    )
    assert [(i["aggregate"], i["date_start"], i["date_end"], i["killed_min"]) for i in found] == [
        (True, "2016-02-01", "2016-02-29", 640)
    ]
