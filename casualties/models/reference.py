"""Reference datasets: other projects' event records (ACLED, UCDP GED), kept apart from ours.

Their events live in their own table, are never joined to our incidents and never
enter our totals: they exist to be compared with (casualties/reference/). Each
dataset is one export of one publisher, replaced by re-importing a newer export.
"""

import hashlib
import json
from collections.abc import Sequence

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


class ReferenceHeader(models.Model):
    """The column names of an export's header, stored once for all the events read with it.

    Shared by every import with the same names in the same order (found by their digest); never changed or deleted.
    """

    # Lower-cased and stripped, as the import reads them; a repeated name is kept as often as it appears.
    names = models.JSONField()
    digest = models.CharField(max_length=32, unique=True)

    def __str__(self) -> str:
        return ", ".join(self.names)

    @staticmethod
    def names_digest(names: Sequence[str]) -> str:
        return hashlib.md5("\x1f".join(names).encode(), usedforsecurity=False).hexdigest()

    @classmethod
    def for_names(cls, names: Sequence[str]) -> "ReferenceHeader":
        """The header with these names, created the first time they are seen."""
        header, _created = cls.objects.get_or_create(digest=cls.names_digest(names), defaults={"names": list(names)})
        return header


class CellsField(models.Field):
    """A list of strings: `text[]` on PostgreSQL (compact, and built by the import with ARRAY[...] at no cost), a
    JSON array in a text column elsewhere (SQLite has no arrays). Read and written as a Python list."""

    description = "A list of strings"

    def db_type(self, connection) -> str:
        return "text[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if connection.vendor == "postgresql":
            return list(value)
        return json.dumps(list(value), ensure_ascii=False)


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
    # Every cell of their row, as read (actors, sub-event type, notes, sources, their precision codes), in the
    # order of their header, whose names are stored once (`fields` pairs them). Their row as a JSON object took
    # 860 of an event's 1,042 bytes and most of a first import's time (docs/benchmarks.md, session 9).
    header = models.ForeignKey(
        ReferenceHeader, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    cells = CellsField(default=list)
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

    @property
    def fields(self) -> dict[str, str]:
        """Their row, {column name: cell as read}; a name repeated in their header keeps its last cell."""
        return dict(zip(self.header.names, self.cells, strict=True))
