"""Synthetic incidents for load tests: realistic in shape, clearly marked, deleted in one go.

`incidents_generate` draws whole batches of incidents with NumPy
(`shape.py`), turns them into text columns (`rows.py`) and writes each table's
batch with one COPY on PostgreSQL (`writing.py`), so the statement-level
triggers on the incident table fire once per 50,000 incidents. The data is the
same for a seed on every database. Everything happens in one transaction;
no history rows are written for data that never existed.
"""

from collections.abc import Callable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from casualties.models import Claim, Incident
from casualties.synthetic.rows import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    INCIDENT_COLUMNS,
    POSTGRESQL,
    SQLITE,
    SYNTHETIC_VERSION,
    Tables,
    rows_make,
)
from casualties.synthetic.shape import BATCH, bursts_draw, draws_make, geography_load
from casualties.synthetic.writing import indexes_deferred, rows_write
from reports.models import Article, Source

__all__ = ["SYNTHETIC_SOURCE", "SYNTHETIC_VERSION", "incidents_delete_synthetic", "incidents_generate"]

SYNTHETIC_SOURCE = "Synthetic data (generate_incidents)"
# Below this many incidents, or when adding less than a quarter of what the table holds, keeping the
# indexes current row by row is cheaper than building them again over the whole table.
REBUILD_MIN_COUNT = 20_000
REBUILD_MIN_SHARE = 0.25

_MODELS = (Incident, Article, Claim)


def _next_ids() -> tuple[int, int, int]:
    ids = []
    for model in _MODELS:
        newest = model.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ids.append(newest + 1)
    return ids[0], ids[1], ids[2]


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    with connection.cursor() as cursor:
        for model in _MODELS:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))",  # noqa: S608
                [table],
            )


def _lock_tables(*, exclusive: bool) -> None:
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _MODELS)
    # Explicit ids: nobody else may take one from the sequences until they are moved past ours.
    mode = "ACCESS EXCLUSIVE" if exclusive else "EXCLUSIVE"
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN {mode} MODE")


@transaction.atomic
def incidents_generate(
    *,
    count: int,
    seed: int = 1,
    rebuild_indexes: bool | None = None,
    progress: Callable[[int], None] | None = None,
    on_rebuild: Callable[[], None] | None = None,
) -> int:
    """Insert `count` synthetic incidents with their claims and articles, in one transaction.

    `rebuild_indexes`: drop the indexes and foreign keys of the three tables
    for the load and build them again at the end (PostgreSQL only; it locks
    the tables against readers until the commit). None chooses: only when
    adding at least REBUILD_MIN_COUNT incidents and a quarter of the table.
    Raises ValueError when the gazetteer is not loaded or `count` < 1. Returns `count`.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    geo = geography_load()
    incident_id, article_id, claim_id = _next_ids()
    if rebuild_indexes is None:
        rebuild_indexes = count >= REBUILD_MIN_COUNT and count >= REBUILD_MIN_SHARE * (incident_id - 1)
    rebuild_indexes = rebuild_indexes and connection.vendor == "postgresql"
    _lock_tables(exclusive=rebuild_indexes)
    incident_id, article_id, claim_id = _next_ids()  # again, now that nobody else can insert
    source, _ = Source.objects.get_or_create(name=SYNTHETIC_SOURCE, defaults={"kind": Source.Kind.OTHER})
    dialect = POSTGRESQL if connection.vendor == "postgresql" else SQLITE
    tables = Tables(geo=geo, dialect=dialect, seed=seed, source_id=source.pk, now=timezone.now())
    rng = np.random.default_rng(seed)
    bursts = bursts_draw(rng)
    names = [m._meta.db_table for m in _MODELS]
    with indexes_deferred(tables=names, enabled=rebuild_indexes, on_rebuild=on_rebuild):
        for done in range(0, count, BATCH):
            draws = draws_make(rng=rng, geo=geo, bursts=bursts, n=min(BATCH, count - done))
            incidents, articles, claims = rows_make(
                t=tables, d=draws, incident_id=incident_id, article_id=article_id, claim_id=claim_id
            )
            rows_write(table=names[0], columns=INCIDENT_COLUMNS, data=incidents)
            rows_write(table=names[1], columns=ARTICLE_COLUMNS, data=articles)
            rows_write(table=names[2], columns=CLAIM_COLUMNS, data=claims)
            incident_id += len(draws.day)
            article_id += len(draws.of)
            claim_id += len(draws.of)
            if progress:
                progress(len(draws.day))
    _reset_sequences()
    return count


@transaction.atomic
def incidents_delete_synthetic() -> tuple[int, int]:
    """Delete every synthetic incident, claim and article. Returns (incidents, articles) deleted.

    Plain DELETE statements, not Django's collector: millions of rows, and no
    history rows are wanted for data that never existed.
    """
    # An incident merged into a synthetic one (an analyst's test) becomes a plain incident again.
    Incident.objects.filter(merged_into__synthetic=True).update(merged_into=None, review_status="unverified")
    for claims in (Claim.objects.filter(article__synthetic=True), Claim.objects.filter(incident__synthetic=True)):
        claims._raw_delete(claims.db)
    incidents = Incident.objects.filter(synthetic=True)
    deleted_incidents = incidents._raw_delete(incidents.db)
    articles = Article.objects.filter(synthetic=True)
    deleted_articles = articles._raw_delete(articles.db)
    return deleted_incidents, deleted_articles
