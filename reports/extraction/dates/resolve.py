"""Resolving a matched date expression against the publication date (GUIDE.md rules)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from reports.extraction.contract import DatePrecision
from reports.extraction.dates.patterns import AGO_WORDS, MONTHS, NUMBER_WORDS, WEEKDAYS

_THIS_YEAR = re.compile(r"\bthis\s+year\b", re.I)


def _part_of_month(phrase: str, first: date, last: date) -> tuple[date, date]:
    """ "late April": its last third; "mid-April": from the 11th; "early April": its first third."""
    phrase = phrase.lower()
    if re.search(r"\blate\b", phrase):
        return first.replace(day=21), last
    if "mid" in phrase:
        return first.replace(day=11), last
    if re.search(r"\bearly\b", phrase):
        return first, first.replace(day=10)
    return first, last


def latest_day(*, published: date, month: int, day: int) -> date | None:
    """The latest month/day on or before ``published`` (GUIDE: "15 October" with no year)."""
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _latest_month(published: date, month: int) -> tuple[date, date]:
    year = published.year if month <= published.month else published.year - 1
    return _month_span(year, month)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve(kind: str, match: re.Match[str], published: date) -> tuple[date, date, DatePrecision] | None:
    groups = match.groups()
    if kind == "day_range":
        month = MONTHS[groups[2].lower().rstrip(".")]
        year_text = groups[3]
        last_day = (
            safe_date(int(year_text), month, int(groups[1]))
            if year_text
            else latest_day(published=published, month=month, day=int(groups[1]))
        )
        first_day = safe_date(last_day.year, month, int(groups[0])) if last_day else None
        if first_day is None or last_day is None or first_day > last_day:
            return None
        return first_day, last_day, DatePrecision.SPAN
    if kind in ("day_month", "month_day"):
        day_text, month_text = (groups[0], groups[1]) if kind == "day_month" else (groups[1], groups[0])
        month = MONTHS[month_text.lower().rstrip(".")]
        day = int(day_text)
        if groups[2]:
            found = safe_date(int(groups[2]), month, day)
        elif _THIS_YEAR.search(match.group()):
            found = safe_date(published.year, month, day)
        else:
            found = latest_day(published=published, month=month, day=day)
        return (found, found, DatePrecision.DAY) if found else None
    if kind == "month_range":
        first_month, last_month = MONTHS[groups[0].lower().rstrip(".")], MONTHS[groups[2].lower().rstrip(".")]
        year_text = groups[3] or groups[1]
        last_year = int(year_text) if year_text else _latest_month(published, last_month)[0].year
        first_year = int(groups[1]) if groups[1] else last_year - (1 if first_month > last_month else 0)
        last = _month_span(last_year, last_month)[1]
        if last > published and not year_text:
            return None
        return date(first_year, first_month, 1), min(last, published), DatePrecision.SPAN
    if kind == "week_to":
        day_text, month_text = (groups[0], groups[1]) if groups[0] else (groups[3], groups[2])
        month, day = MONTHS[month_text.lower().rstrip(".")], int(day_text)
        last = (
            safe_date(int(groups[4]), month, day)
            if groups[4]
            else latest_day(published=published, month=month, day=day)
        )
        if last is None:
            return None
        return last - timedelta(days=6), last, DatePrecision.SPAN
    if kind == "overnight_day":
        night = published - timedelta(days=(published.weekday() - WEEKDAYS[groups[0].lower()]) % 7)
        return night, min(night + timedelta(days=1), published), DatePrecision.SPAN
    if kind == "part_of_year":
        year = int(groups[2]) if groups[2] else published.year - (1 if "last year" in match.group().lower() else 0)
        size = 3 if groups[1].lower() == "quarter" else 6
        order = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 12 // size}[groups[0].lower()]
        if order * size > 12:
            return None
        first = date(year, (order - 1) * size + 1, 1)
        last = _month_span(year, order * size)[1]
        if first > published:
            return None
        return first, min(last, published), DatePrecision.SPAN
    if kind == "first_months":
        year = int(groups[1]) if groups[1] else published.year
        amount = groups[0].lower().split()[0]
        months = {"half": 6, "quarter": 3}.get(amount) or (int(amount) if amount.isdigit() else AGO_WORDS[amount])
        if not 1 <= months <= 12:
            return None
        return date(year, 1, 1), min(_month_span(year, months)[1], published), DatePrecision.SPAN
    if kind == "week_of_month":
        which = match.group().split()[0].lower()
        month = MONTHS[groups[0].lower().rstrip(".")]
        first, last = _month_span(int(groups[1]), month) if groups[1] else _latest_month(published, month)
        if which in ("last", "final"):
            return last - timedelta(days=6), last, DatePrecision.SPAN
        start = first + timedelta(days=7 * ("first", "second", "third", "fourth").index(which))
        return start, start + timedelta(days=6), DatePrecision.SPAN
    if kind == "end_of_month":
        month = MONTHS[groups[0].lower().rstrip(".")]
        if groups[1]:
            first, last = _month_span(int(groups[1]), month)
        else:
            first, last = _latest_month(published, month)
        return last, last, DatePrecision.DAY
    if kind == "numeric":
        first_number, second_number, year = int(groups[0]), int(groups[2]), int(groups[3])
        readings = [
            found
            for found in (safe_date(year, second_number, first_number), safe_date(year, first_number, second_number))
            if found is not None and found <= published
        ]
        if not readings:
            return None
        # Day first where both readings are possible (most of the world writes it so), unless only the
        # other is on or before the publication day.
        return readings[0], readings[0], DatePrecision.DAY
    if kind == "month_year":
        first, last = _month_span(int(groups[1]), MONTHS[groups[0].lower().rstrip(".")])
        return (*_part_of_month(match.group(), first, last), DatePrecision.MONTH)
    if kind == "last_monthname":
        # "since last March": the latest such month before the current one.
        month = MONTHS[groups[0].lower().rstrip(".")]
        year = published.year if month < published.month else published.year - 1
        first, last = _month_span(year, month)
        return first, last, DatePrecision.MONTH
    if kind == "month_last_year":
        first, last = _month_span(published.year - 1, MONTHS[groups[0].lower().rstrip(".")])
        return first, last, DatePrecision.MONTH
    if kind == "last_week":
        monday = published - timedelta(days=published.weekday())
        if groups[0].lower() == "last":
            return monday - timedelta(days=7), monday - timedelta(days=1), DatePrecision.SPAN
        return monday, published, DatePrecision.SPAN
    if kind == "last_year":
        return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), DatePrecision.SPAN
    if kind == "month":
        month = MONTHS[groups[0].lower().rstrip(".")]
        first, last = (
            _month_span(published.year, month) if _THIS_YEAR.search(match.group()) else _latest_month(published, month)
        )
        return (*_part_of_month(match.group(), first, last), DatePrecision.MONTH)
    if kind == "overnight_into":
        # "overnight into Saturday": the night from Friday to Saturday.
        last = published - timedelta(days=(published.weekday() - WEEKDAYS[groups[0].lower()]) % 7)
        return last - timedelta(days=1), last, DatePrecision.SPAN
    if kind == "weekday_range":
        end_day = WEEKDAYS[groups[1].lower()]
        last = published - timedelta(days=(published.weekday() - end_day) % 7)
        first = last - timedelta(days=(end_day - WEEKDAYS[groups[0].lower()]) % 7)
        return first, last, DatePrecision.DAY if first == last else DatePrecision.SPAN
    if kind == "weekday":
        weekday = WEEKDAYS[groups[0].lower()]
        found = published - timedelta(days=(published.weekday() - weekday) % 7)
        if found == published and re.search(
            r"\blast\s+$", match.string[max(0, match.start() - 6) : match.start()], re.I
        ):
            found -= timedelta(days=7)  # "last Friday" written on a Friday: a week ago
        return found, found, DatePrecision.DAY
    if kind == "yesterday":
        phrase = match.group().lower()
        if phrase == "overnight":
            # The night before the report: it spans the eve and the day of publication.
            return published - timedelta(days=1), published, DatePrecision.SPAN
        if "before" in phrase:
            offset = 2
        elif "yesterday" in phrase or "last night" in phrase:
            offset = 1
        else:
            offset = 0
        found = published - timedelta(days=offset)
        return found, found, DatePrecision.DAY
    if kind == "days_ago":
        raw = groups[0].lower()
        offset = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        found = published - timedelta(days=offset)
        return found, found, DatePrecision.DAY
    if kind == "ago":
        raw = groups[0].lower()
        amount = 1 if raw in ("a", "an", "one") else int(raw) if raw.isdigit() else AGO_WORDS.get(raw, 1)
        unit = groups[1].lower().rstrip("s")
        if unit == "week":
            found = published - timedelta(days=7 * amount)
            return (
                found - timedelta(days=found.weekday()),
                found - timedelta(days=found.weekday()) + timedelta(days=6),
                DatePrecision.SPAN,
            )
        if unit == "month":
            year, month = divmod(published.year * 12 + published.month - 1 - amount, 12)
            first, last = _month_span(year, month + 1)
            return first, last, DatePrecision.MONTH
        return date(published.year - amount, 1, 1), date(published.year - amount, 12, 31), DatePrecision.SPAN
    if kind == "past_period" and groups[0] is None and groups[1].lower() == "year" and published.month == 1:
        # "killed in the last year", in a review published in January: the calendar year just ended.
        return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), DatePrecision.SPAN
    if kind in ("past_period", "period_since"):
        raw = (groups[0] or "1").lower()
        amount = int(raw) if raw.isdigit() else AGO_WORDS.get(raw, 1)
        unit = groups[1].lower().rstrip("s")
        days = {"hour": 0, "day": 1, "week": 7, "month": 30, "year": 365}[unit] * amount
        if unit == "hour":
            days = max(1, amount // 24)
        return published - timedelta(days=days), published, DatePrecision.SPAN
    if kind == "duration":
        # "a three-week offensive": it ran that long, up to the report.
        raw = groups[0].lower()
        amount = int(raw) if raw.isdigit() else AGO_WORDS.get(raw, 1)
        days = {"day": 1, "week": 7, "month": 30}[groups[1].lower()] * amount
        return published - timedelta(days=max(0, days - 1)), published, DatePrecision.SPAN
    if kind == "period_of":
        # "weeks of fighting": no start given; the usual reading of the phrase.
        days = {"days": 7, "weeks": 28, "months": 90, "years": 730}[groups[0].lower()]
        return published - timedelta(days=days), published, DatePrecision.SPAN
    if kind == "year_adjective":
        year = int(groups[0])
        if year > published.year:
            return None
        return date(year, 1, 1), min(date(year, 12, 31), published), DatePrecision.SPAN
    if kind == "start_of_period":
        unit = groups[0].lower()
        first = (
            date(published.year, 1, 1)
            if unit == "year"
            else published.replace(day=1)
            if unit == "month"
            else published - timedelta(days=published.weekday())
        )
        return first, first, DatePrecision.DAY
    if kind == "this_year":
        return date(published.year, 1, 1), published, DatePrecision.SPAN
    if kind == "weekend":
        # The latest Saturday on or before the report, and the Sunday after it unless that is still to come.
        saturday = published - timedelta(days=(published.weekday() - 5) % 7)
        return saturday, min(saturday + timedelta(days=1), published), DatePrecision.SPAN
    if kind == "year_range":
        first_year, last_year = int(groups[0]), int(groups[1])
        if not first_year < last_year <= published.year:
            return None
        return date(first_year, 1, 1), min(date(last_year, 12, 31), published), DatePrecision.SPAN
    if kind == "year":
        year = int(groups[0])
        if year > published.year:
            return None
        return date(year, 1, 1), min(date(year, 12, 31), published), DatePrecision.SPAN
    if kind == "last_month":
        if groups[0].lower() == "last":
            previous = published.replace(day=1) - timedelta(days=1)
            first, last = _month_span(previous.year, previous.month)
        else:
            first, last = published.replace(day=1), published
        return first, last, DatePrecision.MONTH
    return None
