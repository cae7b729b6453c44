"""casualties.charts: figures are pure functions of selector rows."""

import datetime

import pytest

from casualties import charts


def test_it_chooses_day_week_or_month_bars_by_the_span():
    day = datetime.date(2016, 1, 1)
    assert charts.choose_interval(day, day + datetime.timedelta(days=30)) == "day"
    assert charts.choose_interval(day, day + datetime.timedelta(days=200)) == "week"
    assert charts.choose_interval(day, day + datetime.timedelta(days=1000)) == "month"
    assert charts.choose_interval(None, day) == "month"


@pytest.mark.parametrize(
    ("period", "interval", "end"),
    [
        (datetime.date(2016, 2, 1), "month", datetime.date(2016, 2, 29)),
        (datetime.date(2015, 12, 1), "month", datetime.date(2015, 12, 31)),
        (datetime.date(2016, 2, 1), "week", datetime.date(2016, 2, 7)),
        (datetime.date(2016, 2, 3), "day", datetime.date(2016, 2, 3)),
    ],
)
def test_period_end_is_the_last_day_of_the_bar(period, interval, end):
    assert charts.period_end(period, interval) == end


ROWS = [
    {"period": datetime.date(2016, 1, 1), "group": "Idlib", "killed": 10, "injured": 1, "incidents": 2},
    {"period": datetime.date(2016, 1, 1), "group": "Homs", "killed": 3, "injured": 0, "incidents": 1},
    {"period": datetime.date(2016, 2, 1), "group": "Idlib", "killed": 5, "injured": 4, "incidents": 1},
    {"period": datetime.date(2016, 2, 1), "group": None, "killed": 7, "injured": 0, "incidents": 1},
]


def test_timeline_stacks_one_trace_per_governorate_largest_first():
    figure = charts.timeline_figure(ROWS, measure="killed", interval="month", group_by="admin1")
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["Idlib", charts.NO_GROUP_LABEL, "Homs"]
    idlib = figure["data"][0]
    assert idlib["x"] == ["2016-01-01", "2016-02-01"]
    assert idlib["y"] == [10, 5]
    # A click on a bar lists its incidents: that month's, in that governorate (and its counts, for the hover).
    assert idlib["customdata"][1][:4] == ["2016-02-01", "2016-02-29", "admin1", "Idlib"]
    no_division = figure["data"][1]
    assert no_division["customdata"][1][2:4] == ["", ""]  # no filter selects "no governorate": dates only
    assert figure["layout"]["barmode"] == "stack"
    assert figure["layout"]["xaxis"]["rangeslider"]["visible"] is True


def test_timeline_fills_missing_periods_with_zero_and_counts_the_measure_asked_for():
    figure = charts.timeline_figure(ROWS, measure="injured", interval="month", group_by="admin1")
    homs = next(trace for trace in figure["data"] if trace["name"] == "Homs")
    assert homs["y"] == [0, 0]
    idlib = next(trace for trace in figure["data"] if trace["name"] == "Idlib")
    assert idlib["y"] == [1, 4]


def test_timeline_by_event_type_uses_labels_and_fixed_colours():
    rows = [{"period": datetime.date(2016, 1, 1), "group": "air_drone_strike", "killed": 4, "incidents": 1}]
    figure = charts.timeline_figure(rows, measure="killed", interval="month", group_by="event_type")
    assert figure["data"][0]["name"] == "Air or drone strike"
    assert figure["data"][0]["marker"]["color"] == charts.EVENT_TYPE_COLOURS["air_drone_strike"]


def test_timeline_folds_small_groups_into_other():
    rows = [
        {"period": datetime.date(2016, 1, 1), "group": f"G{index}", "killed": 100 - index, "incidents": 1}
        for index in range(12)
    ]
    figure = charts.timeline_figure(rows, measure="killed", interval="month", group_by="admin1", max_groups=7)
    names = [trace["name"] for trace in figure["data"]]
    assert len(names) == 8
    assert names[-1] == "Other"
    assert figure["data"][-1]["y"] == [sum(100 - index for index in range(7, 12))]


def test_an_other_group_in_the_rows_is_drawn_once_and_last():
    # Rows from the counts carry the small governorates already summed into "Other", maybe the largest group.
    day = datetime.date(2016, 1, 1)
    rows = [
        {"period": day, "group": "Idlib", "killed": 5, "incidents": 2},
        {"period": day, "group": "Other", "killed": 9, "incidents": 4},
    ]
    figure = charts.timeline_figure(rows, measure="incidents", interval="month", group_by="admin1")
    assert [trace["name"] for trace in figure["data"]] == ["Idlib", "Other"]
    assert sum(sum(trace["y"]) for trace in figure["data"]) == 6


