"""Text primitives shared by every stage: name keys and sentence splitting.

Sentence splitting keeps character offsets so that evidence can always be cut
back out of the original text (``text[start:end] == evidence``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def word_set(words: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words in ``words`` (keeps long lists readable)."""
    return frozenset(words.split())


# Arabic definite-article spellings that news copy adds, drops or hyphenates at
# will ("al-Bab", "Bab", "el-Zour", "ez-Zor"); dropping them from keys
# makes these spellings collide.
_ARTICLES = word_set("al el ar as ad an at az ez ash ath adh es ed er en et ul")
_APOSTROPHES = re.compile(r"[`'\u2018\u2019\u02bb\u02bc\u02be\u02bf\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """Strip diacritics (Ḩimş -> Hims); characters with no ASCII form vanish."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def name_key(name: str) -> str:
    """Spelling-insensitive key of a place name: case, accents, articles, spacing.

    "Deir ez-Zor", "Deir Ezzor" and "deir al zor" do not all collide (ez-zor vs
    ezzor), but the common article/hyphen/diacritic variants do.
    """
    folded = _APOSTROPHES.sub("", ascii_fold(name).lower())
    tokens = _NON_ALNUM.sub(" ", folded).split()
    kept = [token for index, token in enumerate(tokens) if token not in _ARTICLES or index == len(tokens) - 1]
    return "".join(kept)


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin script (with or without accents)."""
    return all(not char.isalpha() or "LATIN" in unicodedata.name(char, "") for char in name)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    index: int
    text: str


# A sentence ends at ., ! or ? followed by space and an upper-case letter, digit
# or opening quote; abbreviations such as "U.S." or "Sept." are protected below.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]?\s+(?=[\"\u201c\u2018(]?[A-Z0-9])")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Prof|Rev|"
    r"Gov|Sen|Rep|approx|est|vs|etc)|\b[A-Z](?:\.[A-Z])*)\.$"
)
_PARAGRAPH = re.compile(r"\n\s*\n|\r\n\s*\r\n")
MAX_SENTENCE = 3000


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with offsets; paragraphs are blank-line separated.

    Single newlines also end a sentence (many scraped articles have one paragraph
    a line). Over-long runs are cut at MAX_SENTENCE characters to keep every
    later stage linear in the input size.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    position = 0
    for block in re.finditer(r"[^\n]+", text):
        gap = text[position : block.start()]
        if sentences and gap.count("\n") >= 2:
            paragraph += 1
        elif sentences and gap:
            # One newline: a new paragraph in one-paragraph-a-line text.
            paragraph += 1
        position = block.end()
        _split_block(text=text, start=block.start(), end=block.end(), paragraph=paragraph, out=sentences)
    return sentences


def _split_block(*, text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    chunk = text[start:end]
    cursor = 0
    for boundary in _BOUNDARY.finditer(chunk):
        head = chunk[cursor : boundary.start()]
        if _ABBREVIATIONS.search(head[-12:]):
            continue
        _emit(text=text, start=start + cursor, end=start + boundary.start(), paragraph=paragraph, out=out)
        cursor = boundary.end()
    _emit(text=text, start=start + cursor, end=end, paragraph=paragraph, out=out)


def _emit(*, text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = start + MAX_SENTENCE
        out.append(Sentence(start, cut, paragraph, len(out), text[start:cut]))
        start = cut
    if end > start:
        out.append(Sentence(start, end, paragraph, len(out), text[start:end]))
