"""The evidence: who published what, and what became of it."""

from django.db import models
from django.db.models import Q


class Source(models.Model):
    """An outlet or organisation that publishes reports."""

    class Kind(models.TextChoices):
        OUTLET = "outlet", "News outlet"
        ORGANISATION = "organisation", "Organisation (NGO, monitor, agency)"
        OFFICIAL = "official", "Official body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTLET)
    # The site's host name, so an article fetched from a URL finds its source.
    domain = models.CharField(max_length=253, blank=True, db_index=True)
    url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """One report as fetched or submitted: its text and what extraction made of it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        EXTRACTED = "extracted", "Extracted"
        FAILED = "failed", "Failed"

    # NULL when the article came as text with no address; NULLs never collide in a unique index.
    url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    title = models.CharField(max_length=1000, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)
    text_sha256 = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    failure_reason = models.TextField(blank=True)
    extractor_version = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""),
                name="article_failed_has_reason",
            ),
            models.CheckConstraint(condition=Q(text_sha256__regex=r"^[0-9a-f]{64}$"), name="article_sha256_is_hex"),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Article {self.pk}"
