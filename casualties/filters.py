"""The one filter parser for incidents: the API, the dashboard and the exports all read filters through here.

So the same query string gives the same incidents, and the same numbers, everywhere.
Use `incident_filter(params=request.GET)` outside DRF; the API views use
`IncidentFilterSet` through django-filter's DRF backend, which is the same class.

Every parameter that cannot be understood is an error naming the parameter,
never a silent "no filter" and never an exception: an unknown admin1, an
inverted date range or bounding box, a malformed date or one outside
1900-01-01 to a year from today, NaN or infinity.
"""

import datetime
import math
from collections.abc import Iterable

import django_filters
import pycountry
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from casualties.dates import validate_record_date
from casualties.models import Admin1, Claim, EventType, Incident, Victims
from casualties.selectors.grading import IncidentGrade, incident_grade_expression
from casualties.selectors.places import gazetteer_for_extraction, place_lookup
from casualties.selectors.review import incident_needs_review_condition, review_threshold
from reports.extraction.places.countries import country_names
from reports.extraction.text import name_key

# Merged and rejected incidents are left out of lists unless review_status asks
# for them, or updated_since does (a syncing consumer must learn of deletions).
HIDDEN_BY_DEFAULT = (Incident.ReviewStatus.MERGED, Incident.ReviewStatus.REJECTED)
# aggregate=any counts aggregate tolls and incidents together; without `aggregate`, incidents only.
AGGREGATE_ANY = "any"
MAX_VALUES_PER_PARAMETER = 50
# The largest id a database integer column holds; a larger number cannot name a row.
MAX_ID = 2**63 - 1


def _invalid(message: str, *, values: list[str], **params: str) -> forms.ValidationError:
    """An error quoting what the client sent. As params, never formatted into the message: a "%" in
    the input would otherwise break the "message % params" that Django and django-filter apply."""
    return forms.ValidationError(message, params={"values": ", ".join(map(repr, values)), **params})


class MultiValueWidget(forms.TextInput):
    """Reads `?admin1=Idlib&admin1=Homs` and `?admin1=Idlib,Homs` alike, as a list of stripped values."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            raw = data.getlist(name)
        else:
            value = data.get(name)
            raw = [] if value is None else value if isinstance(value, list) else [value]
        values = [part.strip() for item in raw for part in str(item).split(",")]
        return [value for value in values if value]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class MultiValueField(forms.Field):
    """A list of strings; each optionally one of `choices`."""

    widget = MultiValueWidget

    def __init__(self, *args, choices: Iterable[tuple[str, str]] | None = None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.valid_choices = [value for value, _label in choices] if choices is not None else None

    def to_python(self, value):
        return list(value or [])

    def validate(self, value):
        super().validate(value)
        if any("\x00" in item for item in value):
            raise forms.ValidationError("Null characters are not allowed.")
        if len(value) > MAX_VALUES_PER_PARAMETER:
            raise forms.ValidationError(f"At most {MAX_VALUES_PER_PARAMETER} values.")
        if self.valid_choices is not None:
            unknown = [item for item in value if item not in self.valid_choices]
            if unknown:
                raise _invalid(
                    "Unknown value(s) %(values)s; expected one of: %(choices)s.",
                    values=unknown,
                    choices=", ".join(self.valid_choices),
                )


class BoundingBoxField(forms.CharField):
    """`min_lon,min_lat,max_lon,max_lat` in degrees, as a tuple of four finite floats."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        parts = value.split(",")
        if len(parts) != 4:
            raise forms.ValidationError("Expected four numbers: min_lon,min_lat,max_lon,max_lat.")
        try:
            min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
        except ValueError:
            raise forms.ValidationError("Expected four numbers: min_lon,min_lat,max_lon,max_lat.") from None
        if not all(math.isfinite(number) for number in (min_lon, min_lat, max_lon, max_lat)):
            raise forms.ValidationError("Coordinates must be finite numbers.")
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
            raise forms.ValidationError("Longitudes must be between -180 and 180.")
        if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
            raise forms.ValidationError("Latitudes must be between -90 and 90.")
        if min_lon > max_lon or min_lat > max_lat:
            raise forms.ValidationError("Minimum exceeds maximum: the order is min_lon,min_lat,max_lon,max_lat.")
        return (min_lon, min_lat, max_lon, max_lat)


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, yes/no); `empty_value` when not given. Anything else is an error, never "no filter"."""

    _VALUES: dict[str, bool | None] = {
        **dict.fromkeys(("true", "1", "yes"), True),
        **dict.fromkeys(("false", "0", "no"), False),
    }
    empty_value: bool | None = None
    message = "Expected true or false."

    def to_python(self, value):
        if value in (None, ""):
            return self.empty_value
        try:
            return self._VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(self.message) from None


class AggregateField(StrictBooleanField):
    """Which kind of incident counts: False (events only, the default), True (aggregate tolls only), None (both).

    An aggregate toll is a period or campaign total a monitor reported (`Incident.aggregate`); summed with
    the events it covers it counts them twice, so it is left out unless the URL asks for it.
    """

    _VALUES = {**StrictBooleanField._VALUES, AGGREGATE_ANY: None}
    empty_value = False
    message = f"Expected false (incidents only, the default), true (aggregate tolls only) or {AGGREGATE_ANY} (both)."


class StrictDateTimeField(forms.DateTimeField):
    """An ISO 8601 date-time; a naive one is taken as UTC."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            parsed = forms.DateTimeField.to_python(self, value.strip().replace(" ", "+"))
        except forms.ValidationError:
            raise forms.ValidationError("Expected an ISO 8601 date-time, e.g. 2015-10-01T00:00:00Z.") from None
        if parsed is None:
            return None
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, datetime.UTC)
        try:
            # In UTC, so the database never sees an offset it cannot hold (PostgreSQL stops at 15:59).
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("Date-time out of range.") from None


