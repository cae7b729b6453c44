from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from reports.forms import ArticleSubmitForm
from reports.models import Article, Feed, Source
from reports.services.review import first_review_reason


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    # The grade sets how the incidents this source reports are graded (docs/grading.md).
    list_display = ["name", "grade", "kind", "domain"]
    list_editable = ["grade"]
    list_filter = ["grade", "kind"]
    search_fields = ["name", "domain"]


class ArticleAddForm(ArticleSubmitForm, forms.ModelForm):
    """ "Add article" in the admin: the analysts' submission form, refusing what is known already."""

    class Meta:
        model = Article
        fields: list[str] = []

    def clean(self):
        cleaned = super().clean()
        if not self.errors and (known := self.known_article()) is not None:
            link = format_html(
                '<a href="{}">{}</a>', reverse("admin:reports_article_change", args=[known.pk]), f"article {known.pk}"
            )
            field = "text" if cleaned.get("text") else "url"
            self.add_error(field, ValidationError(format_html("This was submitted already: {}.", link)))
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    # Adding goes through the ingestion services (stored, then fetched or extracted as any other article);
    # the fields filing sets are shown once it exists.
    add_form = ArticleAddForm
    add_fieldsets = [(None, {"fields": ["url", "title", "outlet", "published", "text"]})]
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

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else super().get_readonly_fields(request, obj)

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        article, _created = form.submit()
        return article

    def save_model(self, request, obj, form, change):
        if change:  # a new article was stored by form.submit()
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

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
