from django.contrib import admin
from django.utils.html import format_html_join

from reports.models import Article, Feed, Source
from reports.services.review import first_review_reason


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "domain"]
    list_filter = ["kind"]
    search_fields = ["name", "domain"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "source",
        "published_at",
        "status",
        "needs_review",
        "first_review_reason",
        "failure_reason",
        "extractor_version",
    ]
    list_filter = ["status", "needs_review", "source", "extractor_version"]
    search_fields = ["title", "url", "text_sha256"]
    date_hierarchy = "published_at"
    # Set by filing (reports/services/review.py), not by hand: re-extraction would overwrite them.
    readonly_fields = [
        "text_sha256",
        "created_at",
        "updated_at",
        "duplicate_of",
        "attempts",
        "needs_review",
        "reasons_for_review",
    ]
    exclude = ["review_reasons"]
    raw_id_fields = ["source", "feed"]
    list_select_related = ["source"]

    @admin.display(description="why it needs review")
    def first_review_reason(self, article: Article) -> str:
        return first_review_reason(article.review_reasons or [])

    @admin.display(description="reasons for review")
    def reasons_for_review(self, article: Article) -> str:
        return format_html_join("\n", "<p>{}</p>", ((reason.get("reason", ""),) for reason in article.review_reasons))


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "active", "interval_minutes", "last_polled_at", "next_poll_at", "last_error"]
    list_filter = ["active"]
    search_fields = ["url", "title"]
    readonly_fields = ["last_polled_at", "last_error", "entries_seen", "created_at"]