def test_timeline_without_rows_says_so():
    figure = charts.timeline_figure([], measure="killed")
    assert figure["data"] == []
    assert "No incidents" in figure["layout"]["annotations"][0]["text"]


def test_timeline_rejects_an_unknown_measure():
    with pytest.raises(ValueError, match="measure"):
        charts.timeline_figure(ROWS, measure="deaths")


def test_palette_is_okabe_ito():
    assert charts.OKABE_ITO[:3] == ["#E69F00", "#56B4E9", "#009E73"]
    assert set(charts.EVENT_TYPE_COLOURS.values()) - {"#777777"} <= set(charts.OKABE_ITO)


def test_bubble_area_grows_with_killed():
    assert charts.bubble_size(0, largest=100) == 6.0
    assert charts.bubble_size(None, largest=100) == 6.0
    assert charts.bubble_size(100, largest=100) == 40.0
    assert 6.0 < charts.bubble_size(25, largest=100) < charts.bubble_size(50, largest=100) < 40.0


MAP_DATA = {
    "points": [
        {
            "id": 1,
            "lat": 35.8,
            "lon": 36.6,
            "date": "2015-10-20",
            "place": "Ariha",
            "admin1": "Idlib",
            "killed": 46,
            "killed_min": 40,
            "injured": 70,
            "event_type": "air_drone_strike",
            "aggregate": False,
        },
        {
            "id": 2,
            "lat": 36.2,
            "lon": 37.1,
            "date": "2015-10-21",
            "place": "Aleppo",
            "admin1": "Aleppo",
            "killed": 3,
            "killed_min": 3,
            "injured": None,
            "event_type": "armed_clash",
            "aggregate": False,
        },
    ],
    "cells": None,
    "cell_size": None,
    "admin1": [
        {
            "admin1_id": 5,
            "name": "Homs",
            "lat": 34.6,
            "lon": 37.6,
            "incidents": 2,
            "killed": 9,
            "injured": 0,
            "date_first": "2016-01-01",
            "date_last": "2016-01-09",
        }
    ],
    "boundaries": [],
    "unmapped": 1,
}


def test_map_draws_places_as_circles_and_governorate_only_incidents_as_open_diamonds():
    figure = charts.map_figure(MAP_DATA)
    circles = [trace for trace in figure["data"] if trace["marker"]["symbol"] == "circle"]
    diamonds = [trace for trace in figure["data"] if trace["marker"]["symbol"] == "diamond-open"]
    assert {trace["name"] for trace in circles} == {"Air or drone strike", "Armed clash"}
    assert len(diamonds) == 1
    # At the governorate's centre, never a made-up point.
    assert diamonds[0]["lat"] == [34.6]
    assert diamonds[0]["lon"] == [37.6]
    strike = next(trace for trace in circles if trace["name"] == "Air or drone strike")
    assert strike["customdata"] == [[1, "incident"]]
    assert "Ariha" in strike["text"][0]
    assert "40–46" in strike["text"][0]
    assert figure["unmapped"] == 1


def test_map_turns_off_every_plotly_base_layer_so_no_topojson_is_fetched():
    geo = charts.map_figure(MAP_DATA)["layout"]["geo"]
    for layer in ("land", "ocean", "lakes", "rivers", "countries", "coastlines", "subunits"):
        assert geo[f"show{layer}"] is False
    assert geo["lataxis"]["range"][0] < 34.6 < 36.2 < geo["lataxis"]["range"][1]
    assert geo["lonaxis"]["range"][0] < 36.6 < 37.6 < geo["lonaxis"]["range"][1]


