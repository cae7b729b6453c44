"""bench/scale.py's own logic: the refusal of real data, the answer checks, the percentiles, the targets."""

import json

import pytest
from django.core.management import call_command

from bench.scale_support.client import percentile, summary
from bench.scale_support.database import DatabaseRefusedError, database_check_only_synthetic
from bench.scale_support.report import answers_agree, map_features, targets_judge
from tests.factories import Admin1Factory, IncidentFactory, PlaceFactory


@pytest.mark.django_db
def test_it_refuses_a_database_holding_a_real_incident():
    IncidentFactory()
    with pytest.raises(DatabaseRefusedError, match="1 incident"):
        database_check_only_synthetic()


@pytest.mark.django_db
def test_it_accepts_a_database_of_synthetic_incidents_only():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    PlaceFactory(geonameid=172994, name="Ariha", admin1=idlib, lat=35.81, lon=36.61, population=30000)
    call_command("generate_incidents", count=30, verbosity=0)
    database_check_only_synthetic()  # no exception


def test_percentiles_interpolate_between_ranks():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == pytest.approx(50.5)
    assert percentile(values, 0.95) == pytest.approx(95.05)
    assert summary([10.0, 20.0], errors=1, asked=5) | {"mean_ms": 15.0} == {
        "p50_ms": 15.0,
        "p95_ms": 19.5,
        "mean_ms": 15.0,
        "max_ms": 20.0,
        "requests": 3,
        "errors": 1,
        "stopped_early": True,
    }


def _page(*ids: int) -> bytes:
    return json.dumps({"results": [{"id": pk} for pk in ids]}).encode()


def test_answer_checks_see_a_missing_or_reordered_incident():
    assert answers_agree("list_first_page", _page(3, 2, 1), _page(3, 2, 1)) is True
    assert answers_agree("list_first_page", _page(3, 1), _page(3, 2, 1)) is False
    assert answers_agree("list_deep_page", _page(2, 3), _page(3, 2)) is False
    rows = {"results": [{"period": "2015-10-01", "incidents": 4}]}
    doubled = {"results": [{"period": "2015-10-01", "incidents": 5}]}
    assert answers_agree("timeline_all", json.dumps(rows).encode(), json.dumps(doubled).encode()) is False


def test_map_checks_compare_incident_markers_and_count_features():
    figure = {
        "figure": {"data": [{"mode": "markers", "lat": [1, 2], "customdata": [[7, "incident"], [8, "incident"]]}]}
    }
    features = {"features": [{"id": 7}, {"id": 8}]}
    assert answers_agree("map_bbox", json.dumps(figure).encode(), json.dumps(features).encode()) is True
    features["features"].append({"id": 9})
    assert answers_agree("map_bbox", json.dumps(figure).encode(), json.dumps(features).encode()) is False
    assert map_features(json.dumps(figure).encode()) == 2
    assert map_features(json.dumps(features).encode()) == 3
    cells = {"figure": {"data": [{"mode": "markers", "lat": [1], "customdata": [[None, "cell"]]}]}}
    assert answers_agree("map_bbox", json.dumps(cells).encode(), json.dumps(features).encode()) is None


def test_map_check_counts_the_members_of_a_cluster():
    cluster = [None, "cluster", 36.0, 35.0, 36.1, 35.1, [[7, 36.0, 35.0], [8, 36.1, 35.1]]]
    figure = {
        "figure": {
            "data": [
                {"mode": "markers", "lat": [1], "customdata": [[9, "incident"]]},
                {"mode": "markers+text", "lat": [35.05], "customdata": [cluster]},
            ]
        }
    }
    features = {"features": [{"id": 7}, {"id": 8}, {"id": 9}]}
    assert answers_agree("map_bbox", json.dumps(figure).encode(), json.dumps(features).encode()) is True
    features["features"].pop(0)
    assert answers_agree("map_bbox", json.dumps(figure).encode(), json.dumps(features).encode()) is False


def _figures(**changes) -> dict:
    fast = {"p50_ms": 10.0, "p95_ms": 20.0}
    figures = {
        "latency": {
            name: {"app": dict(fast), "baseline": {"p50_ms": 400.0, "p95_ms": 500.0}, "speedup_p50": 40.0}
            for name in (
                "list_first_page",
                "list_deep_page",
                "timeline_all",
                "timeline_governorate",
                "map_bbox",
                "dashboard_page",
                "admin1_totals",
            )
        },
        "map_features": {"app_max": 4000},
        "throughput": {"app": {"requests_per_second": 250.0, "errors": 0}},
        "memory": {"app_worker_rss_max_mb": 150.0},
        "export": {"rows": 100, "expected_rows": 100, "rss_growth_mb": 3.0},
    }
    for path, value in changes.items():
        *keys, last = path.split("__")
        node = figures
        for key in keys:
            node = node[key]
        node[last] = value
    return figures


def test_targets_pass_when_met_and_fail_on_each_miss():
    assert all(target["pass"] for target in targets_judge(_figures()).values())
    misses = {
        "list_first_page_p95": {"latency__list_first_page__app__p95_ms": 41.0},
        "list_deep_page_p95_over_first": {"latency__list_deep_page__app__p95_ms": 31.0},
        "timeline_all_speedup_p50": {"latency__timeline_all__speedup_p50": 19.9},
        "map_features_max": {"map_features__app_max": 5001},
        "list_throughput": {"throughput__app__requests_per_second": 199.0},
        "worker_rss_max": {"memory__app_worker_rss_max_mb": 300.0},
        "export_rows_equal_incidents": {"export__rows": 99},
        "export_rss_growth": {"export__rss_growth_mb": 51.0},
        "dashboard_page_p95": {"latency__dashboard_page__app__p95_ms": 151.0},
        "dashboard_page_faster_p50": {"latency__dashboard_page__speedup_p50": 1.0},
        "admin1_totals_p95": {"latency__admin1_totals__app__p95_ms": 61.0},
    }
    for name, change in misses.items():
        judged = targets_judge(_figures(**change))
        assert [key for key, target in judged.items() if not target["pass"]] == [name], name
