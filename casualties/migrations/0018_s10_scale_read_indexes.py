# Read indexes for 2M incidents (issue 19): the spans crossing a date_from by their first day (anywhere, and in
# a country or governorate), one governorate's reported period totals, and the month x division counts by month
# and by division with their keys and measures included (index-only on PostgreSQL; the division one replaces a
# plain index).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casualties", "0017_s9_scale_version_at_commit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="incidentmonthdivisioncount",
            name="incident_month_div_admin1",
        ),
        migrations.AddIndex(
            model_name="incidentmonthdivisioncount",
            index=models.Index(
                fields=["admin1_key", "month"],
                include=[
                    "country",
                    "review_status",
                    "aggregate",
                    "incidents",
                    "killed_min",
                    "killed_max",
                    "injured_min",
                    "injured_max",
                    "children_killed",
                    "women_killed",
                    "incidents_with_killed",
                    "incidents_with_injured",
                    "incidents_with_children",
                    "incidents_with_women",
                ],
                name="incident_month_div_admin1_rows",
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                condition=models.Q(("date_end__gt", models.F("date_start"))),
                fields=["date_start", "date_end"],
                name="incident_span_start",
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                condition=models.Q(("date_end__gt", models.F("date_start"))),
                fields=["country", "admin1", "date_start"],
                include=["date_end", "review_status", "aggregate"],
                name="incident_span_place",
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                condition=models.Q(("aggregate", True)),
                fields=["admin1", "-date_start", "-id"],
                name="incident_aggregate_admin1",
            ),
        ),
        migrations.AddIndex(
            model_name="incidentmonthdivisioncount",
            index=models.Index(
                fields=["month"],
                include=(
                    "country",
                    "admin1_key",
                    "review_status",
                    "aggregate",
                    "incidents",
                    "killed_min",
                    "killed_max",
                    "injured_min",
                    "injured_max",
                    "children_killed",
                    "women_killed",
                    "incidents_with_killed",
                    "incidents_with_injured",
                    "incidents_with_children",
                    "incidents_with_women",
                ),
                name="incident_month_div_month",
            ),
        ),
    ]
