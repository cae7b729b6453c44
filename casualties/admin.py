from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casualties.models import Admin1, Claim, Incident, Place


@admin.register(Admin1)
class Admin1Admin(admin.ModelAdmin):
    list_display = ["name", "country", "code", "lat", "lon"]
    list_filter = ["country"]
    search_fields = ["name", "code"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "admin1", "population", "geonameid"]
    list_filter = ["country"]
    search_fields = ["name", "ascii_name", "geonameid"]
    list_select_related = ["admin1"]
    raw_id_fields = ["admin1"]


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ["article", "killed_min", "killed_max", "injured_min", "injured_max", "evidence", "confidence"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "date_start",
        "country",
        "admin1",
        "killed_min",
        "killed_max",
        "event_type",
        "aggregate",
        "review_status",
    ]
    list_filter = ["review_status", "event_type", "aggregate", "country"]
    search_fields = ["place_name", "actor", "admin1__name"]
    date_hierarchy = "date_start"
    raw_id_fields = ["admin1", "place", "merged_into"]
    list_select_related = ["admin1"]
    inlines = [ClaimInline]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "killed_min", "killed_max", "extractor_version", "confidence"]
    list_filter = ["extractor_version"]
    search_fields = ["evidence"]
    raw_id_fields = ["incident", "article"]
