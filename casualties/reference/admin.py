"""The reference datasets in the admin: admins see each import and say whether its rows are restricted.

Events are imported by `manage.py import_dataset`, never edited here; registered from casualties/admin.py.
"""

import json

from django.contrib import admin

from casualties.models import ReferenceDataset, ReferenceEvent, ReferenceHeader


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(admin.ModelAdmin):
    list_display = ["format", "version", "restricted", "imported_at", "event_count"]
    fields = ["format", "version", "restricted", "imported_at", "event_count", "unmatched_admin1"]
    readonly_fields = ["format", "imported_at", "event_count", "unmatched_admin1"]

    def has_add_permission(self, request) -> bool:
        return False  # a dataset comes into being with its first import


class _ImportedOnly(admin.ModelAdmin):
    """Seen, never added, changed or deleted here: `manage.py import_dataset` writes them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReferenceEvent)
class ReferenceEventAdmin(_ImportedOnly):
    """Their events, read-only: a newer export, not an edit here, changes them."""

    list_display = ["event_id", "dataset", "date_start", "admin1_name", "admin1", "killed_best"]
    list_filter = ["dataset"]
    search_fields = ["event_id", "admin1_name", "location"]
    list_select_related = ["dataset", "admin1"]
    show_full_result_count = False  # millions of rows: no COUNT(*) per page
    # Their row as {name: cell} (ReferenceEvent.fields), not the stored header id and list of cells.
    exclude = ["header", "cells"]
    readonly_fields = ["their_row"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("header")

    @admin.display(description="Their row")
    def their_row(self, event: ReferenceEvent) -> str:
        return json.dumps(event.fields, ensure_ascii=False, indent=1)


@admin.register(ReferenceHeader)
class ReferenceHeaderAdmin(_ImportedOnly):
    """The headers their exports had, stored once for their events: written by the import only, never deleted."""

    list_display = ["id", "__str__"]
