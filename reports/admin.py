from django.contrib import admin

from reports.models import Article, Source


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
    readonly_fields = ["text_sha256", "created_at", "updated_at"]
    list_select_related = ["source"]
