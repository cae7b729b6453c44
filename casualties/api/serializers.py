"""Shapes of the API's incidents, claims and inputs. No logic: writes go through casualties.services.review."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casualties.dates import validate_record_date
from casualties.models import COUNT_FIELDS, Admin1, Claim, Incident, Place
from casualties.selectors.grading import IncidentGrade, incident_grade
from casualties.selectors.incidents import INCIDENT_LIST_FIELDS
from casualties.selectors.review import incident_review_reasons
from casualties.selectors.stats import GROUP_BY_FIELDS, INTERVALS, ROW_MEASURES
from casualties.services.review import CORRECTABLE_FIELDS
from reports.models import Article, Source
from reports.services.review import ReviewKind


class Admin1RefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Admin1
        fields = ["id", "country", "code", "name", "display_name"]


class PlaceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "name", "lat", "lon"]


_INCIDENT_FIELDS = list(INCIDENT_LIST_FIELDS)


class ReviewReasonSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[kind.value for kind in ReviewKind])
    reason = serializers.CharField()


class IncidentSerializer(serializers.ModelSerializer):
    """An incident as lists show it. Needs admin1 and place joined in and its claims' lowest confidence
    annotated (selectors.incidents.incident_list)."""

    admin1 = Admin1RefSerializer(read_only=True)
    place = PlaceRefSerializer(read_only=True)
    needs_review = serializers.SerializerMethodField(
        help_text="Unverified, and a claim's confidence is under the review threshold (EXTRACTION_REVIEW_THRESHOLD)."
    )
    review_reasons = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField(
        help_text="From its sources' grades, how many independent sources, and its review (docs/grading.md)."
    )

    @extend_schema_field(serializers.ChoiceField(choices=IncidentGrade.choices))
    def get_grade(self, incident: Incident) -> str:
        if hasattr(incident, "grade"):  # annotated by casualties.selectors.incidents
            return incident.grade
        return incident_grade(incident=incident)

    def get_needs_review(self, incident: Incident) -> bool:
        return bool(self.get_review_reasons(incident))

    @extend_schema_field(ReviewReasonSerializer(many=True))
    def get_review_reasons(self, incident: Incident) -> list[dict]:
        if hasattr(incident, "lowest_confidence"):  # annotated by casualties.selectors.incidents
            lowest = incident.lowest_confidence
        else:
            lowest = min((claim.confidence for claim in incident.claims.all()), default=None)
        return incident_review_reasons(review_status=incident.review_status, lowest_confidence=lowest)

    class Meta:
        model = Incident
        fields = _INCIDENT_FIELDS
        read_only_fields = _INCIDENT_FIELDS


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "url"]


class ArticleReviewReasonSerializer(ReviewReasonSerializer):
    start = serializers.IntegerField(help_text="The sentence it is about: the article's text[start:end].")
    end = serializers.IntegerField()


class ArticleRefSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(read_only=True)
    review_reasons = ArticleReviewReasonSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = ["id", "title", "url", "published_at", "source", "needs_review", "review_reasons"]


class ClaimSerializer(serializers.ModelSerializer):
    """What one article said, with the sentence that says it: article.text[evidence_start:evidence_end]."""

    article = ArticleRefSerializer(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "date_start",
            "date_end",
            "date_precision",
            "place_name",
            *COUNT_FIELDS,
            "victims",
            "actor",
            "event_type",
            "evidence",
            "evidence_start",
            "evidence_end",
            "confidence",
            "opened_incident",
            "extractor_version",
            "created_at",
        ]
        read_only_fields = fields


class IncidentDetailSerializer(IncidentSerializer):
    """An incident with its claims and their sources (selectors.incidents.incident_detail_queryset)."""

    claims = ClaimSerializer(many=True, read_only=True)
    awaiting_confirmation = serializers.BooleanField(
        read_only=True,
        help_text="With two-person verification on: verified by one analyst, waiting for a second to confirm.",
    )
    confirmation_requested_by = serializers.SerializerMethodField(
        help_text="The analyst who verified it, while it awaits confirmation; null otherwise."
    )

    class Meta(IncidentSerializer.Meta):
        fields = [*_INCIDENT_FIELDS, "note", "awaiting_confirmation", "confirmation_requested_by", "claims"]
        read_only_fields = fields

    def get_confirmation_requested_by(self, incident: Incident) -> str | None:
        requester = incident.confirmation_requested_by if incident.awaiting_confirmation else None
        return requester.get_username() if requester else None


class NoUnknownFieldsMixin:
    """Unknown input fields are a 400 naming them, so nothing is silently ignored (no mass assignment)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(dict.fromkeys(unknown, "This field cannot be set."))
        return super().to_internal_value(data)


class IncidentUpdateSerializer(NoUnknownFieldsMixin, serializers.ModelSerializer):
    """What an analyst may PATCH: a review decision, figure corrections (which lock the figures), a few fields."""

    review_status = serializers.ChoiceField(
        choices=[Incident.ReviewStatus.VERIFIED, Incident.ReviewStatus.REJECTED],
        required=False,
        help_text="verified or rejected; merging has its own endpoint.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Kept in the edit history."
    )
    place_id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Move the incident to this gazetteer place (/api/v1/places/?q=): its division, country, point "
        "and precision follow.",
    )
    admin1_id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Move the incident to this first-level division only (/api/v1/admin1/): no place, no point.",
    )

    class Meta:
        model = Incident
        fields = [*sorted(CORRECTABLE_FIELDS), "review_status", "place_id", "admin1_id", "reason"]
        extra_kwargs = {field: {"required": False} for field in CORRECTABLE_FIELDS}

    def validate(self, attrs):
        if not set(attrs) - {"reason"}:
            raise serializers.ValidationError("Nothing to change.")
        if "place_id" in attrs and "admin1_id" in attrs:
            raise serializers.ValidationError(
                {"admin1_id": ["Give place_id or admin1_id, not both: a place sets its own division."]}
            )
        if "place_name" in attrs and ("place_id" in attrs or "admin1_id" in attrs):
            raise serializers.ValidationError({"place_name": ["A relocation sets the place name itself."]})
        return attrs

    # Bounded like the filters (casualties.dates): one stored 0001-01-01 would skew every chart's span.
    def validate_date_start(self, value):
        validate_record_date(value)
        return value

    def validate_date_end(self, value):
        validate_record_date(value)
        return value


