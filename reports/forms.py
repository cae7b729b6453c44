"""The one form that submits an article by hand: the admin's "Add article" and the analysts' web page.

Either a pasted text (with its title, outlet and publication date, and the address it was
read at if there is one) or a web address alone, which the workers fetch. What it adds
goes through the same pipeline as the API and `manage.py ingest`
(`reports.services.articles`). Errors are in plain words and sit on the field they are about.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from reports.extraction import MAX_TEXT_CHARS
from reports.models import Article
from reports.services.articles import article_submit_text, article_submit_url, text_sha256, url_canonical

NEITHER = "Paste the article's text here, or give its web address above."
NOT_A_URL = "This is not a web address: it should start with http:// or https://."
EMPTY_TEXT = "The text is only spaces: paste the article's text."
TOO_LONG = f"The text is too long: at most {MAX_TEXT_CHARS:,} characters."
IN_FUTURE = "The publication date is in the future."


class ArticleSubmitForm(forms.Form):
    url = forms.URLField(
        required=False,
        max_length=2000,
        label="Web address",
        assume_scheme="https",
        help_text="Alone, the page is fetched and read; with a text, it is kept as the text's address.",
    )
    title = forms.CharField(required=False, max_length=1000, label="Title")
    outlet = forms.CharField(required=False, max_length=200, label="Outlet", help_text="Who published it.")
    published = forms.DateField(
        required=False, label="Publication date", widget=forms.DateInput(attrs={"type": "date"})
    )
    # NUL characters are refused by the field itself ("Null characters are not allowed.").
    text = forms.CharField(
        required=False,
        strip=False,
        label="Text",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="The article's text, pasted as it is.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # The browser's own URL check says nothing useful: the server's message is in plain words.
        self.fields["url"].error_messages["invalid"] = NOT_A_URL
        self.fields["url"].widget.input_type = "text"
        self.fields["url"].widget.attrs["inputmode"] = "url"

    def clean_url(self) -> str | None:
        url = self.cleaned_data.get("url")
        if not url:
            return None
        try:
            return url_canonical(url)
        except ValidationError as error:
            raise ValidationError(NOT_A_URL) from error

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text") or ""
        if not text:
            return ""
        if not text.strip():
            raise ValidationError(EMPTY_TEXT)
        if len(text) > MAX_TEXT_CHARS:
            raise ValidationError(TOO_LONG)
        return text

    def clean_published(self):
        published = self.cleaned_data.get("published")
        if published and published > timezone.now().date():
            raise ValidationError(IN_FUTURE)
        return published

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("text") and not cleaned.get("url") and not self.errors:
            self.add_error("text", NEITHER)
        return cleaned

    def known_article(self) -> Article | None:
        """The article already holding this text (or, given a URL alone, this URL). Call after is_valid()."""
        text, url = self.cleaned_data.get("text"), self.cleaned_data.get("url")
        if text:
            return Article.objects.filter(text_sha256=text_sha256(text)).first()
        return Article.objects.filter(url=url).first()

    def submit(self) -> tuple[Article, bool]:
        """Store the article and queue its processing. Returns (article, created); call after is_valid()."""
        data = self.cleaned_data
        if data.get("text"):
            return article_submit_text(
                text=data["text"],
                title=data.get("title", ""),
                published=data.get("published"),
                source_name=data.get("outlet", ""),
                url=data.get("url"),
            )
        return article_submit_url(
            url=data["url"],
            title=data.get("title", ""),
            published=data.get("published"),
            source_name=data.get("outlet", ""),
        )
