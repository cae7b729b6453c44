"""Keep an incident's figures equal to what its claims say, unless an analyst set them."""

from django.db.models import Max, Min

from casualties.models import Incident

# (incident field, aggregate over the claims' field)
_AGGREGATES = {
    "killed_min": Min("killed_min"),
    "killed_max": Max("killed_max"),
    "injured_min": Min("injured_min"),
    "injured_max": Max("injured_max"),
    "children_killed": Max("children_killed"),
    "women_killed": Max("women_killed"),
}


def incident_refresh_figures(*, incident: Incident) -> Incident:
    """Set the incident's tolls to the min/max over its claims and save them.

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
