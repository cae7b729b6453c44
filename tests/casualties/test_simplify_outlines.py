"""The build step that thins the map's country outlines (manage.py simplify_outlines)."""

import json

import pytest
from django.core.management import CommandError, call_command

from casualties.management.commands.simplify_outlines import douglas_peucker, simplify_outlines, simplify_ring


def test_points_closer_to_the_line_than_the_tolerance_go_and_a_spike_stays():
    wobbly = [[0.0, 0.0], [1.0, 0.004], [2.0, -0.004], [3.0, 0.0], [4.0, 2.0], [5.0, 0.0]]
    assert douglas_peucker(wobbly, 0.01) == [[0.0, 0.0], [3.0, 0.0], [4.0, 2.0], [5.0, 0.0]]
    assert douglas_peucker(wobbly, 0.001) == wobbly


def test_a_ring_stays_closed_rounded_and_an_islet_below_the_tolerance_is_dropped():
    square = [[10.0, 10.0], [10.5, 10.001], [11.0, 10.0], [11.0, 11.0], [10.0, 11.0], [10.0, 10.0]]
    assert simplify_ring(square, tolerance=0.01, decimals=1) == [
        [10.0, 10.0],
        [11.0, 10.0],
        [11.0, 11.0],
        [10.0, 11.0],
        [10.0, 10.0],
    ]
    islet = [[20.0, 20.0], [20.001, 20.0], [20.001, 20.001], [20.0, 20.0]]
    assert simplify_ring(islet, tolerance=0.01, decimals=2) is None


def test_a_country_keeps_its_name_and_loses_its_islets_and_a_country_of_islets_goes():
    big = [[[0.0, 0.0], [4.0, 0.0], [4.0, 3.0], [0.0, 3.0], [0.0, 0.0]]]
    islet = [[[9.0, 9.0], [9.001, 9.0], [9.001, 9.001], [9.0, 9.0]]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "1",
                "properties": {"name": "Mainland", "other": 1},
                "geometry": {"type": "MultiPolygon", "coordinates": [big, islet]},
            },
            {"type": "Feature", "properties": {"name": "Reef"}, "geometry": {"type": "Polygon", "coordinates": islet}},
            {"type": "Feature", "properties": {"name": "Point"}, "geometry": {"type": "Point", "coordinates": [1, 1]}},
        ],
    }
    simplified = simplify_outlines(collection, tolerance=0.01, decimals=2)
    assert simplified["features"] == [
        {"type": "Feature", "properties": {"name": "Mainland"}, "geometry": {"type": "Polygon", "coordinates": big}}
    ]


def test_the_command_writes_the_simplified_file_and_refuses_a_bad_tolerance(tmp_path):
    source, output = tmp_path / "in.geojson", tmp_path / "out.geojson"
    ring = [[0.0, 0.0], [1.0, 0.0001], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Square"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        )
    )
    call_command("simplify_outlines", str(source), str(output), verbosity=0)
    written = json.loads(output.read_text())
    assert written["features"][0]["geometry"]["coordinates"] == [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]
    with pytest.raises(CommandError):
        call_command("simplify_outlines", str(source), str(output), "--tolerance", "0")