def test_map_draws_grid_cells_and_shaded_boundaries():
    data = {
        "points": None,
        "cells": [{"lat": 35.75, "lon": 36.25, "incidents": 900, "killed": 1000}],
        "cell_size": 0.5,
        "admin1": [],
        "boundaries": [
            {
                "admin1_id": 1,
                "name": "Idlib",
                "killed": 10,
                "incidents": 2,
                "geometry": {"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [37, 36], [36, 35]]]},
            }
        ],
        "unmapped": 0,
    }
    figure = charts.map_figure(data)
    boundary, cells = figure["data"]
    assert boundary["fill"] == "toself"
    assert boundary["lon"] == [36, 37, 37, 36, None]
    assert cells["marker"]["symbol"] == "square"
    assert "0.5° cell" in cells["name"]


def test_map_without_incidents_says_so():
    figure = charts.map_figure({"points": [], "cells": None, "admin1": [], "boundaries": [], "unmapped": 0})
    assert figure["data"] == []
    assert "No incidents" in figure["layout"]["annotations"][0]["text"]


def test_admin1_bars_put_the_most_killed_on_top():
    rows = [
        {"name": "Idlib", "country": "SY", "killed": 50, "injured": 5, "incidents": 3},
        {"name": None, "country": "SY", "killed": 7, "injured": 0, "incidents": 1},
    ]
    figure = charts.admin1_bar_figure(rows)
    killed = figure["data"][0]
    assert killed["y"] == ["SY (no governorate)", "Idlib"]
    assert killed["x"] == [7, 50]


DAY_MS = 86_400_000


@pytest.mark.parametrize(
    ("interval", "periods", "days"),
    [
        ("month", [datetime.date(2016, 1, 1), datetime.date(2016, 2, 1)], [31, 29]),
        ("week", [datetime.date(2016, 2, 1), datetime.date(2016, 2, 8)], [7, 7]),
        ("day", [datetime.date(2016, 2, 28), datetime.date(2016, 2, 29)], [1, 1]),
    ],
)
def test_each_bar_is_exactly_as_wide_as_its_period_and_starts_on_its_first_day(interval, periods, days):
    rows = [{"period": period, "killed": 4, "killed_min": 4, "incidents": 1} for period in periods]
    (bars,) = charts.timeline_figure(rows, measure="killed", interval=interval)["data"]
    assert bars["x"] == [period.isoformat() for period in periods]
    assert bars["offset"] == 0
    assert bars["width"] == [count * DAY_MS for count in days]


@pytest.mark.parametrize(
    ("interval", "first", "last"),
    [
        ("day", datetime.date(2016, 2, 1), datetime.date(2016, 2, 5)),
        ("day", datetime.date(2016, 1, 1), datetime.date(2016, 3, 31)),
        ("week", datetime.date(2016, 1, 4), datetime.date(2017, 6, 26)),
    ],
)
def test_daily_and_weekly_ticks_fall_on_whole_days_and_show_no_hours(interval, first, last):
    rows = [{"period": first, "killed": 1, "incidents": 1}, {"period": last, "killed": 2, "incidents": 1}]
    xaxis = charts.timeline_figure(rows, measure="killed", interval=interval)["layout"]["xaxis"]
    assert xaxis["dtick"] % DAY_MS == 0
    assert "%H" not in xaxis["tickformat"]
    assert xaxis["tick0"] == first.isoformat()
    ticks = ((last - first).days * DAY_MS) // xaxis["dtick"] + 1
    assert 2 <= ticks <= 11  # readable: neither one tick nor a tick a bar over three months


def test_monthly_ticks_step_by_months():
    rows = [
        {"period": datetime.date(2014, 1, 1), "killed": 1, "incidents": 1},
        {"period": datetime.date(2016, 12, 1), "killed": 1, "incidents": 1},
    ]
    xaxis = charts.timeline_figure(rows, measure="killed", interval="month")["layout"]["xaxis"]
    assert xaxis["dtick"] == "M6"  # 36 months: every 6 months
    assert xaxis["tickformat"] == "%b %Y"


def test_the_killed_range_is_drawn_from_the_lowest_to_the_highest_reported():
    rows = [
        {"period": datetime.date(2016, 1, 1), "group": "Idlib", "killed": 10, "killed_min": 6, "injured": 1},
        {"period": datetime.date(2016, 1, 1), "group": "Homs", "killed": 3, "killed_min": 3, "injured": 0},
        {"period": datetime.date(2016, 2, 1), "group": "Idlib", "killed": 5, "killed_min": 5, "injured": 2},
    ]
    figure = charts.timeline_figure(rows, measure="killed", interval="month", group_by="admin1")
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    assert sum(sum(trace["y"]) for trace in bars) == 18  # the bars stack the highest figures, as the totals do
    (whisker,) = [trace for trace in figure["data"] if trace["type"] == "scatter"]
    # January only (February's figures agree), at the middle of the month, from 9 up to 13.
    assert whisker["x"] == ["2016-01-16T12:00:00"]
    assert whisker["y"] == [9]
    assert whisker["error_y"]["array"] == [4]
    assert whisker["error_y"]["arrayminus"] == [0]
    assert whisker["text"] == ["9\u201313 killed"]
    # The whisker takes no hover or click from the bar under it; the bars' hovers give each group's range.
    assert whisker["hoverinfo"] == "skip"
    idlib = next(trace for trace in bars if trace["name"] == "Idlib")
    assert [point[6] for point in idlib["customdata"]] == ["6\u201310", "5"]
    # Injured or incidents have no range to draw.
    injured = charts.timeline_figure(rows, measure="injured", interval="month", group_by="admin1")
    assert all(trace["type"] == "bar" for trace in injured["data"])
