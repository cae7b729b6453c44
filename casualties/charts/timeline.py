"""The timeline: stacked bars per day, week or month."""

import calendar
import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from casualties.charts.style import (
    EVENT_TYPE_COLOURS,
    EVENT_TYPE_LABELS,
    FONT,
    MAX_GROUPS,
    MEASURES,
    NO_GROUP_LABEL,
    OKABE_ITO,
    OTHER_LABEL,
    empty_figure,
    plain,
)
from casualties.dates import shift_date


def choose_interval(date_from: datetime.date | None, date_to: datetime.date | None) -> str:
    """Day for spans up to 3 months, week up to 2 years, else month. Unknown ends count as a long span."""
    if date_from is None or date_to is None:
        return "month"
    days = (date_to - date_from).days
    if days <= 92:
        return "day"
    if days <= 731:
        return "week"
    return "month"


def period_end(period: datetime.date, interval: str) -> datetime.date:
    """The last day of the period that starts on `period` (a day, an ISO week from Monday, a month)."""
    if interval == "day":
        return period
    if interval == "week":
        return shift_date(period, 6)
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _group_label(group: str | None, group_by: str | None) -> str:
    if group_by == "event_type":
        return EVENT_TYPE_LABELS.get(group or "", group or "Unknown")
    return group or NO_GROUP_LABEL


def timeline_figure(
    rows: Sequence[Mapping[str, Any]],
    *,
    measure: str = "killed",
    interval: str = "month",
    group_by: str | None = None,
    max_groups: int = MAX_GROUPS,
) -> dict[str, Any]:
    """Stacked bars of `measure` per period, one trace per group (the largest `max_groups`, the rest "Other").

    `rows` are incident_timeline rows ({"period", "group"?, "killed", "injured", "incidents"}).
    Each bar carries customdata [period start, period end] (ISO dates), which the page
    uses to narrow the date filter when a bar is clicked.
    """
    if measure not in MEASURES:
        raise ValueError(f"Unknown measure {measure!r}")
    if not rows:
        return empty_figure("No incidents match these filters.")
    totals: dict[str, int] = {}
    for row in rows:
        label = _group_label(row.get("group"), group_by) if group_by else MEASURES[measure]
        totals[label] = totals.get(label, 0) + (row[measure] or 0)
    ranked = sorted(totals, key=lambda label: (-totals[label], label))
    kept = set(ranked[:max_groups]) if len(ranked) > max_groups + 1 else set(ranked)

    series: dict[str, dict[datetime.date, int]] = {}
    periods: set[datetime.date] = set()
    for row in rows:
        period = _as_date(row["period"])
        periods.add(period)
        label = _group_label(row.get("group"), group_by) if group_by else MEASURES[measure]
        label = label if label in kept else OTHER_LABEL
        bucket = series.setdefault(label, {})
        bucket[period] = bucket.get(period, 0) + (row[measure] or 0)

    ordered_periods = sorted(periods)
    # "Other" last, once: rows may already carry an Other group (selectors.rollups.OTHER_GROUP).
    order = [label for label in ranked if label in series and label != OTHER_LABEL]
    order += [OTHER_LABEL] if OTHER_LABEL in series else []
    traces = []
    for index, label in enumerate(order):
        values = series[label]
        if group_by == "event_type":
            key = next((value for value, name in EVENT_TYPE_LABELS.items() if name == label), None)
            colour = EVENT_TYPE_COLOURS.get(key, "#777777")
        elif label == OTHER_LABEL:
            colour = "#999999"
        else:
            colour = OKABE_ITO[index % len(OKABE_ITO)]
        traces.append(
            {
                "type": "bar",
                "name": plain(label),
                "x": [period.isoformat() for period in ordered_periods],
                "y": [values.get(period, 0) for period in ordered_periods],
                "customdata": [
                    [period.isoformat(), period_end(period, interval).isoformat()] for period in ordered_periods
                ],
                "marker": {"color": colour},
                "hovertemplate": f"%{{x}}<br>{plain(label)}: %{{y}} {MEASURES[measure].lower()}<extra></extra>",
            }
        )
    xaxis: dict[str, Any] = {"type": "date", "rangeslider": {"visible": True, "thickness": 0.08}}
    if len(ordered_periods) == 1:
        # A single bar would otherwise fill the whole axis.
        only = ordered_periods[0]
        xaxis["range"] = [shift_date(only, -15).isoformat(), shift_date(period_end(only, interval), 15).isoformat()]
    return {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "height": 360,
            "font": FONT,
            "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
            "legend": {"orientation": "h", "y": -0.35},
            "xaxis": xaxis,
            "yaxis": {"title": {"text": MEASURES[measure]}, "rangemode": "tozero", "fixedrange": True},
            "hovermode": "closest",
        },
    }
