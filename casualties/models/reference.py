"""Reference datasets: other projects' event records (ACLED, UCDP GED), kept apart from ours.

Their events live in their own table, are never joined to our incidents and never
enter our totals: they exist to be compared with (casualties/reference/). Each
dataset is one export of one publisher, replaced by re-importing a newer export.
"""

from django.db import models
from django.db.models import F, Q

from casualties.models.gazetteer import Admin1
from casualties.models.incidents import DatePrecision, EventType, LocationPrecision


class ReferenceDataset(models.Model):
    """One publisher's dataset, as last imported."""

    class Format(models.TextChoices):
        ACLED = "acled", "ACLED"
        UCDP = "ucdp", "UCDP GED"

    format = models.CharField(max_length=16, choices=Format.choices, unique=True)
    version = models.CharField(max_length=100, blank=True, help_text="Release or export name, as the admin gave it")
    # ACLED's licence limits redistribution: its rows are for signed-in analysts only.
    restricted = models.BooleanField(default=False)
    imported_at = models.DateTimeField(null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)
    # {"SY|Halab": rows}: their first-level division names the gazetteer did not match, at the last import.
    unmatched_admin1 = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["format"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.version}".strip()


class ReferenceEvent(models.Model):
    """One of their events, mapped to our vocabulary (docs/reference-datasets.md), with their row kept whole."""

    # No database constraint or index of their own on the two foreign keys: the import writes a million rows at
    # a time, and a constraint checks each row at commit (two million checks, 12 s) where the import checks the
    # few ids it uses once, under its lock (copying.py, docs/reference-datasets.md). Django's on_delete still
    # cascades and sets null. Lookups by dataset use the unique (dataset, event_id) index and the two below.
    dataset = models.ForeignKey(
        ReferenceDataset, on_delete=models.CASCADE, related_name="events", db_constraint=False, db_index=False
    )
    event_id = models.CharField(max_length=64, help_text="Their id: event_id_cnty (ACLED), id (UCDP)")
    # The days the event may fall on, widened from a single date when their precision is a week or a month.
    date_start = models.DateField()
    date_end = models.DateField()
    date_precision = models.CharField(max_length=16, choices=DatePrecision.choices)
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2; blank when not recognised")
    admin1 = models.ForeignKey(
        Admin1,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    admin1_name = models.CharField(max_length=200, blank=True, help_text="Their first-level division, as written")
    location = models.CharField(max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    location_precision = models.CharField(max_length=16, choices=LocationPrecision.choices)
    # ACLED gives one figure (min = best = max); UCDP low, best and high.
    killed_min = models.IntegerField(null=True, blank=True)
    killed_best = models.IntegerField(null=True, blank=True)
    killed_max = models.IntegerField(null=True, blank=True)
    # Every column of their row, as read: actors, sub-event type, notes, sources, their precision codes.
    fields = models.JSONField(default=dict)
    # Digest of their row: a re-import rewrites only the events whose row changed.
    digest = models.CharField(max_length=32)

    class Meta:
        ordering = ["dataset", "-date_start", "event_id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "event_id"], name="reference_event_unique_id"),
            models.CheckConstraint(condition=Q(date_start__lte=F("date_end")), name="reference_date_start_lte_end"),
            models.CheckConstraint(
                condition=Q(killed_min__isnull=True) | Q(killed_min__gte=0), name="reference_killed_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(killed_min__isnull=True)
                | Q(killed_max__isnull=True)
                | Q(killed_best__isnull=True)
                | Q(killed_min__lte=F("killed_best"), killed_best__lte=F("killed_max")),
                name="reference_killed_min_best_max",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="reference_point_range",
            ),
        ]
        indexes = [
            models.Index(fields=["dataset", "admin1", "date_start"], name="reference_admin1_date"),
            models.Index(fields=["dataset", "date_start"], name="reference_date"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.format} {self.event_id}"