def admin1_resolve(*, names: list[str], countries: list[str] | None = None) -> tuple[list[int], list[str]]:
    """Match names or GeoNames codes to divisions, case-insensitively against name, display name, aliases and code.

    Returns (ids of every matching division, the names that matched none). A
    code is matched within `countries` when given, else in every country.
    """
    query = Q()
    for name in names:
        if len(name) <= 200:  # no division has a longer name: it stays unknown, out of a LIKE pattern SQLite refuses
            query |= Q(name__iexact=name) | Q(display_name__iexact=name) | Q(code__iexact=name)
            query |= Q(aliases__icontains=name)
    candidates = Admin1.objects.filter(query)
    if countries:
        candidates = candidates.filter(country__in=countries)
    rows = list(candidates.values_list("id", "code", "name", "display_name", "aliases"))
    ids: list[int] = []
    unknown: list[str] = []
    for name in names:
        wanted = name.casefold()
        matches = [
            pk
            for pk, *spellings, aliases in rows
            if wanted in {*(str(spelling).casefold() for spelling in (*spellings, *aliases))}
        ]
        if not matches:
            matches = _admin1_by_engine_spelling(name=name, countries=countries)
        if matches:
            ids.extend(matches)
        else:
            unknown.append(name)
    return sorted(set(ids)), unknown


def _admin1_by_engine_spelling(*, name: str, countries: list[str] | None) -> list[int]:
    """Divisions the extraction engine reads this spelling as ("Deir al Zour", "Damascus Countryside"),
    by its alias index (articles, hyphens and case folded), so a spelling ingest accepts also filters."""
    from reports.extraction.gazetteer import Gazetteer
    from reports.extraction.text import name_key as engine_key

    key = engine_key(name)
    if len(key) < 2:
        return []
    gazetteer = gazetteer_for_extraction() or Gazetteer.default()
    coded = [(country, code) for country, code in gazetteer.admin1s_named(key) if not countries or country in countries]
    if not coded:
        return []
    query = Q()
    for country, code in coded:
        query |= Q(country=country, code=code)
    return list(Admin1.objects.filter(query).values_list("id", flat=True))


class IncidentFilterForm(forms.Form):
    """Checks that need more than one parameter, or the database: date order, admin1 and place names."""

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "date_to is before date_from.")
        if cleaned.get("admin1"):
            ids, unknown = admin1_resolve(names=cleaned["admin1"], countries=cleaned.get("country") or None)
            if unknown:
                self.add_error("admin1", _invalid("Unknown admin1: %(values)s.", values=unknown))
            else:
                cleaned["admin1"] = ids
        if cleaned.get("place"):
            ids, unknown = _place_resolve(values=cleaned["place"], countries=cleaned.get("country") or None)
            if unknown:
                self.add_error("place", _invalid("Unknown place: %(values)s.", values=unknown))
            else:
                cleaned["place"] = ids
        return cleaned


