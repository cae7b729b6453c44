"""`manage.py load_boundaries`: first-level boundaries from GeoJSON onto Admin1.boundary."""

import json

import pytest
from django.core.management import CommandError, call_command

from casualties.models import Admin1
from tests.factories import Admin1Factory

pytestmark = pytest.mark.django_db

SQUARE = [[[36.0, 35.0], [37.0, 35.0], [37.0, 36.0], [36.0, 36.0], [36.0, 35.0]]]


def _feature(properties, geometry=None):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or {"type": "Polygon", "coordinates": SQUARE},
    }


def _write(tmp_path, data, name="boundaries.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


@pytest.fixture
def divisions():
    return {
        "idlib": Admin1Factory(country="SY", code="12", name="Idlib", aliases=["Idleb"]),
        "hasakah": Admin1Factory(country="SY", code="01", name="Al-Hasakah"),
        "iraq": Admin1Factory(country="IQ", code="12", name="Nineveh"),
    }


def test_it_stores_boundaries_matched_by_name_alias_and_folded_spelling(tmp_path, divisions, capsys):
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE, SQUARE]}
    path = _write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [
                _feature({"shapeName": "Idleb"}),
                _feature({"shapeName": "Hasakah"}, multi),
            ],
        },
    )
    call_command("load_boundaries", path, "--country", "SY")
    divisions["idlib"].refresh_from_db()
    divisions["hasakah"].refresh_from_db()
    assert divisions["idlib"].boundary == {"type": "Polygon", "coordinates": SQUARE}
    assert divisions["hasakah"].boundary["type"] == "MultiPolygon"
    assert "Stored 2 boundaries." in capsys.readouterr().out


def test_it_matches_a_code_in_a_named_property(tmp_path, divisions):
    path = _write(tmp_path, {"type": "FeatureCollection", "features": [_feature({"ADM1_PCODE": "12"})]})
    call_command("load_boundaries", path, "--country", "IQ", "--property", "ADM1_PCODE")
    assert Admin1.objects.get(country="IQ").boundary is not None
    assert Admin1.objects.get(country="SY", code="12").boundary is None


def test_an_ambiguous_code_without_country_is_an_error(tmp_path, divisions):
    path = _write(tmp_path, {"type": "FeatureCollection", "features": [_feature({"code": "12"})]})
    with pytest.raises(CommandError, match="matches several divisions"):
        call_command("load_boundaries", path, "--property", "code")


def test_unmatched_features_are_listed_and_the_rest_stored(tmp_path, divisions, capsys):
    path = _write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [
                _feature({"name": "Idlib"}),
                _feature({"name": "Atlantis"}),
            ],
        },
    )
    call_command("load_boundaries", path, "--country", "SY")
    assert "matched no division: Atlantis" in capsys.readouterr().err
    divisions["idlib"].refresh_from_db()
    assert divisions["idlib"].boundary is not None


def test_nothing_matched_is_an_error(tmp_path, divisions):
    path = _write(tmp_path, {"type": "FeatureCollection", "features": [_feature({"name": "Atlantis"})]})
    with pytest.raises(CommandError, match="None of the 1 features matched"):
        call_command("load_boundaries", path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"type": "Topology", "objects": {}}, "TopoJSON"),
        ({"type": "Point", "coordinates": [1, 2]}, "expected a GeoJSON FeatureCollection"),
        (
            {
                "type": "FeatureCollection",
                "features": [_feature({"name": "Idlib"}, {"type": "Point", "coordinates": [1, 2]})],
            },
            "is not a Polygon or MultiPolygon",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    _feature({"name": "Idlib"}, {"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [36, 35]]]})
                ],
            },
            "at least 4 positions",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    _feature(
                        {"name": "Idlib"},
                        {"type": "Polygon", "coordinates": [[[35, 360], [37, 35], [37, 36], [35, 360]]]},
                    )
                ],
            },
            "out of range",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    _feature(
                        {"name": "Idlib"},
                        {"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [37, 36], [36, 36]]]},
                    )
                ],
            },
            "must end where it starts",
        ),
        ({"type": "FeatureCollection", "features": [_feature({"other": "x"})]}, "no name property"),
    ],
)
def test_bad_files_are_clear_errors_and_save_nothing(tmp_path, divisions, content, message):
    path = _write(tmp_path, content)
    with pytest.raises(CommandError, match=message):
        call_command("load_boundaries", path, "--country", "SY")
    assert not Admin1.objects.filter(boundary__isnull=False).exists()


def test_a_bad_feature_after_a_good_one_saves_nothing(tmp_path, divisions):
    path = _write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [
                _feature({"name": "Idlib"}),
                _feature({"name": "Al-Hasakah"}, {"type": "LineString", "coordinates": []}),
            ],
        },
    )
    with pytest.raises(CommandError, match=r"Feature 2 \(Al-Hasakah\)"):
        call_command("load_boundaries", path)
    assert not Admin1.objects.filter(boundary__isnull=False).exists()


def test_a_missing_file_and_a_bad_country_are_errors(tmp_path, divisions):
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_boundaries", str(tmp_path / "missing.geojson"))
    path = _write(tmp_path, {"type": "FeatureCollection", "features": []})
    with pytest.raises(CommandError, match="alpha-2"):
        call_command("load_boundaries", path, "--country", "Syria")


def test_dry_run_saves_nothing(tmp_path, divisions, capsys):
    path = _write(tmp_path, {"type": "FeatureCollection", "features": [_feature({"name": "Idlib"})]})
    call_command("load_boundaries", path, "--dry-run")
    assert "Would store 1 boundaries." in capsys.readouterr().out
    assert not Admin1.objects.filter(boundary__isnull=False).exists()
