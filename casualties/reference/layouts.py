"""Their CSV layouts, read into one typed row. Plain Python: no database here.

The mapping is written down in docs/reference-datasets.md; the tables below are
that document's, in code. A row that cannot be read raises BadRowError with the reason,
and the import skips it and reports its line.
"""

import datetime
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reports.extraction.contract import DatePrecision, EventType, LocationPrecision


class BadRowError(ValueError):
    """A row that cannot be imported; the message is the reason shown with its line number."""


class WrongFileError(ValueError):
    """A file that is not an export of the format asked for; nothing of it is written."""


@dataclass(frozen=True, slots=True)
class ReferenceRow:
    """One of their events in our vocabulary; `country` and `admin1_name` are resolved later (mapping.py)."""

    event_id: str
    date_start: datetime.date
    date_end: datetime.date
    date_precision: DatePrecision
    event_type: EventType
    country_code: str  # as they give it: ISO numeric or alpha-3 (ACLED), a name (UCDP)
    country_name: str
    admin1_name: str
    location: str
    lat: float | None
    lon: float | None
    location_precision: LocationPrecision
    killed_min: int | None
    killed_best: int | None
    killed_max: int | None


# ACLED's sub-event types that are ours; every other sub-event (protests, riots, strategic developments,
# abductions, looting...) is "other".
ACLED_SUB_EVENT_TYPES = {
    "air/drone strike": EventType.AIR_DRONE_STRIKE,
    "shelling/artillery/missile attack": EventType.SHELLING_ARTILLERY_MISSILE,
    "remote explosive/landmine/ied": EventType.REMOTE_EXPLOSIVE,
    "suicide bomb": EventType.SUICIDE_BOMB,
    "armed clash": EventType.ARMED_CLASH,
    "attack": EventType.ATTACK,
}
# ACLED time_precision: 1 the day, 2 a week (their date is inside it), 3 a month.
ACLED_TIME_PRECISION = {1: DatePrecision.DAY, 2: DatePrecision.SPAN, 3: DatePrecision.MONTH}
# Days either side of their date that a week-precise ACLED event may fall on.
ACLED_WEEK_SLACK_DAYS = 3
# ACLED geo_precision: 1 the town, 2 near a town or a part of a region (the nearest town coded), 3 a larger region.
ACLED_GEO_PRECISION = {1: LocationPrecision.PLACE, 2: LocationPrecision.PLACE, 3: LocationPrecision.ADMIN1}
# UCDP type_of_violence: 1 state-based, 2 non-state (two organised sides fighting), 3 one-sided (against civilians).
UCDP_VIOLENCE_TYPES = {1: EventType.ARMED_CLASH, 2: EventType.ARMED_CLASH, 3: EventType.ATTACK}
# UCDP date_prec: 1 the day, 2 two to six days, 3 a week, 4 under a month, 5 a month to a year.
UCDP_DATE_PRECISION = {
    1: DatePrecision.DAY,
    2: DatePrecision.SPAN,
    3: DatePrecision.SPAN,
    4: DatePrecision.SPAN,
    5: DatePrecision.MONTH,
}
# UCDP where_prec: 1 the place, 2 within 25 km of it, 3 a second-level division, 4 a first-level one,
# 5 a wider area (a road, a river, several divisions), 6 the country, 7 waters or airspace.
UCDP_WHERE_PRECISION = {
    1: LocationPrecision.PLACE,
    2: LocationPrecision.PLACE,
    3: LocationPrecision.ADMIN1,
    4: LocationPrecision.ADMIN1,
    5: LocationPrecision.ADMIN1,
    6: LocationPrecision.COUNTRY,
    7: LocationPrecision.COUNTRY,
}


@dataclass(frozen=True)
class Layout:
    """One publisher's export: the columns it must have, and the ones that name it."""

    format: str
    label: str
    required: tuple[str, ...]
    # Columns only this publisher's export has: a header holding them is theirs.
    signature: tuple[str, ...]


ACLED = Layout(
    format="acled",
    label="ACLED",
    required=(
        "event_id_cnty",
        "event_date",
        "time_precision",
        "sub_event_type",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "fatalities",
    ),
    signature=("event_id_cnty", "sub_event_type", "fatalities"),
)
UCDP = Layout(
    format="ucdp",
    label="UCDP GED",
    required=(
        "id",
        "type_of_violence",
        "where_prec",
        "adm_1",
        "latitude",
        "longitude",
        "country",
        "date_prec",
        "date_start",
        "date_end",
        "best",
        "high",
        "low",
    ),
    signature=("type_of_violence", "where_prec", "date_prec"),
)
LAYOUTS = {layout.format: layout for layout in (ACLED, UCDP)}


def header_check(*, layout: Layout, header: Sequence[str]) -> dict[str, int]:
    """Column name -> index for the export's header; WrongFileError when the header is not this layout's."""
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    missing = [name for name in layout.required if name not in columns]
    if not missing:
        return columns
    for other in LAYOUTS.values():
        if other is not layout and all(name in columns for name in other.signature):
            raise WrongFileError(
                f"The header is {other.label}'s, not {layout.label}'s: import it with --format {other.format}."
            )
    raise WrongFileError(f"Not {layout.label}'s layout: the header lacks {', '.join(missing)}.")


