"""reference_compare: the three sets and the killed totals, on the hand-computed answers of the `compared` fixture."""

import pytest
from django.http import QueryDict

from casualties.filters import incident_filterset
from casualties.models import ReferenceDataset
from casualties.reference.comparison import comparison_csv_rows, distance_km, reference_compare

pytestmark = pytest.mark.django_db


def _compare(query: str = ""):
    filterset, errors = incident_filterset(params=QueryDict(query))
    assert errors == {}
    dataset = ReferenceDataset.objects.get(format="acled")
    return reference_compare(dataset=dataset, incidents=filterset.qs, filters=filterset.form.cleaned_data)


def _sets(comparison, ours):
    names = {incident.pk: name for name, incident in ours.items()}
    return (
        sorted((names[pair["ours"]["id"]], pair["theirs"]["event_id"]) for pair in comparison.matched),
        sorted(names[row["id"]] for row in comparison.ours_only),
        sorted(row["event_id"] for row in comparison.theirs_only),
    )


def test_the_three_sets(compared):
    comparison = _compare()

    assert _sets(comparison, compared) == (
        [("A", "SYR1001"), ("C", "SYR1003")],
        ["B", "D"],
        ["SYR1002", "SYR1005"],
    )
    pair = next(pair for pair in comparison.matched if pair["theirs"]["event_id"] == "SYR1001")
    assert (pair["days_apart"], pair["distance_km"]) == (1, 1.4)


def test_killed_totals_side_by_side_by_month_and_division(compared):
    comparison = _compare()

    assert comparison.totals == {
        "ours_events": 4,
        "ours_killed_min": 17,
        "ours_killed_max": 21,
        "theirs_events": 4,
        "theirs_killed_min": 14,
        "theirs_killed_best": 14,
        "theirs_killed_max": 14,
        "matched": 2,
        "ours_only": 2,
        "theirs_only": 2,
    }
    months = {row["month"]: row for row in comparison.by_month}
    assert sorted(months) == ["2023-02", "2023-03"]
    assert [months["2023-02"][key] for key in ("ours_events", "ours_killed_min", "ours_killed_max")] == [3, 10, 12]
    assert [months["2023-02"][key] for key in ("theirs_events", "theirs_killed_best")] == [2, 6]
    assert [months["2023-03"][key] for key in ("ours_killed_max", "theirs_events", "theirs_killed_best")] == [9, 2, 8]
    divisions = {row["admin1"]: row for row in comparison.by_admin1}
    assert [divisions["Idlib"][key] for key in ("ours_killed_max", "theirs_killed_best")] == [12, 6]
    assert [divisions["Aleppo"][key] for key in ("ours_killed_max", "theirs_killed_best")] == [9, 7]
    assert [divisions[""][key] for key in ("ours_events", "theirs_killed_best")] == [0, 1]


def test_a_governorate_filter_narrows_both_sides(compared):
    comparison = _compare("admin1=Idlib")

    assert _sets(comparison, compared) == ([("A", "SYR1001")], ["B", "D"], ["SYR1002"])


def test_a_month_filter_narrows_both_sides(compared):
    comparison = _compare("date_from=2023-03-01&date_to=2023-03-31")

    assert _sets(comparison, compared) == ([("C", "SYR1003")], [], ["SYR1005"])


def test_the_csv_rows_name_their_set(compared):
    rows = comparison_csv_rows(comparison=_compare("admin1=Idlib"), sets=("matched", "theirs_only"))

    assert [(row[0], row[3] == compared["A"].pk if row[0] == "matched" else row[3], row[10]) for row in rows] == [
        ("matched", True, "SYR1001"),
        ("theirs_only", None, "SYR1002"),
    ]


def test_distance_km_is_the_great_circle_distance():
    # One degree of latitude is about 111.2 km.
    assert distance_km(35.0, 36.0, 36.0, 36.0) == pytest.approx(111.2, abs=0.1)


def test_our_places_show_the_name_readers_use_and_keep_geonames_name(compared):
    from casualties.models import Incident

    Incident.objects.filter(pk=compared["B"].pk).update(place_name="Arīḩā", location_precision="place")
    comparison = _compare()
    [row] = [row for row in comparison.ours_only if row["id"] == compared["B"].pk]
    assert (row["place"], row["place_name"]) == ("Ariha", "Arīḩā")
    [csv_row] = [r for r in comparison_csv_rows(comparison=comparison) if r[3] == compared["B"].pk]
    assert "Ariha" in csv_row