def _place_resolve(*, values: list[str], countries: list[str] | None) -> tuple[list[int], list[str]]:
    """Place ids (given as numbers) or names (any spelling ingest geocodes: `place_lookup`); unknown ones apart."""
    ids: set[int] = set()
    unknown: list[str] = []
    for value in values:
        if value.isascii() and value.isdigit():
            if int(value) > MAX_ID:
                unknown.append(value)
            else:
                ids.add(int(value))
            continue
        matches = set(place_lookup(name=value, countries=countries).values_list("id", flat=True))
        if matches:
            ids |= matches
        else:
            unknown.append(value)
    return sorted(ids), unknown


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a code or a country's name ("sy", "Syria", "Syrian Arab Republic", "SYR")."""
    if len(value) == 2 and value.isalpha():
        return value.upper()
    names, _ = country_names()  # the engine's names and aliases, the ones ingest reads
    code = names.get(name_key(value))
    if code is None:
        try:
            code = pycountry.countries.lookup(value.strip()).alpha_2
        except LookupError:
            return None
    return code


class CountryField(MultiValueField):
    """Countries by ISO 3166-1 alpha-2 code or by name, as codes; an unknown name stays as given (and fails)."""

    def to_python(self, value):
        return [country_code(item) or item for item in super().to_python(value)]

    def validate(self, value):
        super().validate(value)
        bad = [item for item in value if len(item) != 2 or not item.isalpha() or not item.isupper()]
        if bad:
            raise _invalid("Expected ISO 3166-1 alpha-2 codes or country names, not %(values)s.", values=bad)


class MultiValueFilter(django_filters.Filter):
    """`field__in` over the values of a MultiValueField; the empty list is no filter."""

    field_class = MultiValueField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


@extend_schema_field(OpenApiTypes.STR)
class NameOrIdFilter(MultiValueFilter):
    """Names (or ids), resolved to ids by IncidentFilterForm.clean()."""


class CountryFilter(MultiValueFilter):
    field_class = CountryField


@extend_schema_field(OpenApiTypes.STR)
class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField


