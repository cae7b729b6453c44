"""A place, division or unresolved name found in a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.extraction.gazetteer import Place
from reports.extraction.places.roles import Role


@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    key: str
    candidates: list[Place] = field(default_factory=list)
    admin1s: tuple[tuple[str, str], ...] = ()
    explicit_admin1: bool = False
    subplace: bool = False  # named with "district", "village of" ... (finer than a city)
    reference: bool = False  # not where it happened: any role but EVENT ("60 km north of Baghdad", a dateline)
    chosen: Place | None = None
    bare_admin1: bool = False  # a division named without "province" etc.; trusted only in the article's country
    unmatched: bool = False  # a capitalised name after "in"/"near" the gazetteer lacks; tried fuzzily later
    role: Role = Role.EVENT  # what the name does in its sentence; only EVENT places locate an incident
    # "the capital of X region": the seat of each division the name may be (its most populous place).
    seats: dict[tuple[str, str], Place] = field(default_factory=dict)
    # "the Haifa Bay area", "the Mosul Dam": the known towns an unknown name begins with; its division's clue.
    containers: list[Place] = field(default_factory=list)
