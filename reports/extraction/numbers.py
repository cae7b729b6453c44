"""Counts in news text: digits, number words, vague quantities and ranges.

Each count keeps its lowest and highest value and its token span, because
"between thirty and forty" is 30-40, not 70 (what word2number would say).
Vague words follow the ACLED convention the annotation guide adopts.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.extraction.tokens import Token

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# ACLED convention (GUIDE.md): several/many/plural = 10, dozens = 12,
# scores = 40, hundreds = 100; the rest follow the same order of magnitude.
VAGUE = {
    "several": 10,
    "many": 10,
    "numerous": 10,
    "dozens": 12,
    "scores": 40,
    "hundreds": 100,
    "thousands": 1000,
    "tens": 10,
    "couple": 2,
    "few": 3,
}
# Words before a number that qualify but do not change it ("at least 46" -> 46).
MODIFIERS = (
    ("at", "least"),
    ("more", "than"),
    ("fewer", "than"),
    ("less", "than"),
    ("up", "to"),
    ("as", "many", "as"),
    ("as", "few", "as"),
    ("as", "high", "as"),
    ("an", "estimated"),
    ("a", "total", "of"),
    ("no", "fewer", "than"),
    ("no", "less", "than"),
    ("some",),
    ("about",),
    ("around",),
    ("nearly",),
    ("almost",),
    ("over",),
    ("approximately",),
    ("roughly",),
    ("about",),
    ("estimated",),
    ("only",),
    ("just",),
    ("another",),
    ("least",),
    ("than",),
    ("all",),
    ("a", "further"),
    ("further",),
    ("the",),
)


_MODIFIERS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted(MODIFIERS, key=len, reverse=True):
    _MODIFIERS_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)


@dataclass(frozen=True, slots=True)
class Count:
    low: int
    high: int
    first: int  # token index of the first token (modifiers included)
    last: int  # token index one past the last token
    vague: bool


def _word_number(tokens: list[Token], index: int) -> tuple[int, int] | None:
    """Parse number words from ``index``: "twenty-five", "two hundred and fifty"."""
    total = 0
    current = 0
    position = index
    seen = False
    while position < len(tokens):
        word = tokens[position].lower
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES and seen:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total += current
                current = 0
        elif (word == "-" and seen and position + 1 < len(tokens) and tokens[position + 1].lower in UNITS) or (
            word == "and"
            and seen
            and position + 1 < len(tokens)
            and (tokens[position + 1].lower in UNITS or tokens[position + 1].lower in TENS)
            and position > index
            and tokens[position - 1].lower in SCALES
        ):
            position += 1
            continue
        else:
            break
        seen = True
        position += 1
    if not seen:
        return None
    return total + current, position


def _digits(token: Token) -> int | None:
    try:
        value = float(token.text.replace(",", ""))
    except ValueError:
        return None
    return int(value)


def _spaced_thousands(tokens: list[Token], index: int) -> tuple[int, int] | None:
    """ "1, 670": a thousands comma followed by a stray space, as some copy writes it.

    Only one to three digits, a comma touching them, one space and exactly three
    digits; "aged 12, 150 were hurt" has no such shape often enough to matter.
    """
    if index + 2 >= len(tokens):
        return None
    head, comma, tail = tokens[index], tokens[index + 1], tokens[index + 2]
    if not (head.text.isdigit() and len(head.text) <= 3 and head.text[0] != "0"):
        return None
    if comma.text != "," or comma.start != head.end or tail.start != comma.end + 1:
        return None
    if not (tail.text.isdigit() and len(tail.text) == 3):
        return None
    return int(head.text) * 1000 + int(tail.text), index + 3


def parse_number(tokens: list[Token], index: int) -> tuple[int, int, bool] | None:
    """A single quantity at ``index``: (value, end index, vague) or None."""
    if index >= len(tokens):
        return None
    token = tokens[index]
    if token.is_number:
        spaced = _spaced_thousands(tokens, index)
        if spaced is not None:
            return spaced[0], spaced[1], False
        value = _digits(token)
        if value is None:
            return None
        end = index + 1
        if end < len(tokens) and tokens[end].lower in ("million", "thousand"):
            value = int(float(token.text.replace(",", "")) * SCALES[tokens[end].lower])
            end += 1
        return value, end, False
    word = token.lower
    if word in ("a", "an") and index + 1 < len(tokens):
        following = tokens[index + 1].lower
        if following == "dozen":
            return 12, index + 2, False
        if following in ("hundred", "thousand"):
            parsed = _word_number(tokens, index + 1)
            return (parsed[0] if parsed else SCALES[following]), (parsed[1] if parsed else index + 2), False
        if following in ("few", "couple") and index + 2 < len(tokens) and tokens[index + 2].lower == "of":
            return VAGUE[following], index + 3, True
        if following == "couple":
            # "killed a couple and their three sons": two people, not a vague quantity.
            return 2, index + 2, False
        if following == "few":
            return VAGUE[following], index + 2, True
        return None
    parsed = _word_number(tokens, index)
    if parsed is not None:
        value, end = parsed
        if end < len(tokens) and tokens[end].lower == "dozen":
            return value * 12, end + 1, False
        if end + 1 < len(tokens) and tokens[end].text == "-" and tokens[end + 1].lower == "dozen":
            return value * 12, end + 2, False  # "two-dozen"
        return value, end, False
    if word in VAGUE and word not in ("few", "couple"):
        end = index + 1
        # "tens of thousands", "hundreds of thousands"
        if (
            word in ("tens", "hundreds")
            and end + 1 < len(tokens)
            and tokens[end].lower == "of"
            and tokens[end + 1].lower == "thousands"
        ):
            return (10_000 if word == "tens" else 100_000), end + 2, True
        if word == "tens":
            return None
        if end < len(tokens) and tokens[end].lower == "of":
            end += 1
        return VAGUE[word], end, True
    if word == "dozen" and index + 1 < len(tokens) and tokens[index + 1].lower == "of":
        return 12, index + 2, True
    return None


def _skip_modifiers(tokens: list[Token], index: int) -> int:
    changed = True
    while changed and index < len(tokens):
        changed = False
        for phrase in _MODIFIERS_BY_FIRST.get(tokens[index].lower, ()):
            size = len(phrase)
            if tuple(token.lower for token in tokens[index : index + size]) == phrase:
                index += size
                changed = True
                break
    return index


def parse_count(tokens: list[Token], index: int) -> Count | None:
    """A count starting at ``index`` (modifiers, then a number or a range)."""
    start = index
    if index < len(tokens) and tokens[index].lower == "between":
        low = parse_number(tokens, _skip_modifiers(tokens, index + 1))
        if low and low[1] < len(tokens) and tokens[low[1]].lower == "and":
            high = parse_number(tokens, _skip_modifiers(tokens, low[1] + 1))
            if high and high[0] >= low[0]:
                return Count(low[0], high[0], start, high[1], low[2] or high[2])
        return None
    index = _skip_modifiers(tokens, index)
    single = parse_number(tokens, index)
    if single is None:
        return None
    value, end, vague = single
    # "30 to 40", "30-40", "two or three"
    if end + 1 < len(tokens) and tokens[end].lower in ("to", "-", "or", "\u2013"):
        other = parse_number(tokens, end + 1)
        if other is not None and other[0] > value and not other[2] and not vague:
            return Count(value, other[0], start, other[1], False)
    return Count(value, value, start, end, vague)
