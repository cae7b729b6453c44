from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from casualties.models import Admin1, ApiToken, Claim, Incident, Place, ReviewMarker
from casualties.reference import admin as reference_admin  # noqa: F401 -- registers the reference datasets
from casualties.selectors.review import incident_needs_review_condition, review_threshold

User = get_user_model()


class GuardedUserAdmin(UserAdmin):
    """Users, for the admins role (auth.*_user permissions) without superuser powers.

    Django lets anyone who may change users also tick "superuser status" or grant any
    permission, and reset a superuser's password: that is being a superuser. Here only a
    superuser may do those; the others assign roles (groups) and see superusers read-only.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, GuardedUserAdmin)
# DRF's own token admin showed every key in full; its table is emptied by migration 0006.
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins see whose tokens exist and revoke them; no key can be read (only its digest is stored)
    and none issued here, which would let an admin act as someone else."""

    list_display = ["prefix", "user", "created", "last_used"]
    fields = ["prefix", "user", "created", "last_used"]
    readonly_fields = fields
    search_fields = ["user__username", "prefix"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReviewMarker)
class ReviewMarkerAdmin(admin.ModelAdmin):
    """Who is on which incident (the review queue's soft marker): read and cleared here, set by opening a page."""

    list_display = ["incident", "user", "started_at"]
    fields = list_display
    readonly_fields = fields
    list_select_related = ["user"]
    raw_id_fields = ["incident"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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


class NeedsReviewFilter(admin.SimpleListFilter):
    """Unverified incidents with a claim under the review threshold (casualties.selectors.review)."""

    title = "needs review"
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        condition = incident_needs_review_condition(threshold=review_threshold())
        if self.value() == "yes":
            return queryset.filter(condition)
        if self.value() == "no":
            return queryset.exclude(condition)
        return queryset


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
    list_filter = ["review_status", NeedsReviewFilter, "event_type", "aggregate", "country"]
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
