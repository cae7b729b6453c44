"""Drawn columns to table columns: every value as text, ready for COPY (PostgreSQL) or executemany (SQLite).

Text for both: PostgreSQL's COPY reads text, and SQLite's column affinity
stores '12' in an integer column as 12. Only NULL differs (COPY's \\N, Python's
None), and timestamps carry their zone on PostgreSQL. Numbers, dates and names
come from lookup tables indexed by whole NumPy columns, so the per-row work is
the article text, its hash, and joining the fields.

Articles: a dateline, the evidence sentence, a trailer; the claim's evidence
is the middle sentence, at the offsets stored with the claim.
"""

import datetime
import hashlib
from dataclasses import dataclass

import numpy as np

from casualties.models import COUNT_FIELDS
from casualties.synthetic.shape import (
    ACTORS,
    DAYS,
    EVENT_WEIGHTS,
    FIRST_DAY,
    STATUS_WEIGHTS,
    VICTIMS,
    Draws,
    Geography,
)

SYNTHETIC_VERSION = "synthetic"

INCIDENT_COLUMNS = [
    "id",
    "date_start",
    "date_end",
    "date_precision",
    *COUNT_FIELDS,
    "victims",
    "actor",
    "event_type",
    "country",
    "admin1_id",
    "place_id",
    "place_name",
    "lat",
    "lon",
    "location_precision",
    "aggregate",
    "review_status",
    # The same for every row:
    "merged_into_id",
    "figures_locked",
    "synthetic",
    "created_at",
    "updated_at",
]
ARTICLE_COLUMNS = [
    "id",
    "title",
    "published_at",
    "text",
    "text_sha256",
    # The same for every row:
    "url",
    "source_id",
    "feed_id",
    "fetched_at",
    "language",
    "status",
    "failure_reason",
    "duplicate_of_id",
    "extractor_version",
    "attempts",
    "synthetic",
    "created_at",
    "updated_at",
]
CLAIM_COLUMNS = [
    "id",
    "incident_id",
    "article_id",
    "date_start",
    "date_end",
    "date_precision",
    *COUNT_FIELDS,
    "victims",
    "actor",
    "event_type",
    "place_name",
    "evidence",
    "evidence_start",
    "evidence_end",
    "opened_incident",
    # The same for every row:
    "extractor_version",
    "confidence",
    "created_at",
]

_EVIDENCE = {
    "air_drone_strike": "An air strike hit {} on {}, killing {} people, local sources said.",
    "shelling_artillery_missile": "Shelling struck {} on {}, killing {} people, medics said.",
    "remote_explosive": "A roadside bomb exploded in {} on {}, killing {} people, police said.",
    "suicide_bomb": "A suicide bomber blew himself up in {} on {}, killing {} people, officials said.",
    "armed_clash": "Clashes in {} on {} left {} people dead, a monitoring group said.",
    "attack": "Gunmen attacked {} on {}, killing {} people, residents said.",
    "other": "Violence in {} on {} killed {} people, officials said.",
}
_AGGREGATE_EVIDENCE = "Fighting in {} from {} killed {} people in all, a monitoring group said."
_COPY_SPECIAL = ("\\", "\t", "\n", "\r")


def _copy_escape(value: str) -> str:
    for char in _COPY_SPECIAL:
        value = value.replace(char, char.encode("unicode_escape").decode())
    return value


@dataclass(frozen=True)
class Dialect:
    """How one database wants the values that are not plain text."""

    null: str | None
    true: str
    false: str
    escape: bool  # COPY text format: backslash, tab and newlines escaped

    def timestamp(self, moment: datetime.datetime) -> str:
        # Both stored in UTC; Django's SQLite backend keeps them naive.
        text = moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        return text + "+00:00" if self.null == "\\N" else text


POSTGRESQL = Dialect(null="\\N", true="t", false="f", escape=True)
SQLITE = Dialect(null=None, true="1", false="0", escape=False)


