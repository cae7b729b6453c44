"""Reads about one submitted article, for its status page."""

from django.db.models import QuerySet

from casualties.models import Incident
from reports.models import Article


def article_for_status(*, article_id: int) -> Article:
    """The article with its source and the article it duplicates. Raises Article.DoesNotExist."""
    return Article.objects.select_related("source", "duplicate_of").defer("text").get(pk=article_id)


def article_incidents(*, article: Article) -> QuerySet[Incident]:
    """The incidents the article's claims stand in now (a merge moves claims to the incident kept)."""
    return (
        Incident.objects.filter(claims__article=article)
        .select_related("admin1")
        .distinct()
        .order_by("-date_start", "-id")
    )
