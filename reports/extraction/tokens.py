"""Word tokens with character offsets; every later stage works on these."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Numbers keep their thousands separators; words keep an internal apostrophe
# ("Shi'ite", "Baghdad's"); everything else is a one-character token.
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\S",
)


# Not frozen: frozen dataclasses pay for object.__setattr__ on every token.
@dataclass(slots=True)
class Token:
    text: str
    lower: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


def tokenize(text: str, *, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset`` (a sentence's start)."""
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        tokens.append(Token(word, word.lower(), match.start() + offset, match.end() + offset))
    return tokens


def strip_possessive(word: str) -> str:
    """ "Baghdad's" -> "Baghdad"; "Yemen's" -> "Yemen"."""
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word
