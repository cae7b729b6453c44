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
from casualties.models import DatePrecision, EventType, Incident, Victims
from casualties.selectors.grading import IncidentGrade
from casualties.services.review import FIGURE_FIELDS

_MULTI = ("admin1", "event_type", "victims", "review_status", "country", "grade")


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
    confidence_min = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=2,
        label="Engine confidence at least",
        help_text="0 to 1; hand-entered incidents always pass",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    grade = forms.MultipleChoiceField(
        required=False,
        label="Grade",
        choices=IncidentGrade.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the sources and the review; none ticked: all.",
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


NO_FIGURE_CHANGED = "No figure changed: type the new figures, then save."
# Plain words for a figure the browser sent that is not a count.
_COUNT_ERRORS = {
    "invalid": "Enter a whole number, or leave it empty if not known.",
    "min_value": "A count cannot be below 0.",
}


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=0, label=label, error_messages=_COUNT_ERRORS)


class CorrectionForm(forms.Form):
    """An analyst's edit through casualties.services.review.incident_correct, with a reason kept in the history.

    Errors belong to the field they are about, so the page shows each beside its input.
    """

    reason = forms.CharField(required=False, max_length=100, label="Reason (kept in the history)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def add_service_errors(self, invalid: forms.ValidationError) -> None:
        """Errors the review service raised (the model's constraints), each on its field when it names one."""
        if not hasattr(invalid, "error_dict"):
            self.add_error(None, invalid)
            return
        for field, errors in invalid.message_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class CorrectFiguresForm(CorrectionForm):
    """An analyst's figures; saving any of them locks the figures against later claims.

    Errors belong to the field they are about, so the page shows each beside its input.
    """

    killed_min = _count_field("Killed (lowest)")
    killed_max = _count_field("Killed (highest)")
    injured_min = _count_field("Injured (lowest)")
    injured_max = _count_field("Injured (highest)")
    children_killed = _count_field("Children killed")
    women_killed = _count_field("Women killed")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for low, high, what in (("killed_min", "killed_max", "killed"), ("injured_min", "injured_max", "injured")):
            if cleaned.get(low) is not None and cleaned.get(high) is not None and cleaned[low] > cleaned[high]:
                self.add_error(
                    low,
                    f"The lowest number {what} ({cleaned[low]}) is above the highest ({cleaned[high]}): "
                    "lower this one or raise the highest.",
                )
        return cleaned

    def changes(self, incident: Incident) -> dict[str, Any]:
        """The figures that differ from the incident's (blank means unknown)."""
        return {
            name: self.cleaned_data.get(name)
            for name in sorted(FIGURE_FIELDS)
            if name in self.fields and self.cleaned_data.get(name) != getattr(incident, name)
        }


class CorrectDetailsForm(CorrectionForm):
    """An analyst's edit of everything but figures and place: dates and their precision, type, actor, victims, note."""

    date_start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    date_precision = forms.ChoiceField(label="Date precision", choices=DatePrecision.choices)
    event_type = forms.ChoiceField(label="Event type", choices=EventType.choices)
    actor = forms.CharField(label="Alleged perpetrator", required=False, max_length=200)
    victims = forms.ChoiceField(label="Victims", choices=Victims.choices)
    note = forms.CharField(label="Analysts' note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_start"), cleaned.get("date_end")
        if start and end and start > end:
            self.add_error("date_end", f"The last day ({end}) is before the first ({start}): move one of them.")
        for name in ("date_start", "date_end"):
            day = cleaned.get(name)
            if day and not EARLIEST_DATE <= day <= latest_date():
                self.add_error(name, f"{day} is outside {EARLIEST_DATE} to {latest_date()}.")
        return cleaned

    def changes(self, incident: Incident) -> dict[str, Any]:
        """The fields that differ from the incident's."""
        names = [name for name in self.fields if name != "reason"]
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data[name] != getattr(incident, name)}


class MergeForm(forms.Form):
    """Merge this incident into another one (this one's claims move there)."""

    into = forms.IntegerField(min_value=1, label="Merge into incident number")
    reason = forms.CharField(required=False, max_length=100, label="Reason (kept in the history)")


class QueueDecisionForm(forms.Form):
    """The review queue's bulk action: verify or reject the ticked incidents, with one reason."""

    incidents = forms.TypedMultipleChoiceField(
        coerce=int, label="Incidents", error_messages={"required": "Tick at least one incident."}
    )
    decision = forms.ChoiceField(choices=[("verify", "Verify"), ("reject", "Reject")], label="Decision")
    reason = forms.CharField(required=False, max_length=100, label="Reason (kept in the history)")
    # The queue's own query string, so the analyst comes back to the same filtered queue.
    next_query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is a choice: the service says which do not exist (the queue changes under the page).
        submitted = self.data.getlist("incidents") if self.is_bound else []
        self.fields["incidents"].choices = [(value, value) for value in submitted if str(value).isdigit()]


class RelocateForm(forms.Form):
    """Move the incident to a gazetteer place (chosen through the place search)."""

    place_id = forms.IntegerField(
        min_value=1, label="Place", error_messages={"required": "Search for a place and choose one."}
    )
    reason = forms.CharField(required=False, max_length=100, label="Reason (kept in the history)")


class SplitForm(forms.Form):
    """The ticked claims of the incident page form a new incident."""

    claims = forms.TypedMultipleChoiceField(
        coerce=int, label="Claims", error_messages={"required": "Tick the claims that form the new incident."}
    )
    reason = forms.CharField(required=False, max_length=100, label="Reason (kept in the history)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is a choice: the service says which are not this incident's.
        submitted = self.data.getlist("claims") if self.is_bound else []
        self.fields["claims"].choices = [(value, value) for value in submitted if str(value).isdigit()]
