"""Incidents and the claims that sources make about them.

An incident's figures are the min/max over its claims unless an analyst has set
them (`figures_locked`); casualties.services keeps that true. The database holds
the invariants that no code path may break.
"""

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from casualties.display_names import place_display_name
from casualties.models.gazetteer import Admin1, Place
from casualties.models.rules import COUNT_FIELDS
from reports.extraction import contract


def _choices(vocabulary: type[StrEnum], labels: dict[str, str]) -> type[models.TextChoices]:
    """Django choices for one of the engine's vocabularies: its values, with our labels.

    A value without a label fails here, at start-up: the engine cannot name a
    category the record does not know.
    """
    members = [(member.name, (member.value, labels[member])) for member in vocabulary]
    return models.TextChoices(vocabulary.__name__, members)  # type: ignore[return-value]


# ACLED's violent sub-event types, as the annotation guide lists them.
EventType = _choices(
    contract.EventType,
    {
        contract.EventType.AIR_DRONE_STRIKE: "Air or drone strike",
        contract.EventType.SHELLING_ARTILLERY_MISSILE: "Shelling, artillery or missile",
        contract.EventType.REMOTE_EXPLOSIVE: "Remote explosive, landmine or IED",
        contract.EventType.SUICIDE_BOMB: "Suicide bomb",
        contract.EventType.ARMED_CLASH: "Armed clash",
        contract.EventType.ATTACK: "Attack",
        contract.EventType.OTHER: "Other",
    },
)
Victims = _choices(
    contract.Victims,
    {
        contract.Victims.CIVILIANS: "Civilians",
        contract.Victims.COMBATANTS: "Combatants",
        contract.Victims.MIXED: "Civilians and combatants",
        contract.Victims.UNSPECIFIED: "Unspecified",
    },
)
DatePrecision = _choices(
    contract.DatePrecision,
    {
        contract.DatePrecision.DAY: "Day",
        contract.DatePrecision.SPAN: "Span of days",
        contract.DatePrecision.MONTH: "Month",
        contract.DatePrecision.PUBLISHED: "Publication date (no date in the text)",
    },
)
LocationPrecision = _choices(
    contract.LocationPrecision,
    {
        contract.LocationPrecision.PLACE: "Place",
        contract.LocationPrecision.ADMIN1: "First-level division",
        contract.LocationPrecision.COUNTRY: "Country",
    },
)


