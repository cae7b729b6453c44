"""The reference datasets in the admin: admins see each import and say whether its rows are restricted.

Events are imported by `manage.py import_dataset`, never edited here; registered from casualties/admin.py.
"""

from django.contrib import admin

from casualties.models import ReferenceDataset


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(admin.ModelAdmin):
    list_display = ["format", "version", "restricted", "imported_at", "event_count"]
    fields = ["format", "version", "restricted", "imported_at", "event_count", "unmatched_admin1"]
    readonly_fields = ["format", "imported_at", "event_count", "unmatched_admin1"]

    def has_add_permission(self, request) -> bool:
        return False  # a dataset comes into being with its first import