@extend_schema_field({"type": "string", "enum": ["false", "true", AGGREGATE_ANY], "default": "false"})
class AggregateFilter(django_filters.Filter):
    """`aggregate = value`; no filter for aggregate=any (the field cleans it to None)."""

    field_class = AggregateField


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class DateTimeFilter(django_filters.Filter):
    field_class = StrictDateTimeField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class IncidentFilterSet(django_filters.FilterSet):
    """Every incident filter; parameters not listed here (format, cursor, page_size...) are ignored."""

    country = CountryFilter(field_name="country", help_text="ISO 3166-1 alpha-2 code(s) or country name(s): SY, Syria.")
    admin1 = NameOrIdFilter(
        field_name="admin1_id",
        help_text="Division name, alias or GeoNames code; several as admin1=A&admin1=B or A,B. Unknown names are 400.",
    )
    place = NameOrIdFilter(
        field_name="place_id",
        help_text="Place id or name: any spelling ingest geocodes (the engine's aliases and transliterations).",
    )
    # Bounded (casualties.dates): a date like 0001-01-01 is a slip, and the counts' date arithmetic must not overflow.
    date_from = django_filters.DateFilter(
        field_name="date_end",
        lookup_expr="gte",
        validators=[validate_record_date],
        help_text="Incidents whose span ends on or after this date (1900-01-01 to a year from today).",
    )
    date_to = django_filters.DateFilter(
        field_name="date_start",
        lookup_expr="lte",
        validators=[validate_record_date],
        help_text="Incidents whose span starts on or before this date (1900-01-01 to a year from today).",
    )
    bbox = BoundingBoxFilter(
        method="filter_bbox",
        help_text="min_lon,min_lat,max_lon,max_lat; only incidents located to a place have a point.",
    )
    event_type = MultiValueFilter(field_name="event_type", choices=EventType.choices)
    actor = django_filters.CharFilter(field_name="actor", lookup_expr="icontains", max_length=200)
    victims = MultiValueFilter(field_name="victims", choices=Victims.choices)
    killed_min = IntegerFilter(
        field_name="killed_max",
        lookup_expr="gte",
        min_value=0,
        max_value=10_000_000,
        help_text="At least N killed by the highest count reported (killed_max >= N).",
    )
    aggregate = AggregateFilter(
        field_name="aggregate",
        help_text=(
            "false (the default): incidents only, no aggregate tolls (period or campaign totals); "
            f"true: aggregate tolls only; {AGGREGATE_ANY}: both, summed together."
        ),
    )
    review_status = MultiValueFilter(
        field_name="review_status",
        choices=Incident.ReviewStatus.choices,
        help_text="Default: every status but merged and rejected.",
    )
    needs_review = StrictBooleanFilter(
        method="filter_needs_review",
        help_text=(
            "true: unverified incidents with a claim whose confidence is under the review threshold "
            "(EXTRACTION_REVIEW_THRESHOLD); false: the others."
        ),
    )
    grade = MultiValueFilter(
        method="filter_grade",
        choices=IncidentGrade.choices,
        help_text="Grade from the sources and the review (docs/grading.md); several as grade=fair,confirmed.",
    )
    confidence_min = django_filters.NumberFilter(
        method="filter_confidence_min",
        min_value=0,
        max_value=1,
        help_text=(
            "0 to 1: incidents none of whose claims the engine read with a lower confidence (the probability "
            "that it is a real incident with the right place and date); incidents entered by hand have none."
        ),
    )
    q = django_filters.CharFilter(
        method="filter_evidence", max_length=500, help_text="Text in any claim's evidence (icontains)."
    )
    updated_since = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="ISO date-time; includes merged and rejected incidents so a sync can drop them.",
    )

    class Meta:
        model = Incident
        fields: list[str] = []
        form = IncidentFilterForm

    def get_form_class(self):
        # The filters are the same for every request, so their form class is built once per FilterSet class:
        # django-filter builds it (each filter's field and label) at every parse, four times a dashboard page.
        # Each form still works on its own deep copy of the fields (forms.Form.__init__).
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_bbox(self, queryset: QuerySet[Incident], name: str, value) -> QuerySet[Incident]:
        min_lon, min_lat, max_lon, max_lat = value
        return queryset.filter(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)

    def filter_needs_review(self, queryset: QuerySet[Incident], name: str, value: bool | None) -> QuerySet[Incident]:
        if value is None:
            return queryset
        condition = incident_needs_review_condition(threshold=review_threshold())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_grade(self, queryset: QuerySet[Incident], name: str, value: list[str]) -> QuerySet[Incident]:
        if not value:
            return queryset
        # An alias, not an annotation: filtered on, never selected, so counts and sums stay plain.
        return queryset.alias(grade_filtered=incident_grade_expression()).filter(grade_filtered__in=value)

    def filter_confidence_min(self, queryset: QuerySet[Incident], name: str, value) -> QuerySet[Incident]:
        if value is None:
            return queryset
        # NOT EXISTS a weaker claim: the incident's confidence is its claims' lowest (selectors.review).
        return queryset.exclude(Exists(Claim.objects.filter(incident=OuterRef("pk"), confidence__lt=value)))

    def filter_evidence(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        # EXISTS rather than a join, so an incident with several matching claims is listed once.
        return queryset.filter(Exists(Claim.objects.filter(incident=OuterRef("pk"), evidence__icontains=value)))

    def filter_queryset(self, queryset: QuerySet[Incident]) -> QuerySet[Incident]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("review_status") and not data.get("updated_since"):
            queryset = queryset.exclude(review_status__in=HIDDEN_BY_DEFAULT)
        return queryset


def incident_filterset(
    *, params: QueryDict, queryset: QuerySet[Incident] | None = None
) -> tuple[IncidentFilterSet, dict[str, list[str]]]:
    """The validated filterset for the query string, and its errors (empty when every parameter was understood).

    For readers that can answer from the pre-aggregated counts
    (casualties.selectors.rollups), which need the parsed filters, not only the queryset.
    """
    base = queryset if queryset is not None else Incident.objects.all()
    filterset = IncidentFilterSet(data=params, queryset=base)
    if not filterset.is_valid():
        return filterset, {
            field: [str(message) for message in messages] for field, messages in filterset.errors.items()
        }
    return filterset, {}


def incident_filter(
    *, params: QueryDict, queryset: QuerySet[Incident] | None = None
) -> tuple[QuerySet[Incident], dict[str, list[str]]]:
    """Apply the query-string filters to incidents (all incidents unless `queryset` is given).

    Returns (filtered queryset, errors): errors maps each bad parameter to its
    messages and is empty when every parameter was understood; the queryset is
    empty whenever there are errors.
    """
    filterset, errors = incident_filterset(params=params, queryset=queryset)
    if errors:
        return filterset.queryset.none(), errors
    return filterset.qs, {}