def _figure_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The invariants shared by incidents and claims: counts >= 0, min <= max, start <= end."""
    checks = [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}), name=f"{prefix}_{field}_not_negative"
        )
        for field in COUNT_FIELDS
    ]
    checks += [
        models.CheckConstraint(
            condition=Q(killed_min__isnull=True) | Q(killed_max__isnull=True) | Q(killed_min__lte=F("killed_max")),
            name=f"{prefix}_killed_min_lte_max",
        ),
        models.CheckConstraint(
            condition=Q(injured_min__isnull=True) | Q(injured_max__isnull=True) | Q(injured_min__lte=F("injured_max")),
            name=f"{prefix}_injured_min_lte_max",
        ),
        models.CheckConstraint(condition=Q(date_start__lte=F("date_end")), name=f"{prefix}_date_start_lte_end"),
    ]
    return checks


class Figures(models.Model):
    """What is known of one event: when, how many, who. Shared by Incident and Claim."""

    date_start = models.DateField()
    date_end = models.DateField()
    date_precision = models.CharField(max_length=16, choices=DatePrecision.choices, default=DatePrecision.DAY)
    killed_min = models.IntegerField(null=True, blank=True)
    killed_max = models.IntegerField(null=True, blank=True)
    injured_min = models.IntegerField(null=True, blank=True)
    injured_max = models.IntegerField(null=True, blank=True)
    children_killed = models.IntegerField(null=True, blank=True)
    women_killed = models.IntegerField(null=True, blank=True)
    victims = models.CharField(max_length=16, choices=Victims.choices, default=Victims.UNSPECIFIED)
    actor = models.CharField(max_length=200, blank=True, help_text="Alleged perpetrator, as the source names it")
    event_type = models.CharField(max_length=32, choices=EventType.choices, default=EventType.OTHER)

    class Meta:
        abstract = True


class Incident(Figures):
    """One violent event at one place on one day or a short span, or an aggregate toll."""

    class ReviewStatus(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"
        MERGED = "merged", "Merged into another incident"

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    admin1 = models.ForeignKey(Admin1, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents")
    # The place as reported, kept even when the gazetteer has no entry for it.
    place_name = models.CharField(max_length=200, blank=True)
    # A point only when the place is known: incidents located to an admin1 or country have none.
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    location_precision = models.CharField(
        max_length=16, choices=LocationPrecision.choices, default=LocationPrecision.COUNTRY
    )
    aggregate = models.BooleanField(default=False, help_text="A toll summed over many events, a period or a region")
    # Made by `generate_incidents` for load tests; never joined by real reports, deleted in one command.
    synthetic = models.BooleanField(default=False, db_index=True)
    review_status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.UNVERIFIED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_incidents"
    )
    # Set when an analyst corrected the figures: claims no longer move them.
    figures_locked = models.BooleanField(default=False)
    # The analysts' own words on the incident (what was checked, why a figure was kept); not from any source.
    note = models.TextField(blank=True, db_default="", help_text="Analysts' note; not from any source")
    # With REVIEW_TWO_PERSON on: the analyst who verified it, while it waits for a second one to confirm
    # (it stays unverified meanwhile). Read through Incident.awaiting_confirmation.
    confirmation_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date_start", "-id"]
        constraints = [
            *_figure_constraints("incident"),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90), name="incident_lat_range"
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180), name="incident_lon_range"
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True) | Q(lat__isnull=False, lon__isnull=False),
                name="incident_lat_lon_together",
            ),
            # Never a fake point: coordinates belong to incidents located to a place.
            models.CheckConstraint(
                condition=Q(location_precision="place") | Q(lat__isnull=True),
                name="incident_point_only_for_place",
            ),
            models.CheckConstraint(
                condition=Q(review_status="merged", merged_into__isnull=False)
                | (~Q(review_status="merged") & Q(merged_into__isnull=True)),
                name="incident_merged_iff_merged_into",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="incident_not_merged_into_itself"),
        ]
        indexes = [
            models.Index(fields=["country", "admin1", "date_start"]),
            models.Index(fields=["date_start", "date_end"]),
            # Incidents spanning several days, by their last day: what a date_from filter must add to
            # the pre-aggregated counts (which are keyed by date_start). A few percent of the table.
            models.Index(fields=["date_end"], condition=Q(date_end__gt=F("date_start")), name="incident_span_end"),
            # The same spans by their first day: the spans crossing a date_from start in the weeks before it
            # (count_query.crossing_spans), one range of this index instead of a BitmapAnd with every span; and the
            # same for a country or governorate, with what the filters test included (PostgreSQL). The planner
            # guesses that a third of the rows span days (a tenth at 2M), so without these it read every span.
            models.Index(
                fields=["date_start", "date_end"], condition=Q(date_end__gt=F("date_start")), name="incident_span_start"
            ),
            models.Index(
                fields=["country", "admin1", "date_start"],
                include=["date_end", "review_status", "aggregate"],
                condition=Q(date_end__gt=F("date_start")),
                name="incident_span_place",
            ),
            # The map's bounding box and the list by governorate and date, at millions of incidents.
            models.Index(fields=["lon", "lat"], condition=Q(lat__isnull=False), name="incident_point"),
            models.Index(fields=["admin1", "-date_start", "-id"], name="incident_admin1_newest"),
            # The reported period totals, newest first (the dashboard's table, the timeline's spans, /aggregates/):
            # a few among millions of incidents, read on every page.
            models.Index(fields=["-date_start", "-id"], condition=Q(aggregate=True), name="incident_aggregate_newest"),
            # The same for one governorate (the page as most open it): not every toll of the world read to find its own.
            models.Index(
                fields=["admin1", "-date_start", "-id"], condition=Q(aggregate=True), name="incident_aggregate_admin1"
            ),
        ]

    def __str__(self) -> str:
        where = self.place_name or (self.admin1.name if self.admin1_id else self.country)
        return f"{self.date_start} {where}: {self.killed_max if self.killed_max is not None else '?'} killed"

    @property
    def place_display_name(self) -> str:
        """The place as readers write it ("Ariha" for GeoNames' "Arīḩā"): casualties.display_names."""
        admin1_name = self.admin1.name if self.admin1_id else None
        return place_display_name(name=self.place_name, country=self.country, admin1_name=admin1_name)

    @property
    def awaiting_confirmation(self) -> bool:
        """Verified by one analyst, waiting for a second (REVIEW_TWO_PERSON)."""
        return self.confirmation_requested_by_id is not None and self.review_status == self.ReviewStatus.UNVERIFIED


class Claim(Figures):
    """What one article said about one incident, with the sentence that says it."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="claims")
    article = models.ForeignKey("reports.Article", on_delete=models.PROTECT, related_name="claims")
    place_name = models.CharField(max_length=200, blank=True)
    evidence = models.TextField()
    # Character offsets of the evidence in the article's text: text[start:end] == evidence.
    evidence_start = models.PositiveIntegerField()
    evidence_end = models.PositiveIntegerField()
    extractor_version = models.CharField(max_length=32)
    confidence = models.FloatField(default=1.0)
    # True for the claim whose filing created the incident: "first reported by".
    opened_incident = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["incident", "id"]
        constraints = [
            *_figure_constraints("claim"),
            models.CheckConstraint(condition=Q(evidence_start__lte=F("evidence_end")), name="claim_evidence_span"),
            models.CheckConstraint(condition=Q(confidence__gte=0, confidence__lte=1), name="claim_confidence_range"),
            models.UniqueConstraint(fields=["article", "incident"], name="claim_one_per_article_and_incident"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk} on incident {self.incident_id} from article {self.article_id}"
