"""The dates the record accepts, and date arithmetic that cannot overflow.

An incident dated before 1900 or more than a year ahead is a slip, not a report:
such dates are refused on input and in filters, as a 400 naming the field. Rows
already stored may hold any date Python allows (filed before the bounds, or
written by SQL), so readers move dates with `shift_date`, which stops at the ends
of the calendar instead of raising OverflowError.
"""

import datetime

from django.core.exceptions import ValidationError

EARLIEST_DATE = datetime.date(1900, 1, 1)


def latest_date() -> datetime.date:
    """One year after today: the latest date an incident or a filter may name."""
    return datetime.date.today() + datetime.timedelta(days=365)


def validate_record_date(value: datetime.date | None) -> None:
    """A validator for forms, filters and serializers: raises ValidationError outside EARLIEST_DATE..latest_date()."""
    if value is None:
        return
    latest = latest_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            "Expected a date from %(earliest)s to %(latest)s.",
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()},
        )


def shift_date(day: datetime.date, days: int) -> datetime.date:
    """`day` moved by `days` days (negative: earlier), stopping at date.min or date.max."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.min if days < 0 else datetime.date.max