class Tables:
    """Lookup tables shared by every batch of one run."""

    def __init__(self, *, geo: Geography, dialect: Dialect, seed: int, source_id: int, now: datetime.datetime):
        self.geo, self.dialect, self.seed = geo, dialect, seed
        names = "".join([*geo.place_name.tolist(), *geo.admin1_name.tolist(), *geo.country_names])
        # Only the gazetteer's names could hold a tab or a backslash; when none does, nothing needs escaping.
        self.escape = dialect.escape and any(char in names for char in _COPY_SPECIAL)
        null = dialect.null
        self.numbers = np.array([str(n) for n in range(20 * 5000 + 10)], dtype=object)
        self.dates = np.array(
            [(FIRST_DAY + datetime.timedelta(days=d)).isoformat() for d in range(DAYS + 80)], dtype=object
        )
        self.events = np.array([str(e) for e in EVENT_WEIGHTS], dtype=object)
        self.evidence = np.array([_EVIDENCE[str(e)] for e in EVENT_WEIGHTS], dtype=object)
        self.victims = np.array([str(v) for v in VICTIMS], dtype=object)
        self.actors = np.array(ACTORS, dtype=object)
        self.statuses = np.array(list(STATUS_WEIGHTS), dtype=object)
        self.countries = np.array(geo.countries, dtype=object)
        self.locations = np.array(["place", "admin1", "country"], dtype=object)
        self.precisions = np.array(["day", "span"], dtype=object)
        self.bools = np.array([dialect.false, dialect.true], dtype=object)
        self.hours = np.array(
            [f" {h:02d}:00:00" + ("+00:00" if null == "\\N" else "") for h in range(24)], dtype=object
        )
        # Where each incident happened, as an article names it.
        self.country_names = np.array(geo.country_names, dtype=object)
        self.place_ids = geo.place_id.astype(str).astype(object)
        # By admin1 id: a place's division may lie in a country that has no places of its own.
        top = max(geo.admin1_id.max(initial=0), geo.place_admin1.max(initial=0))
        self.admin1_ids = np.arange(top + 1).astype(str).astype(object)
        self.admin1_names = np.full(len(self.admin1_ids), "", dtype=object)
        self.admin1_names[geo.admin1_id] = geo.admin1_name
        stamp = dialect.timestamp(now)
        # The columns that are the same on every row, as one field group (one tab-joined string for COPY).
        self.incident_tail = self._tail([null, dialect.false, dialect.true, stamp, stamp])
        self.article_tail = self._tail(
            [
                null,
                str(source_id),
                null,
                null,
                "en",
                "extracted",
                "",
                null,
                SYNTHETIC_VERSION,
                "1",
                dialect.true,
                stamp,
                stamp,
            ]
        )
        self.claim_tail = self._tail([SYNTHETIC_VERSION, "0.5", stamp])

    def _tail(self, values: list) -> list:
        return ["\t".join(values)] if self.dialect.escape else values

    def text(self, values: np.ndarray) -> list:
        """Free text from the gazetteer, escaped for COPY where it must be."""
        out = values.tolist()
        return list(map(_copy_escape, out)) if self.escape else out

    def nullable(self, values: np.ndarray, table: np.ndarray | None = None) -> list:
        """Numbers with -1 for NULL."""
        table = self.numbers if table is None else table
        return np.where(values >= 0, table[np.maximum(values, 0)], self.dialect.null).tolist()


def _ids(first: int, n: int) -> list[str]:
    return list(map(str, range(first, first + n)))