class IncidentMergeSerializer(NoUnknownFieldsMixin, serializers.Serializer):
    into = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The incident to keep; this one is merged into it."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=100)


class IncidentSplitSerializer(NoUnknownFieldsMixin, serializers.Serializer):
    claims = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        allow_empty=False,
        max_length=1000,
        help_text="Ids of this incident's claims that form the new incident (not all of them).",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=100)


class IncidentUnmergeSerializer(NoUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=100)


class TimelineParamsSerializer(serializers.Serializer):
    interval = serializers.ChoiceField(choices=list(INTERVALS), default="month")
    group_by = serializers.ChoiceField(choices=list(GROUP_BY_FIELDS), required=False, allow_null=True)


_UNKNOWN = " over the incidents that give it; null when none does (unknown, not 0)"


class RowMeasuresSerializer(serializers.Serializer):
    """What a timeline row and a governorate row count (casualties.selectors.stats.ROW_MEASURES)."""

    killed = serializers.IntegerField(allow_null=True, help_text="Sum of killed_max" + _UNKNOWN)
    killed_min = serializers.IntegerField(allow_null=True, help_text="Sum of killed_min" + _UNKNOWN)
    injured = serializers.IntegerField(allow_null=True, help_text="Sum of injured_max" + _UNKNOWN)
    incidents = serializers.IntegerField()
    incidents_with_killed = serializers.IntegerField(help_text="How many of the incidents give a killed figure")
    incidents_with_injured = serializers.IntegerField(help_text="How many of the incidents give an injured figure")


class TimelineRowSerializer(RowMeasuresSerializer):
    period = serializers.DateField()
    group = serializers.CharField(allow_null=True, required=False)


class TimelineSerializer(serializers.Serializer):
    interval = serializers.CharField()
    group_by = serializers.CharField(allow_null=True)
    results = TimelineRowSerializer(many=True)


class Admin1TotalsSerializer(RowMeasuresSerializer):
    admin1_id = serializers.IntegerField(allow_null=True)
    country = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True, help_text="GeoNames' name")
    display_name = serializers.CharField(allow_null=True, help_text="The name readers use: Rural Damascus")

    class Meta:
        # The CSV's columns, in this order: the division, then what it counts.
        columns = ("admin1_id", "country", "code", "name", "display_name", *ROW_MEASURES)


class Admin1CountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    country = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField(help_text="GeoNames' name")
    display_name = serializers.CharField(help_text="The name readers use: Rural Damascus")
    aliases = serializers.ListField(child=serializers.CharField())
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    incidents = serializers.IntegerField(help_text="Incidents in this division under the current filter")


class PlaceSerializer(serializers.ModelSerializer):
    admin1 = Admin1RefSerializer(read_only=True)

    class Meta:
        model = Place
        fields = ["id", "geonameid", "name", "ascii_name", "country", "admin1", "lat", "lon", "population"]
        read_only_fields = fields


class CoverageSerializer(serializers.Serializer):
    """What the incidents on record add up to for a reported total's area and period."""

    area = serializers.CharField(help_text="The toll's division, else its country")
    incidents = serializers.IntegerField()
    killed_min = serializers.IntegerField(allow_null=True)
    killed = serializers.IntegerField(allow_null=True, help_text="Sum of killed_max" + _UNKNOWN)
    injured = serializers.IntegerField(allow_null=True, help_text="Sum of injured_max" + _UNKNOWN)
    incidents_with_killed = serializers.IntegerField()
    incidents_with_injured = serializers.IntegerField()
    query = serializers.CharField(help_text="The incident filters selecting those incidents (a query string)")


class ReportedSourceSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_null=True, allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)


class ReportedTotalSerializer(serializers.Serializer):
    """A reported period total (an aggregate toll: casualties.selectors.aggregates.ReportedTotal) and its coverage."""

    id = serializers.IntegerField(source="toll.pk")
    date_start = serializers.DateField(source="toll.date_start")
    date_end = serializers.DateField(source="toll.date_end")
    country = serializers.CharField(source="toll.country")
    admin1 = Admin1RefSerializer(source="toll.admin1", allow_null=True)
    place_name = serializers.CharField(source="toll.place_name")
    location_precision = serializers.CharField(source="toll.location_precision")
    killed_min = serializers.IntegerField(source="toll.killed_min", allow_null=True)
    killed_max = serializers.IntegerField(source="toll.killed_max", allow_null=True)
    injured_min = serializers.IntegerField(source="toll.injured_min", allow_null=True)
    injured_max = serializers.IntegerField(source="toll.injured_max", allow_null=True)
    children_killed = serializers.IntegerField(source="toll.children_killed", allow_null=True)
    women_killed = serializers.IntegerField(source="toll.women_killed", allow_null=True)
    event_type = serializers.CharField(source="toll.event_type")
    review_status = serializers.CharField(source="toll.review_status")
    sources = ReportedSourceSerializer(many=True)
    evidence = serializers.CharField(help_text="The sentence of the first report")
    coverage = CoverageSerializer()


class ReportedTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Every reported total the filters select")
    results = ReportedTotalSerializer(many=True)
