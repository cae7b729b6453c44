"""Keep an incident's figures equal to what its claims say, unless an analyst set them."""

from django.db.models import Max, Min

from casualties.models import FIGURE_RULE, Incident

# casualties.models.rules.FIGURE_RULE as aggregates over the claims' columns of the same names.
_AGGREGATES = {name: (Min if rule == "min" else Max)(name) for name, rule in FIGURE_RULE.items()}


def incident_refresh_figures(*, incident: Incident) -> Incident:
    """Set the incident's tolls to the min/max over its claims (FIGURE_RULE) and save them.

    A no-op for incidents whose figures an analyst has locked, or that have no
    claims (figures entered by hand stay as they are). Returns the incident.
    """
    if incident.figures_locked:
        return incident
    if not incident.claims.exists():
        return incident
    figures = incident.claims.aggregate(**_AGGREGATES)
    for field, value in figures.items():
        setattr(incident, field, value)
    incident.save(update_fields=[*figures, "updated_at"])
    return incident