def row_digest(row: Sequence[str]) -> str:
    """A digest of their row as read, so a re-import tells a changed event from an unchanged one."""
    return hashlib.md5("\x1f".join(row).encode(), usedforsecurity=False).hexdigest()


def _integer(value: str, name: str, *, required: bool = False) -> int | None:
    value = value.strip()
    if not value:
        if required:
            raise BadRowError(f"{name} is empty")
        return None
    try:
        number = int(float(value)) if "." in value else int(value)
    except ValueError:
        raise BadRowError(f"{name} is not a number: {value[:40]!r}") from None
    if number < 0:
        raise BadRowError(f"{name} is negative: {number}")
    return number


def _code(value: str, name: str, table: dict) -> object:
    number = _integer(value, name, required=True)
    try:
        return table[number]
    except KeyError:
        raise BadRowError(f"{name} {number} is not one of {', '.join(map(str, table))}") from None


def _point(latitude: str, longitude: str) -> tuple[float | None, float | None]:
    if not latitude.strip() and not longitude.strip():
        return None, None
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        raise BadRowError(f"latitude/longitude is not a number: {latitude[:20]!r}, {longitude[:20]!r}") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadRowError(f"latitude/longitude out of range: {lat}, {lon}")
    return lat, lon


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def parse_date(value: str, name: str) -> datetime.date:
    """2023-02-16 (also with a time after it, as UCDP writes) or 16 February 2023 (older ACLED exports)."""
    text = value.strip()
    try:
        if text[:4].isdigit():
            return datetime.date.fromisoformat(text[:10])
        day, month, year = text.replace("-", " ").split()
        return datetime.date(int(year), _MONTHS[month.lower()], int(day))
    except (ValueError, KeyError, IndexError):
        raise BadRowError(f"{name} is not a date: {text[:40]!r}") from None


def _month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def acled_row(row: Sequence[str], columns: dict[str, int]) -> ReferenceRow:
    """One ACLED row: its single fatalities figure is min, best and max alike."""

    def get(name: str) -> str:
        index = columns.get(name)
        return row[index] if index is not None else ""

    event_id = get("event_id_cnty").strip()
    if not event_id:
        raise BadRowError("event_id_cnty is empty")
    day = parse_date(get("event_date"), "event_date")
    precision = _code(get("time_precision"), "time_precision", ACLED_TIME_PRECISION)
    start, end = day, day
    if precision == DatePrecision.SPAN:
        slack = datetime.timedelta(days=ACLED_WEEK_SLACK_DAYS)
        start, end = day - slack, day + slack
    elif precision == DatePrecision.MONTH:
        start, end = _month_bounds(day)
    lat, lon = _point(get("latitude"), get("longitude"))
    fatalities = _integer(get("fatalities"), "fatalities")
    return ReferenceRow(
        event_id=event_id,
        date_start=start,
        date_end=end,
        date_precision=precision,  # type: ignore[arg-type]
        event_type=ACLED_SUB_EVENT_TYPES.get(get("sub_event_type").strip().lower(), EventType.OTHER),
        # The current export has `iso` (ISO 3166 numeric), older ones `iso3`.
        country_code=(get("iso") or get("iso3")).strip(),
        country_name=get("country").strip(),
        admin1_name=get("admin1").strip(),
        location=get("location").strip()[:200],
        lat=lat,
        lon=lon,
        location_precision=_code(get("geo_precision"), "geo_precision", ACLED_GEO_PRECISION),  # type: ignore[arg-type]
        killed_min=fatalities,
        killed_best=fatalities,
        killed_max=fatalities,
    )


def ucdp_row(row: Sequence[str], columns: dict[str, int]) -> ReferenceRow:
    """One UCDP GED row: low, best and high deaths are our min, best and max."""

    def get(name: str) -> str:
        return row[columns[name]]

    event_id = get("id").strip()
    if not event_id:
        raise BadRowError("id is empty")
    start, end = parse_date(get("date_start"), "date_start"), parse_date(get("date_end"), "date_end")
    if start > end:
        raise BadRowError(f"date_start {start} is after date_end {end}")
    low, best, high = (_integer(get(name), name) for name in ("low", "best", "high"))
    if low is not None and best is not None and high is not None and not low <= best <= high:
        raise BadRowError(f"deaths low {low}, best {best}, high {high} are not in order")
    lat, lon = _point(get("latitude"), get("longitude"))
    country = get("country").strip()
    return ReferenceRow(
        event_id=event_id,
        date_start=start,
        date_end=end,
        date_precision=_code(get("date_prec"), "date_prec", UCDP_DATE_PRECISION),  # type: ignore[arg-type]
        event_type=_code(get("type_of_violence"), "type_of_violence", UCDP_VIOLENCE_TYPES),  # type: ignore[arg-type]
        country_code=country,
        country_name=country,
        admin1_name=get("adm_1").strip(),
        location=get("where_coordinates").strip()[:200] if "where_coordinates" in columns else "",
        lat=lat,
        lon=lon,
        location_precision=_code(get("where_prec"), "where_prec", UCDP_WHERE_PRECISION),  # type: ignore[arg-type]
        killed_min=low,
        killed_best=best,
        killed_max=high,
    )


READERS = {"acled": acled_row, "ucdp": ucdp_row}
