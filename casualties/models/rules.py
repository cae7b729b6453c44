"""How claims become incidents, written once.

Which figures incidents and claims carry and how an incident's follow from
its claims'; how near in time two reports must lie to describe the same event.

Everything that computes an incident's figures derives from FIGURE_RULE: the
ORM aggregate (casualties.services.figures), the bulk SQL
(casualties.services.bulk) and the in-memory filer (casualties.services.matching).
Everything that lists the figures (serializers, CSV columns, list records, the
pre-aggregated counts) derives from COUNT_FIELDS.
"""

import datetime
from collections.abc import Iterable
from typing import Literal

# Each figure an incident and a claim carry, in the order lists, the API and the CSV show them, with how
# the incident's value follows from its claims' values: the lowest minimum, the highest of the rest,
# NULLs (unknown) ignored.
FIGURE_RULE: dict[str, Literal["min", "max"]] = {
    "killed_min": "min",
    "killed_max": "max",
    "injured_min": "min",
    "injured_max": "max",
    "children_killed": "max",
    "women_killed": "max",
}
COUNT_FIELDS = tuple(FIGURE_RULE)

# Two reports whose dates lie within this of each other may describe the same event: the filer joins
# them automatically, and the incident page suggests merging incidents this close. News reports date
# an event "yesterday" or "last night", so a day either side.
SAME_EVENT_WINDOW = datetime.timedelta(days=1)


def figures_over(claims: Iterable[tuple[int | None, ...]]) -> dict[str, int | None]:
    """The incident figures for these claims (each a tuple in COUNT_FIELDS order) by FIGURE_RULE.

    Every figure is None when no claim gives it (or there are no claims).
    """
    columns = list(zip(*claims, strict=True)) or [()] * len(COUNT_FIELDS)
    result = {}
    for (name, rule), values in zip(FIGURE_RULE.items(), columns, strict=True):
        present = [value for value in values if value is not None]
        result[name] = (min if rule == "min" else max)(present, default=None)
    return result
