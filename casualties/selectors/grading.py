"""Each incident's grade, worked out from its claims' sources and its review state (docs/grading.md).

Modelled on Airwars' grades (confirmed, fair, weak, contested, discounted). The grade is
never stored: it is an SQL expression over the incident's claims, their articles'
sources and the incident's review status, so a source graded anew in the admin
regrades its incidents at once, and the same expression filters the dashboard, the
API and the exports (`casualties.filters`) and fills their `grade` column.
"""

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from casualties.models import Claim, Incident
from reports.models import Source


class IncidentGrade(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    FAIR = "fair", "Fair"
    WEAK = "weak", "Weak"
    CONTESTED = "contested", "Contested"
    DISCOUNTED = "discounted", "Discounted"


# Sources whose word carries an incident alone or with one other: agencies and monitors.
STRONG_GRADES = (Source.Grade.WIRE, Source.Grade.MONITOR)
# Sources credible enough to make an incident fair when a second, independent source agrees.
CREDIBLE_GRADES = (*STRONG_GRADES, Source.Grade.LOCAL)
Status = Incident.ReviewStatus


def _claims():
    return Claim.objects.filter(incident=OuterRef("pk"))


def independent_sources_count():
    """How many independent sources reported the incident: distinct sources, an article with no known
    source counting as one of its own."""
    # -article_id never equals a source id (both are positive), so each unsourced article is a source apart.
    source_key = Coalesce(F("article__source_id"), -F("article_id"))
    counts = (
        _claims()
        .order_by()
        .values("incident_id")
        .annotate(sources=Count(source_key, distinct=True))
        .values("sources")[:1]
    )
    return Coalesce(Subquery(counts, output_field=models.IntegerField()), Value(0))


def figures_disputed():
    """A party to the conflict and another source give killed figures that cannot both be true: their
    ranges do not overlap. Independent outlets whose tolls differ are not a dispute: tolls rise as the
    dead are counted, and the incident's range already spans them."""
    party = Source.Grade.PARTY
    incompatible = (
        Claim.objects.filter(incident=OuterRef(OuterRef("pk")))
        .exclude(article__source__grade=party)
        .filter(Q(killed_max__lt=OuterRef("killed_min")) | Q(killed_min__gt=OuterRef("killed_max")))
    )
    return Exists(_claims().filter(article__source__grade=party).filter(Exists(incompatible)))


def incident_grade_expression() -> Case:
    """The grade as an SQL CASE, first rule that holds winning (docs/grading.md):

    1. discounted: rejected by an analyst, or merged into another incident;
    2. contested: a party to the conflict and another source give killed figures that cannot both be true;
    3. confirmed: verified by an analyst and reported by two or more independent
       sources, at least one a wire service or agency, or an NGO or UN monitor;
    4. fair: two or more independent sources, at least one credible (wire, monitor or
       local outlet); or verified by an analyst with at least one credible source;
    5. weak: the rest: one source, or only sources that are parties to the conflict or unknown.
    """
    sources = independent_sources_count()
    strong = Exists(_claims().filter(article__source__grade__in=STRONG_GRADES))
    credible = Exists(_claims().filter(article__source__grade__in=CREDIBLE_GRADES))
    verified = Q(review_status=Status.VERIFIED)
    several = GreaterThanOrEqual(sources, 2)
    return Case(
        When(review_status__in=[Status.REJECTED, Status.MERGED], then=Value(IncidentGrade.DISCOUNTED)),
        When(figures_disputed(), then=Value(IncidentGrade.CONTESTED)),
        When(verified & Q(several) & Q(strong), then=Value(IncidentGrade.CONFIRMED)),
        When(Q(several) & Q(credible), then=Value(IncidentGrade.FAIR)),
        When(verified & Q(credible), then=Value(IncidentGrade.FAIR)),
        default=Value(IncidentGrade.WEAK),
        output_field=models.CharField(),
    )


def incidents_with_grade(*, incidents: QuerySet[Incident], name: str = "grade") -> QuerySet[Incident]:
    """`incidents` with their grade annotated as `name` (subqueries in the same query: no extra query)."""
    return incidents.annotate(**{name: incident_grade_expression()})


def incident_grade(*, incident: Incident) -> str:
    """One incident's grade, read in one query (lists and pages annotate it instead)."""
    return incidents_with_grade(incidents=Incident.objects.filter(pk=incident.pk)).values_list("grade", flat=True).get()
