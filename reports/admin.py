from django.contrib import admin

from reports.models import Article, Feed, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "domain"]
    list_filter = ["kind"]
    search_fields = ["name", "domain"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "published_at", "status", "failure_reason", "extractor_version"]
    list_filter = ["status", "source", "extractor_version"]
    search_fields = ["title", "url", "text_sha256"]
    date_hierarchy = "published_at"
    readonly_fields = ["text_sha256", "created_at", "updated_at", "duplicate_of", "attempts"]
    raw_id_fields = ["source", "feed"]
    list_select_related = ["source"]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "active", "interval_minutes", "last_polled_at", "next_poll_at", "last_error"]
    list_filter = ["active"]
    search_fields = ["url", "title"]
    readonly_fields = ["last_polled_at", "last_error", "entries_seen", "created_at"]
