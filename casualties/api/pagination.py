"""Cursor pagination with a strict page_size: a bad value is a 400 naming it, not a silent default."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class IncidentCursorPagination(CursorPagination):
    """Newest first (by date_start, then id); by updated_at, oldest first, when syncing with updated_since."""

    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"
    ordering = ("-date_start", "-id")
    sync_ordering = ("updated_at", "id")

    def get_ordering(self, request, queryset, view):
        if request.query_params.get("updated_since"):
            # Incremental sync walks changes in the order they happened, so a consumer can resume.
            return self.sync_ordering
        return self.ordering

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise self._invalid_cursor() from None

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, OverflowError):
            # A cursor that decodes but whose position is not a value of the ordering's field
            # ("p=2016" for a date): the query cannot even be built.
            raise self._invalid_cursor() from None

    def _invalid_cursor(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: ["Invalid cursor: use the next or previous link as given."]})

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({self.page_size_query_param: ["Expected a whole number."]}) from None
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"Must be between 1 and {self.max_page_size}."]})
        return size


class ArticleCursorPagination(IncidentCursorPagination):
    """Articles, the most recently stored first."""

    ordering = ("-id",)

    def get_ordering(self, request, queryset, view):
        return self.ordering
