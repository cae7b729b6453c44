"""The site's own URLs, with the naive baseline (bench/scale_support/baseline.py) under /baseline/."""

from django.urls import include, path

from bench.scale_support import baseline
from config.urls import urlpatterns as site_urlpatterns

baseline_urlpatterns = [
    path("incidents/", baseline.BaselineIncidentList.as_view(), name="incidents"),
    path("stats/timeline/", baseline.BaselineTimeline.as_view(), name="timeline"),
    path("stats/admin1/", baseline.BaselineAdmin1Totals.as_view(), name="admin1"),
    path("map/", baseline.BaselineMap.as_view(), name="map"),
    path("dashboard/", baseline.BaselineDashboard.as_view(), name="dashboard"),
]

urlpatterns = [
    path("baseline/", include((baseline_urlpatterns, "baseline"), namespace="baseline")),
    *site_urlpatterns,
]