def rows_make(
    *, t: Tables, d: Draws, incident_id: int, article_id: int, claim_id: int
) -> tuple[list[list], list[list], list[list]]:
    """(incident, article, claim) columns for one batch, ids from the given firsts, in *_COLUMNS order."""
    geo, null = t.geo, t.dialect.null
    n, m = len(d.day), len(d.of)
    end = d.day + d.span
    start_s, end_s = t.dates[d.day], t.dates[end]
    has_place = d.place >= 0
    place = np.maximum(d.place, 0)
    place_name = np.where(has_place, geo.place_name[place], "")
    admin1_name = np.where(d.admin1 >= 0, t.admin1_names[np.maximum(d.admin1, 0)], "")
    where = np.where(has_place, place_name, np.where(d.location == 1, admin1_name, t.country_names[d.country]))
    precision = t.precisions[(d.span > 0).astype(np.int64)]
    events, victims, actors = t.events[d.event], t.victims[d.victims], t.actors[d.actor]
    injured, children, women = t.nullable(d.injured), t.nullable(d.children), t.nullable(d.women)
    incident_ids = np.arange(incident_id, incident_id + n)

    incidents = [
        _ids(incident_id, n),
        start_s.tolist(),
        end_s.tolist(),
        precision.tolist(),
        t.numbers[d.killed].tolist(),
        t.numbers[d.killed_max].tolist(),
        injured,
        injured,
        children,
        women,
        victims.tolist(),
        actors.tolist(),
        events.tolist(),
        t.countries[d.country].tolist(),
        t.nullable(d.admin1, t.admin1_ids),
        np.where(has_place, t.place_ids[place], null).tolist(),
        t.text(place_name),
        np.where(has_place, geo.place_lat[place], null).tolist(),
        np.where(has_place, geo.place_lon[place], null).tolist(),
        t.locations[d.location].tolist(),
        t.bools[d.aggregate.astype(np.int64)].tolist(),
        t.statuses[d.status].tolist(),
        *([value] * n for value in t.incident_tail),
    ]

    # Claims and their articles: one article per claim, published the day after the incident ended.
    of = d.of
    of_list = of.tolist()
    tolls = t.numbers[d.claim_toll].tolist()
    wheres = where[of].tolist()
    starts = start_s[of].tolist()
    templates = np.where(d.aggregate[of], _AGGREGATE_EVIDENCE, t.evidence[d.event[of]]).tolist()
    evidence = list(map(str.format, templates, wheres, starts, tolls))
    article_ids = _ids(article_id, m)
    published = t.dates[end[of] + 1]
    leads = list(map("{} ({}): synthetic report {}. ".format, wheres, published.tolist(), article_ids))
    trailer = f" Generated for load tests, seed {t.seed}, incident "
    texts = [
        lead + ev + trailer + str(i) + "."
        for lead, ev, i in zip(leads, evidence, incident_ids[of].tolist(), strict=True)
    ]
    ev_start = np.fromiter(map(len, leads), dtype=np.int64, count=m)
    ev_end = ev_start + np.fromiter(map(len, evidence), dtype=np.int64, count=m)
    hashes = [hashlib.sha256(text.encode()).hexdigest() for text in texts]
    titles = list(map("Synthetic: {} killed in {}".format, tolls, wheres))
    if t.escape:
        titles, texts, evidence = (list(map(_copy_escape, column)) for column in (titles, texts, evidence))
    articles = [
        article_ids,
        titles,
        (published + t.hours[d.published_hour]).tolist(),
        texts,
        hashes,
        *([value] * m for value in t.article_tail),
    ]
    claims = [
        _ids(claim_id, m),
        np.asarray(incidents[0], dtype=object)[of].tolist(),
        article_ids,
        starts,
        end_s[of].tolist(),
        precision[of].tolist(),
        tolls,
        tolls,
        *([column[i] for i in of_list] for column in (injured, injured, children, women)),
        victims[of].tolist(),
        actors[of].tolist(),
        events[of].tolist(),
        [incidents[16][i] for i in of_list],
        evidence,
        t.numbers[ev_start].tolist(),
        t.numbers[ev_end].tolist(),
        t.bools[(d.claim_number == 0).astype(np.int64)].tolist(),
        *([value] * m for value in t.claim_tail),
    ]
    return incidents, articles, claims
