"""Pre-aggregated incident counts, so timelines and totals over millions of incidents read thousands of rows.

Each row sums the incidents that share its key: the day or month of their
date_start (or no date, for all-time totals), country, first-level division,
event type, review status and whether they are aggregate tolls. A fourth table
drops the places (month x event type x status x aggregate): at two million
incidents spread over thousands of divisions the keyed tables stay large, and
the world's timeline should read a few thousand rows. A fifth drops the event
type instead (month x division x status x aggregate): governorate totals over a
date range and one governorate's timeline, which need no event type, read it.
Database triggers on the incident table keep the rows current on every INSERT,
UPDATE and DELETE, whichever code path (or SQL session) writes, so the counts cannot drift from the incidents; see
`casualties.services.rollups` for the triggers and `casualties.selectors.rollups` for
the reads. `manage.py rollups --verify` compares them with a fresh computation.

Rows are never deleted by the triggers: a key whose incidents all went away
keeps a row of zeros, which readers skip (`incidents > 0`).
"""

from django.db import models

from casualties.models.rules import COUNT_FIELDS

# The key columns shared by both tables, after the time column, in unique-index order.
ROLLUP_KEY = ("country", "admin1_key", "event_type", "review_status", "aggregate")
# The key of the world table: the full key without the places.
WORLD_KEY = ("event_type", "review_status", "aggregate")
# The key of the month x division table: the full key without the event type.
DIVISION_KEY = ("country", "admin1_key", "review_status", "aggregate")
# How many incidents of a row give each figure readers show (killed, injured, children, women), by the
# incident column that holds it: a sum over incidents none of which gives a figure is unknown, not 0.
REPORTED_COUNTS = {
    "incidents_with_killed": "killed_max",
    "incidents_with_injured": "injured_max",
    "incidents_with_children": "children_killed",
    "incidents_with_women": "women_killed",
}
# What each row sums: incidents counted, then each figure with unknown (NULL) as 0, then how many incidents
# give each figure (CountMeasures declares a column for each; tests/casualties/test_rollups.py holds them equal).
ROLLUP_MEASURES = ("incidents", *COUNT_FIELDS, *REPORTED_COUNTS)
# What each measure adds for one incident row {r} (SQL): 1 for "incidents"; a figure's value, unknown as 0; and 1 or
# 0 for whether the row gives the figure a REPORTED_COUNTS column counts (so a reader can tell 0 from unknown). The
# triggers sum it into the count rows; casualties.selectors.area_totals adds incident rows to count rows with it.
MEASURE_SQL = {
    "incidents": "1",
    **{
        measure: f"COALESCE({{r}}.{measure}, 0)"
        for measure in ROLLUP_MEASURES
        if measure != "incidents" and measure not in REPORTED_COUNTS
    },
    **{measure: f"CASE WHEN {{r}}.{figure} IS NULL THEN 0 ELSE 1 END" for measure, figure in REPORTED_COUNTS.items()},
}
# admin1_key for incidents located only to a country (NULL would make the unique key useless).
NO_ADMIN1 = 0


class CountMeasures(models.Model):
    """The sums a count row holds. Maintained by triggers: never written by application code."""

    incidents = models.BigIntegerField(default=0)
    killed_min = models.BigIntegerField(default=0)
    killed_max = models.BigIntegerField(default=0)
    injured_min = models.BigIntegerField(default=0)
    injured_max = models.BigIntegerField(default=0)
    children_killed = models.BigIntegerField(default=0)
    women_killed = models.BigIntegerField(default=0)
    incidents_with_killed = models.BigIntegerField(default=0)
    incidents_with_injured = models.BigIntegerField(default=0)
    incidents_with_children = models.BigIntegerField(default=0)
    incidents_with_women = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.incidents} incidents"


class IncidentCount(CountMeasures):
    """Sums over the incidents of one full key (country, division, event type, status, aggregate)."""

    country = models.CharField(max_length=2)
    admin1_key = models.IntegerField(help_text="Admin1 id, or 0 for incidents with no first-level division")
    event_type = models.CharField(max_length=32)
    review_status = models.CharField(max_length=16)
    aggregate = models.BooleanField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.country} {self.admin1_key} {self.event_type} {self.review_status}: {self.incidents} incidents"


class IncidentDayCount(IncidentCount):
    """Incidents per day of date_start and key: the table for governorate, day and week queries."""

    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", *ROLLUP_KEY], name="incident_day_count_key")]
        indexes = [
            models.Index(fields=["admin1_key", "day"], name="incident_day_count_admin1"),
            models.Index(fields=["country", "day"], name="incident_day_count_country"),
        ]


class IncidentMonthCount(IncidentCount):
    """Incidents per month of date_start and key: the table for whole months."""

    month = models.DateField(help_text="First day of the month")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", *ROLLUP_KEY], name="incident_month_count_key")]
        indexes = [
            models.Index(fields=["admin1_key", "month"], name="incident_month_count_admin1"),
            models.Index(fields=["country", "month"], name="incident_month_count_country"),
        ]


class IncidentAllTimeCount(IncidentCount):
    """Incidents per key over all dates: governorate totals and counts when no date filter is given."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=list(ROLLUP_KEY), name="incident_all_time_count_key")]


class IncidentMonthWorldCount(CountMeasures):
    """Incidents per month, event type, status and aggregate, every country together: the world's timeline."""

    month = models.DateField(help_text="First day of the month")
    event_type = models.CharField(max_length=32)
    review_status = models.CharField(max_length=16)
    aggregate = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", *WORLD_KEY], name="incident_month_world_count_key")]


# What a month x division row holds besides its month: included in its indexes for index-only reads.
_DIVISION_ROW = [*DIVISION_KEY, *ROLLUP_MEASURES]


class IncidentMonthDivisionCount(CountMeasures):
    """Incidents per month, division, status and aggregate, every event type together: governorate totals over
    date ranges and one governorate's timeline read a fraction of IncidentMonthCount's rows."""

    month = models.DateField(help_text="First day of the month")
    country = models.CharField(max_length=2)
    admin1_key = models.IntegerField(help_text="Admin1 id, or 0 for incidents with no first-level division")
    review_status = models.CharField(max_length=16)
    aggregate = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", *DIVISION_KEY], name="incident_month_division_count_key")
        ]
        indexes = [
            # One governorate's months (its timeline, a toll's coverage) with the keys and measures in the index
            # (PostgreSQL; a plain index elsewhere): an index-only scan, not a heap page per row read cold.
            models.Index(
                fields=["admin1_key", "month"],
                include=[name for name in _DIVISION_ROW if name != "admin1_key"],
                name="incident_month_div_admin1_rows",
            ),
            models.Index(fields=["country", "month"], name="incident_month_div_country"),
            # Governorate totals over a date range read every division's rows of its months: by month, the same
            # way, an index-only range scan instead of a scan of the whole table.
            models.Index(fields=["month"], include=_DIVISION_ROW, name="incident_month_div_month"),
        ]
