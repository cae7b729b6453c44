"""/api/v1/...: the versioned public API. Mounted under /api/ by config/urls.py."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from casualties.api import auth, views
from casualties.api.articles import ArticleViewSet
from casualties.api.compare import CompareView, ReferenceEventView

# Reads that are plain views, not viewsets: the API's root lists them beside the viewsets.
_ROOT_VIEWS = {
    "stats/timeline": "stats-timeline",
    "stats/admin1": "stats-admin1",
    "aggregates": "aggregate-list",
    "admin1": "admin1-list",
    "places": "place-search",
    "compare": "compare",
}


class _Router(DefaultRouter):
    """DefaultRouter whose browsable root (/api/v1/) names every read, not only the viewsets."""

    def get_api_root_view(self, api_urls=None):
        names = {prefix: self.routes[0].name.format(basename=basename) for prefix, _viewset, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**names, **_ROOT_VIEWS})


router = _Router()
router.register("incidents", views.IncidentViewSet, basename="incident")
# Ingestion's endpoint (casualties/api/articles.py, the ingestion engineer's).
router.register("articles", ArticleViewSet, basename="article")

v1 = [
    path("auth/token/", auth.TokenObtainView.as_view(), name="token-obtain"),
    path("auth/token/rotate/", auth.TokenRotateView.as_view(), name="token-rotate"),
    path("auth/token/revoke/", auth.TokenRevokeView.as_view(), name="token-revoke"),
    path("stats/timeline/", views.TimelineView.as_view(), name="stats-timeline"),
    path("stats/admin1/", views.Admin1TotalsView.as_view(), name="stats-admin1"),
    path("aggregates/", views.ReportedTotalsView.as_view(), name="aggregate-list"),
    path("places/", views.PlaceSearchView.as_view(), name="place-search"),
    path("admin1/", views.Admin1ListView.as_view(), name="admin1-list"),
    path("compare/", CompareView.as_view(), name="compare"),
    path("compare/<str:dataset>/events/<str:event_id>/", ReferenceEventView.as_view(), name="reference-event"),
    path("", include(router.urls)),
]

urlpatterns = [path("v1/", include((v1, "api"), namespace="v1"))]
