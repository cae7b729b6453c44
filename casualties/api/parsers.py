"""JSON bodies whose strings can be stored and answered back: no lone surrogates."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(key) or _has_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


class StrictJSONParser(JSONParser):
    """JSON's `\\ud800` escape decodes to a lone surrogate, which no UTF-8 text (a database column, an
    error message naming the key) can hold: a 400 here rather than a UnicodeEncodeError later."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _has_lone_surrogate(data):
            raise ParseError("JSON parse error - a string holds an unpaired surrogate (\\ud800-\\udfff).")
        return data
