"""What the casualty stage returns: killed/injured mentions and sub-counts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Mention:
    """A killed or injured figure in a sentence, with its range and what kind of figure it is."""

    kind: str  # "killed" or "injured"
    low: int
    high: int
    vague: bool
    start: int  # character offsets of the count phrase
    end: int
    toll_update: bool = False  # read from a toll phrase ("rose to 26")
    also: bool = False  # "also killed several officials": a subset of a toll already given
    also_after: bool = False  # "were also killed": additional victims of the same event
    later_death: bool = False  # "two more died of their wounds": the toll rose
    respective: bool = False  # "killed 12 and 7 people respectively": one of several events' tolls
    nouns: list[str] = field(default_factory=list)
    children: int | None = None
    women: int | None = None


# The group of a share of a toll with no group of its own ("Eighteen of the dead were killed in A").
SHARE = "share"


@dataclass(slots=True)
class SubCount:
    """Children or women among the killed ("including 32 children"), or a share of the toll (``SHARE``)."""

    group: str  # "children", "women" or SHARE
    value: int
    start: int
    killed_context: bool
