"""The evidence: who published what, where we read it, and what became of it."""

from django.db import models
from django.db.models import Q


class Source(models.Model):
    """An outlet or organisation that publishes reports."""

    class Kind(models.TextChoices):
        OUTLET = "outlet", "News outlet"
        ORGANISATION = "organisation", "Organisation (NGO, monitor, agency)"
        OFFICIAL = "official", "Official body"
        OTHER = "other", "Other"

    class Grade(models.TextChoices):
        """How far an admin trusts what the source reports (docs/grading.md: how it grades incidents)."""

        WIRE = "wire", "Wire service or news agency"
        MONITOR = "monitor", "NGO or UN monitor"
        LOCAL = "local", "Local outlet"
        PARTY = "party", "Party to the conflict or state media"
        UNKNOWN = "unknown", "Unknown"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTLET)
    # Set by admins; a new source is unknown until graded. Defaults in the database too, for SQL-written rows.
    grade = models.CharField(
        max_length=16, choices=Grade.choices, default=Grade.UNKNOWN, db_default=Grade.UNKNOWN, db_index=True
    )
    # The site's host name, so an article fetched from a URL finds its source.
    domain = models.CharField(max_length=253, blank=True, db_index=True)
    url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__in=["wire", "monitor", "local", "party", "unknown"]), name="source_grade_known"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Feed(models.Model):
    """An RSS or Atom feed whose new entries are ingested on a per-feed interval."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="feeds")
    active = models.BooleanField(default=True)
    interval_minutes = models.PositiveIntegerField(default=30)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    entries_seen = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        constraints = [models.CheckConstraint(condition=Q(interval_minutes__gte=1), name="feed_interval_positive")]

    def __str__(self) -> str:
        return self.title or self.url


class Article(models.Model):
    """One report as fetched or submitted: its text and what extraction made of it.

    Life: pending (waiting to be fetched, when it came as a URL, or extracted)
    -> extracted, or failed with a reason, or duplicate of an article with the
    same text. The beat sweep re-queues articles left pending too long.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        EXTRACTED = "extracted", "Extracted"
        FAILED = "failed", "Failed"
        DUPLICATE = "duplicate", "Duplicate"

    # NULL when the article came as text with no address; NULLs never collide in a unique index.
    url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    title = models.CharField(max_length=1000, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)
    # NULL until the text is known (an article submitted as a URL, not fetched yet).
    text_sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    failure_reason = models.TextField(blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    extractor_version = models.CharField(max_length=32, blank=True)
    # Set when the article is filed: a casualty sentence gave no incident, or a claim's confidence is under
    # EXTRACTION_REVIEW_THRESHOLD. The reasons are `ReviewReason.as_json()` dicts (reports/services/review.py).
    # Defaults in the database too, for the rows written by SQL (casualties/synthetic).
    needs_review = models.BooleanField(default=False, db_default=False, db_index=True)
    review_reasons = models.JSONField(default=list, db_default=[], blank=True)
    # Made by `generate_incidents` for load tests.
    synthetic = models.BooleanField(default=False, db_index=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Fetch and extraction attempts so far")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""),
                name="article_failed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="article_duplicate_iff_duplicate_of",
            ),
            models.CheckConstraint(
                condition=Q(text_sha256__isnull=True) | Q(text_sha256__regex=r"^[0-9a-f]{64}$"),
                name="article_sha256_is_hex",
            ),
            models.CheckConstraint(
                condition=~Q(status="extracted") | Q(text_sha256__isnull=False),
                name="article_extracted_has_text",
            ),
            models.CheckConstraint(
                condition=Q(url__isnull=False) | Q(text_sha256__isnull=False), name="article_has_url_or_text"
            ),
            models.CheckConstraint(
                condition=Q(needs_review=False) | Q(status="extracted"), name="article_review_after_extraction"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Article {self.pk}"
