"""The dashboard's routes, mounted at the site root by config/urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import path

from casualties import review_views, views
from casualties.reference import views as reference_views
from casualties.submissions import views as submission_views

app_name = "casualties"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard/timeline.json", views.timeline_data, name="timeline-data"),
    path("dashboard/admin1.json", views.admin1_data, name="admin1-data"),
    path("dashboard/map.json", views.map_data, name="map-data"),
    path("dashboard/duplicates.json", views.duplicates_note, name="duplicates-note"),
    path("export/incidents.<str:fmt>", views.export, name="export"),
    path("duplicates/", views.dashboard_duplicates, name="duplicates"),
    path("review/", review_views.queue, name="review"),
    path("review/decide/", review_views.queue_decide, name="review-decide"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("compare/", reference_views.compare, name="compare"),
    path("submit/", submission_views.submit, name="submit"),
    path("articles/<int:pk>/", submission_views.article_status, name="article"),
    path("incidents/<int:pk>/<str:action>/", views.incident_action, name="incident-action"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="casualties/login.html", redirect_authenticated_user=True, next_page="casualties:dashboard"
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="casualties:dashboard"), name="logout"),
]
