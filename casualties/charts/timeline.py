"""The timeline: stacked bars per day, week or month."""

import calendar
import datetime
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

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


_DAY_MS = 86_400_000


def period_width_ms(period: datetime.date, interval: str) -> int:
    """The bar's width in milliseconds (Plotly's unit on a date axis): the whole day, week or month."""
    return ((period_end(period, interval) - period).days + 1) * _DAY_MS


def _tick_step(count: int, steps: Sequence[int]) -> int:
    """The smallest of `steps` giving at most about ten ticks over `count` periods."""
    return next((step for step in steps if count / step <= 10), steps[-1])


def interval_ticks(first: datetime.date, last: datetime.date, interval: str) -> dict[str, Any]:
    """x-axis ticks that suit the bars: whole days (never "00:00 / 12:00"), Mondays, or months, about ten."""
    if interval == "day":
        step = _tick_step((last - first).days + 1, (1, 2, 3, 7, 14))
        return {"tick0": first.isoformat(), "dtick": step * _DAY_MS, "tickformat": "%-d %b\n%Y"}
    if interval == "week":
        step = _tick_step((last - first).days // 7 + 1, (1, 2, 4, 8, 13, 26))
        return {"tick0": first.isoformat(), "dtick": step * 7 * _DAY_MS, "tickformat": "%-d %b\n%Y"}
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = _tick_step(months, (1, 2, 3, 6, 12, 24, 60))
    return {"tick0": first.replace(day=1).isoformat(), "dtick": f"M{step}", "tickformat": "%b %Y"}


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


# Which row count says how many incidents give each measure (casualties.selectors.stats.ROW_MEASURES).
_REPORTED_BY = {"killed": "incidents_with_killed", "injured": "incidents_with_injured"}
# The filter parameter that narrows the incidents to one group of a stacked timeline.
_GROUP_PARAMETERS = {"admin1": "admin1", "country": "country", "event_type": "event_type"}


def _group_filter(group: str | None, group_by: str | None) -> list[str]:
    """[parameter, value] selecting the incidents of `group`, or ["", ""] when no filter can (no division).

    The value is percent-encoded (the page decodes it): a name from the news never stands in the figure as
    markup Plotly might draw.
    """
    if not group_by or group is None:
        return ["", ""]
    return [_GROUP_PARAMETERS[group_by], quote(str(group), safe="")]


def timeline_figure(
    rows: Sequence[Mapping[str, Any]],
    *,
    measure: str = "killed",
    interval: str = "month",
    group_by: str | None = None,
    max_groups: int = MAX_GROUPS,
    spans: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Stacked bars of `measure` per period, one trace per group (the largest `max_groups`, the rest "Other").

    `spans` (casualties.selectors.aggregates.toll_spans rows) are reported period totals: each is drawn
    as a shaded band over its whole period with a labelled line above the bars, never as a bar.
    `rows` are incident_timeline rows ({"period", "group"?, "killed", "injured", "incidents",
    "incidents_with_killed", "incidents_with_injured"}); a figure no incident gives (None) draws no bar.
    Each bar carries customdata [period start, period end (ISO dates), group filter, its value,
    incidents, incidents giving the figure], which the page turns into the table of the bar's
    incidents when a bar is clicked.
    """
    if measure not in MEASURES:
        raise ValueError(f"Unknown measure {measure!r}")
    if not rows and not spans:
        return empty_figure("No incidents match these filters.")
    totals: dict[str, int] = {}
    for row in rows:
        label = _group_label(row.get("group"), group_by) if group_by else MEASURES[measure]
        totals[label] = totals.get(label, 0) + (row[measure] or 0)
    ranked = sorted(totals, key=lambda label: (-totals[label], label))
    kept = set(ranked[:max_groups]) if len(ranked) > max_groups + 1 else set(ranked)

    # Per label and period: the sum (None while no incident gives the figure), the incidents, those giving it.
    series: dict[str, dict[datetime.date, list]] = {}
    filters: dict[str, list[str]] = {}
    periods: set[datetime.date] = set()
    reported_by = _REPORTED_BY.get(measure, "incidents")
    for row in rows:
        period = _as_date(row["period"])
        periods.add(period)
        label = _group_label(row.get("group"), group_by) if group_by else MEASURES[measure]
        label = label if label in kept else OTHER_LABEL
        filters[label] = _group_filter(row.get("group"), group_by) if label != OTHER_LABEL else ["", ""]
        cell = series.setdefault(label, {}).setdefault(period, [None, 0, 0, 0])
        if row[measure] is not None:
            cell[0] = (cell[0] or 0) + row[measure]
            # The lowest reported, for the hover's range ("9 to 13" killed): only killed has one.
            least = row.get("killed_min") if measure == "killed" else None
            cell[3] += row[measure] if least is None else least
        cell[1] += row.get("incidents", 0)
        cell[2] += row.get(reported_by, row.get("incidents", 0))

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
        # No incident of the group in a period: 0, nothing to stack; incidents but none giving the figure: no bar.
        cells = [values.get(period, [0, 0, 0, 0]) for period in ordered_periods]
        traces.append(
            {
                "type": "bar",
                "name": plain(label),
                "x": [period.isoformat() for period in ordered_periods],
                "y": [cell[0] for cell in cells],
                # [first day, last day, a filter narrowing the table to this group ("" for none) and its value,
                #  incidents, incidents giving the figure]: the page turns a click into the table of them.
                "customdata": [
                    [
                        period.isoformat(),
                        period_end(period, interval).isoformat(),
                        *filters[label],
                        cell[1],
                        cell[2],
                        _range_text(cell[3], cell[0]),
                    ]
                    for period, cell in zip(ordered_periods, cells, strict=True)
                ],
                "marker": {"color": colour},
                # Each bar starts on its period's first day and is exactly as wide as the period.
                "width": [period_width_ms(period, interval) for period in ordered_periods],
                "offset": 0,
                "hovertemplate": (
                    f"%{{x}}<br>{plain(label)}: %{{customdata[6]}} {MEASURES[measure].lower()}"
                    + ("" if measure == "incidents" else " in %{customdata[5]} of %{customdata[4]} incidents")
                    + "<extra></extra>"
                ),
            }
        )
    if measure == "killed":
        traces += _killed_range_trace(rows, interval)
    xaxis: dict[str, Any] = {"type": "date", "rangeslider": {"visible": True, "thickness": 0.08}}
    if ordered_periods:
        xaxis.update(interval_ticks(ordered_periods[0], ordered_periods[-1], interval))
        xaxis["hoverformat"] = "%-d %b %Y"
    if len(ordered_periods) == 1:
        # A single bar would otherwise fill the whole axis.
        only = ordered_periods[0]
        xaxis["range"] = [shift_date(only, -15).isoformat(), shift_date(period_end(only, interval), 15).isoformat()]
    span_layout = _span_layout(spans)
    if span_layout["shapes"]:
        traces.append(_span_trace(spans))
    return {
        "data": traces,
        "layout": {
            **span_layout,
            "barmode": "stack",
            "height": 360,
            "font": FONT,
            "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
            # Under the chart and its range slider, growing downwards: never over the bars.
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.32, "x": 0},
            "xaxis": xaxis,
            "yaxis": {"title": {"text": MEASURES[measure]}, "rangemode": "tozero", "fixedrange": True},
            "hovermode": "closest",
        },
    }


def _range_text(low: int | None, high: int | None) -> str:
    """A range with an en dash ("9 to 13" as 9, en dash, 13), one figure when they agree, "unknown" for none."""
    if high is None:
        return "unknown"
    return f"{low}\u2013{high}" if low is not None and low != high else str(high)


def _killed_range_trace(rows: Sequence[Mapping[str, Any]], interval: str) -> list[dict[str, Any]]:
    """The killed range of each period, lowest to highest reported, as a whisker over the bar's middle.

    The bars stack the highest figures (what the totals call "killed"); the whisker runs from the sum of the
    lowest (`killed_min`) up to that. Only periods where the two differ get one; none differ: no trace.
    """
    low: dict[datetime.date, int] = {}
    high: dict[datetime.date, int] = {}
    for row in rows:
        if row.get("killed") is None:
            continue
        period = _as_date(row["period"])
        high[period] = high.get(period, 0) + row["killed"]
        least = row.get("killed_min")
        low[period] = low.get(period, 0) + (row["killed"] if least is None else least)
    ranged = [period for period in sorted(high) if low[period] != high[period]]
    if not ranged:
        return []
    # Halfway through the period, where the bar's middle is.
    middles = [
        datetime.datetime.combine(period, datetime.time())
        + datetime.timedelta(days=(period_end(period, interval) - period).days + 1) / 2
        for period in ranged
    ]
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "Killed: lowest to highest reported",
            "x": [middle.isoformat() for middle in middles],
            "y": [low[period] for period in ranged],
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": [high[period] - low[period] for period in ranged],
                "arrayminus": [0] * len(ranged),
                "color": "#222222",
                "thickness": 1.5,
                "width": 4,
            },
            "marker": {"symbol": "line-ew-open", "size": 10, "color": "#222222", "line": {"width": 2}},
            "text": [f"{low[period]}\u2013{high[period]} killed" for period in ranged],
            # The bars' hovers give each group's range; the whisker takes no hover or click from the bar under it.
            "hoverinfo": "skip",
        }
    ]


# Reported period totals: grey bands behind the bars, their lines stacked in the top of the plot (second axis 0..1).
_SPAN_COLOUR = "#555555"
_SPAN_LEVELS = 5


def _span_label(span: Mapping[str, Any]) -> str:
    low, high = span.get("killed_min"), span.get("killed_max")
    if high is None:
        killed = "killed not reported"
    else:
        killed = (f"{low} to {high}" if low not in (None, high) else f"{high}") + " killed"
    start, end = _as_date(span["date_start"]), _as_date(span["date_end"])
    return f"Reported total for {plain(span['area'])}, {start.isoformat()} to {end.isoformat()}: {killed}"


def _span_end(span: Mapping[str, Any]) -> str:
    # The band covers its last day whole.
    return shift_date(_as_date(span["date_end"]), 1).isoformat()


def _span_layout(spans: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": _as_date(span["date_start"]).isoformat(),
            "x1": _span_end(span),
            "y0": 0,
            "y1": 1,
            "fillcolor": _SPAN_COLOUR,
            "opacity": 0.1,
            "line": {"width": 0},
            "layer": "below",
        }
        for span in spans
    ]
    axis = {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}
    return {"shapes": shapes, "yaxis2": axis} if shapes else {"shapes": []}


def _span_trace(spans: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One line per toll over its period (start, end and a point between, for the hover), gaps between tolls.

    Each point's customdata is the toll's incident id: a click opens its page (sources and evidence).
    """
    x: list[str | None] = []
    y: list[float | None] = []
    text: list[str | None] = []
    ids: list[int | None] = []
    for index, span in enumerate(spans):
        level = 0.96 - 0.07 * (index % _SPAN_LEVELS)
        start, end = _as_date(span["date_start"]), _as_date(span["date_end"])
        middle = shift_date(start, (end - start).days // 2)
        label = _span_label(span)
        x += [start.isoformat(), middle.isoformat(), _span_end(span), None]
        y += [level, level, level, None]
        text += [label, label, label, None]
        ids += [span["id"], span["id"], span["id"], None]
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": "Reported period totals (not in the bars)",
        "showlegend": False,  # the page says what the grey spans are; a legend entry would crowd the slider
        "yaxis": "y2",
        "x": x,
        "y": y,
        "text": text,
        "customdata": ids,
        "line": {"color": _SPAN_COLOUR, "width": 3},
        "marker": {"color": _SPAN_COLOUR, "size": 6, "symbol": "line-ns-open"},
        "hovertemplate": "%{text}<extra></extra>",
        "connectgaps": False,
    }
