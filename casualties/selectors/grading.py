"""Each incident's grade, worked out from its claims' sources and its review state (docs/grading.md).

Modelled on Airwars' grades (confirmed, fair, weak, contested, discounted). The grade is
never stored: it is an SQL expression over the incident's claims, their articles'
sources and the incident's review status, so a source graded anew in the admin
regrades its incidents at once, and the same expression filters the dashboard, the
API and the exports (`casualties.filters`) and fills their `grade` column.
"""

import functools
import re

from django.db import models
from django.db.models import Case, Count, Expression, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

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


def _party_only(field: str) -> Case:
    return Case(When(article__source__grade=Source.Grade.PARTY, then=F(field)), default=None)


def _others_only(field: str) -> Case:
    # Written this way round so that an article with no known source counts among the others.
    return Case(When(article__source__grade=Source.Grade.PARTY, then=None), default=F(field))


def _claims_grade() -> Subquery:
    """The grade of an incident that is neither rejected nor merged, from its claims: one correlated
    subquery that reads the incident's claims by their incident index and joins each one's article and
    source by primary key, so its cost follows the incident's claims, never the number of sources.
    NULL for an incident with no claims."""
    best_source = Case(
        When(article__source__grade__in=STRONG_GRADES, then=Value(2)),
        When(article__source__grade__in=CREDIBLE_GRADES, then=Value(1)),
        default=Value(0),
    )
    # Two claims' killed ranges fail to overlap when one's highest is below the other's lowest. Between a
    # party's claims and the others' that happens for some pair exactly when the others' lowest highest is
    # below the party's highest lowest, or the others' highest lowest above the party's lowest highest.
    disputed = Q(others_top__lt=F("party_bottom")) | Q(others_bottom__gt=F("party_top"))
    # The incident's own status, read through each claim's incident (a primary-key join): every claim sees the same.
    verified = Q(verified=1)
    several = Q(sources__gte=2)
    graded = (
        Claim.objects.filter(incident=OuterRef("pk"))
        .order_by()
        .values("incident_id")
        .annotate(
            # -article_id never equals a source id (both are positive): each unsourced article is a source apart.
            sources=Count(Coalesce(F("article__source_id"), -F("article_id")), distinct=True),
            best_source=Max(best_source),
            verified=Max(Case(When(incident__review_status=Status.VERIFIED, then=Value(1)), default=Value(0))),
            party_bottom=Max(_party_only("killed_min")),
            party_top=Min(_party_only("killed_max")),
            others_top=Min(_others_only("killed_max")),
            others_bottom=Max(_others_only("killed_min")),
        )
        .annotate(
            grade=Case(
                When(disputed, then=Value(IncidentGrade.CONTESTED)),
                When(verified & several & Q(best_source=2), then=Value(IncidentGrade.CONFIRMED)),
                When(several & Q(best_source__gte=1), then=Value(IncidentGrade.FAIR)),
                When(verified & Q(best_source__gte=1), then=Value(IncidentGrade.FAIR)),
                default=Value(IncidentGrade.WEAK),
                output_field=models.CharField(),
            )
        )
        .values("grade")[:1]
    )
    return Subquery(graded, output_field=models.CharField())


def _grade_case() -> Case:
    """The grade as an SQL expression, the first rule that holds winning (docs/grading.md):

    1. discounted: rejected by an analyst, or merged into another incident;
    2. contested: a party to the conflict and another source give killed figures that cannot both be true;
    3. confirmed: verified by an analyst and reported by two or more independent
       sources, at least one a wire service or agency, or an NGO or UN monitor;
    4. fair: two or more independent sources, at least one credible (wire, monitor or
       local outlet); or verified by an analyst with at least one credible source;
    5. weak: the rest: one source, or only sources that are parties to the conflict or unknown.

    Independent sources are distinct sources; an article with no known source counts as one of its own.
    """
    return Case(
        When(review_status__in=[Status.REJECTED, Status.MERGED], then=Value(IncidentGrade.DISCOUNTED)),
        default=Coalesce(_claims_grade(), Value(IncidentGrade.WEAK)),
        output_field=models.CharField(),
    )


# The incident table as the compiled grade names it, and the aliases Django gives the grade's own subquery.
_INCIDENT_MARK = "\x00incident\x00"
_INNER_ALIAS = re.compile(r"\bU(\d+)\b")


@functools.cache
def _grade_sql(alias: str) -> tuple[str, tuple]:
    """_grade_case() compiled once on the database `alias`: the SQL with the incident's own table marked, and
    its parameters. Building and compiling that expression cost a list request of 100 rows more than the
    subqueries themselves (about 20 ms against 6 ms at 200,000 incidents on a loaded machine)."""
    query = Incident.objects.annotate(grade=_grade_case()).query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.compile(query.annotations["grade"])
    table = compiler.quote_name_unless_alias(Incident._meta.db_table)
    # Inner aliases get a prefix of their own, so they never shadow the outer query's (U0... in a subquery).
    return _INNER_ALIAS.sub(r"grade_u\1", sql.replace(f"{table}.", _INCIDENT_MARK)), tuple(params)


class _Grade(Expression):
    """The grade (_grade_case) as SQL compiled once a process; each query puts in only the alias its incident
    table has (its base table: "casualties_incident", or U0 inside another query)."""

    output_field = models.CharField()

    def as_sql(self, compiler, connection):
        sql, params = _grade_sql(connection.alias)
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return sql.replace(_INCIDENT_MARK, f"{table}."), params


def incident_grade_expression() -> Expression:
    """The grade as an SQL expression (see _grade_case for the rules), for annotations and filters."""
    return _Grade()


def incidents_with_grade(*, incidents: QuerySet[Incident], name: str = "grade") -> QuerySet[Incident]:
    """`incidents` with their grade annotated as `name` (subqueries in the same query: no extra query)."""
    return incidents.annotate(**{name: incident_grade_expression()})


def incident_grade(*, incident: Incident) -> str:
    """One incident's grade, read in one query (lists and pages annotate it instead)."""
    return incidents_with_grade(incidents=Incident.objects.filter(pk=incident.pk)).values_list("grade", flat=True).get()
