"""The dashboard's forms: the filter controls (rendering only) and the analysts' review forms.

Filters are *parsed* by casualties.filters, the one parser the API and the exports
use too; DashboardFilterForm only renders the controls with the URL's values, so
the page never disagrees with the API about what a parameter means.
"""

import contextlib
from typing import Any

from django import forms
from django.http import QueryDict

from casualties.dates import EARLIEST_DATE, latest_date
from casualties.filters import AGGREGATE_ANY, AggregateField
from casualties.models import EventType, Incident, Victims
from casualties.services.review import FIGURE_FIELDS

_MULTI = ("admin1", "event_type", "victims", "review_status", "country")


# The default, incidents only, is the empty option: the URL stays free of it.
_AGGREGATE_OPTIONS = {False: "", True: "true", None: AGGREGATE_ANY}

# More divisions than this are cut to the busiest in the governorate list.
ADMIN1_CHOICES_LIMIT = 300


def split_multi_values(params: QueryDict) -> QueryDict:
    """`?admin1=Idlib,Homs` as `?admin1=Idlib&admin1=Homs`, so the check boxes show what the parser reads.

    And `aggregate` as the option the parser reads it as (none given: incidents only, `1`: true...).
    """
    data = params.copy()
    for key in _MULTI:
        values = [part.strip() for value in params.getlist(key) for part in value.split(",") if part.strip()]
        if values:
            data.setlist(key, values)
    with contextlib.suppress(forms.ValidationError):  # a bad value: the page shows the parser's error
        data["aggregate"] = _AGGREGATE_OPTIONS[AggregateField().to_python(params.get("aggregate"))]
    return data


class DashboardFilterForm(forms.Form):
    """The filter controls, named exactly as casualties.filters.IncidentFilterSet's parameters."""

    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    country = forms.CharField(
        required=False,
        label="Country",
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "e.g. SY", "size": 6, "autocomplete": "off"}),
        help_text="ISO code, e.g. SY",
    )
    admin1 = forms.MultipleChoiceField(required=False, label="Governorate", widget=forms.CheckboxSelectMultiple)
    place = forms.CharField(
        required=False,
        label="Place",
        max_length=200,
        widget=forms.TextInput(
            attrs={"list": "place-suggestions", "autocomplete": "off", "placeholder": "Type a name"}
        ),
    )
    event_type = forms.MultipleChoiceField(
        required=False, label="Event type", choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    actor = forms.CharField(required=False, label="Actor", max_length=200)
    victims = forms.MultipleChoiceField(
        required=False, label="Victims", choices=Victims.choices, widget=forms.CheckboxSelectMultiple
    )
    killed_min = forms.IntegerField(required=False, min_value=0, label="Killed at least")
    review_status = forms.MultipleChoiceField(
        required=False,
        label="Review status",
        choices=Incident.ReviewStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: all but merged and rejected.",
    )
    aggregate = forms.ChoiceField(
        required=False,
        label="Count",
        choices=[("", "Incidents only"), ("true", "Aggregate tolls only"), (AGGREGATE_ANY, "Both, summed")],
        help_text="Aggregate tolls are period or campaign totals reported by monitors.",
    )
    q = forms.CharField(required=False, label="Text in the evidence", max_length=200)
    bbox = forms.CharField(required=False, label="Map area", max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, admin1_choices: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The browser's date picker offers only what the parser accepts (casualties.dates).
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs.update(min=EARLIEST_DATE.isoformat(), max=latest_date().isoformat())
        rows = admin1_choices or []
        if len(rows) > ADMIN1_CHOICES_LIMIT:
            # A world-wide record has thousands of divisions: list those with the most incidents
            # (and any already chosen); choosing a country lists all of its own.
            chosen = set(self.data.getlist("admin1")) if self.is_bound else set()
            busiest = sorted(rows, key=lambda row: -row["incidents"])[:ADMIN1_CHOICES_LIMIT]
            kept = {row["id"] for row in busiest} | {row["id"] for row in rows if row["name"] in chosen}
            rows = [row for row in rows if row["id"] in kept]
            self.fields[
                "admin1"
            ].help_text = (
                f"The {ADMIN1_CHOICES_LIMIT} with the most incidents; choose a country to list all of its own."
            )
        several_countries = len({row["country"] for row in rows}) > 1
        self.fields["admin1"].choices = [
            (
                row["name"],
                f"{row['display_name'] or row['name']}{' (' + row['country'] + ')' if several_countries else ''}"
                f" · {row['incidents']}",
            )
            for row in rows
        ]
        # Names the URL holds that are not in the list (an alias, a code) still show as chosen.
        if self.is_bound:
            known = {row["name"] for row in rows}
            for value in self.data.getlist("admin1"):
                if value not in known:
                    self.fields["admin1"].choices.append((value, value))


class ReasonForm(forms.Form):
    """Verify or reject: only a reason, kept in the edit history."""

    reason = forms.CharField(required=False, max_length=100, label="Reason (kept in the history)")


class CorrectFiguresForm(forms.Form):
    """An analyst's figures; saving any of them locks the figures against later claims."""

    killed_min = forms.IntegerField(required=False, min_value=0, label="Killed (lowest)")
    killed_max = forms.IntegerField(required=False, min_value=0, label="Killed (highest)")
    injured_min = forms.IntegerField(required=False, min_value=0, label="Injured (lowest)")
    injured_max = forms.IntegerField(required=False, min_value=0, label="Injured (highest)")
    children_killed = forms.IntegerField(required=False, min_value=0, label="Children killed")
    women_killed = forms.IntegerField(required=False, min_value=0, label="Women killed")
    reason = forms.CharField(required=False, max_length=100, label="Reason (kept in the history)")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for low, high in (("killed_min", "killed_max"), ("injured_min", "injured_max")):
            if cleaned.get(low) is not None and cleaned.get(high) is not None and cleaned[low] > cleaned[high]:
                self.add_error(low, "The lowest figure is above the highest.")
        return cleaned

    def changes(self, incident: Incident) -> dict[str, Any]:
        """The figures that differ from the incident's (blank means unknown)."""
        return {
            name: self.cleaned_data.get(name)
            for name in sorted(FIGURE_FIELDS)
            if name in self.fields and self.cleaned_data.get(name) != getattr(incident, name)
        }


class MergeForm(forms.Form):
    """Merge this incident into another one (this one's claims move there)."""

    into = forms.IntegerField(min_value=1, label="Merge into incident number")
    reason = forms.CharField(required=False, max_length=100, label="Reason (kept in the history)")
