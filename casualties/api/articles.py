"""`/api/v1/articles/`: submit an article (URL or text) for ingestion, and follow its job.

The job id is the article's id: `GET articles/{id}/` tells where it stands
(pending, extracted, failed with the reason, or duplicate of another article),
which incidents it fed, and whether it needs review and why. `GET articles/`
lists the jobs, newest first; `?needs_review=true` gives those filed for review.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from casualties.api.pagination import ArticleCursorPagination
from casualties.api.permissions import CanSubmitArticlesOrReadOnly, user_is_analyst
from casualties.api.serializers import ArticleReviewReasonSerializer, NoUnknownFieldsMixin
from casualties.filters import MultiValueFilter, StrictBooleanFilter
from reports.models import Article
from reports.services.articles import MAX_TEXT_CHARS, article_submit_text, article_submit_url

GENERIC_FAILURE_REASON = "The article could not be fetched or processed."


class ArticleSubmitSerializer(NoUnknownFieldsMixin, serializers.Serializer):
    """Exactly one of `url` (fetched by the workers) or `text` (extracted as given)."""

    url = serializers.URLField(required=False, max_length=2000)
    text = serializers.CharField(required=False, max_length=MAX_TEXT_CHARS, trim_whitespace=False)
    title = serializers.CharField(required=False, max_length=1000, allow_blank=True)
    published = serializers.DateField(required=False, allow_null=True)
    source = serializers.CharField(required=False, max_length=200, allow_blank=True)

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("The text is empty.")
        return value

    def validate(self, attrs):
        if bool(attrs.get("url")) == bool(attrs.get("text")):
            raise serializers.ValidationError("Give either `url` (to fetch) or `text` (to extract), not both.")
        if attrs.get("url") and set(attrs) - {"url"}:
            raise serializers.ValidationError("With `url`, title, date and source come from the page.")
        return attrs


class ArticleJobSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="The job id: poll GET articles/{id}/")
    source = serializers.CharField(source="source.name", default=None, read_only=True)
    incidents = serializers.SerializerMethodField()
    failure_reason = serializers.SerializerMethodField(
        help_text="Why the article failed: in full for analysts; for other readers a generic reason."
    )
    review_reasons = ArticleReviewReasonSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "status",
            "failure_reason",
            "needs_review",
            "review_reasons",
            "duplicate_of",
            "url",
            "title",
            "source",
            "published_at",
            "extractor_version",
            "created_at",
            "updated_at",
            "incidents",
        ]
        read_only_fields = fields

    def get_failure_reason(self, article: Article) -> str:
        # The full reason can name internal addresses (a refused fetch says what the host resolved to).
        request = self.context.get("request")
        if not article.failure_reason or (request is not None and user_is_analyst(request.user)):
            return article.failure_reason
        return GENERIC_FAILURE_REASON

    def get_incidents(self, article: Article) -> list[int]:
        return sorted({claim.incident_id for claim in article.claims.all()})


class ArticleFilterSet(django_filters.FilterSet):
    needs_review = StrictBooleanFilter(
        field_name="needs_review",
        help_text="true: articles filed for review (a toll with no incident, or a doubtful claim); false: the others.",
    )
    status = MultiValueFilter(field_name="status", choices=Article.Status.choices)

    class Meta:
        model = Article
        fields: list[str] = []


class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Submit articles for ingestion (analysts) and follow them (anyone)."""

    permission_classes = [CanSubmitArticlesOrReadOnly]
    serializer_class = ArticleJobSerializer
    queryset = Article.objects.select_related("source").prefetch_related("claims")
    filter_backends = [DjangoFilterBackend]
    filterset_class = ArticleFilterSet
    pagination_class = ArticleCursorPagination

    def filter_queryset(self, queryset):
        # Filters narrow the list only: an article is always found by its id.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(request=ArticleSubmitSerializer, responses={202: ArticleJobSerializer, 200: ArticleJobSerializer})
    def create(self, request: Request) -> Response:
        """Queue an article. 202 with the job when new; 200 with the existing one when already known."""
        submitted = ArticleSubmitSerializer(data=request.data)
        submitted.is_valid(raise_exception=True)
        data = submitted.validated_data
        try:
            if data.get("url"):
                article, created = article_submit_url(url=data["url"])
            else:
                article, created = article_submit_text(
                    text=data["text"],
                    title=data.get("title", ""),
                    published=data.get("published"),
                    source_name=data.get("source", ""),
                )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"detail": error.messages}) from error
        article = self.get_queryset().get(pk=article.pk)
        return Response(
            ArticleJobSerializer(article, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )
