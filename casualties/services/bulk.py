"""Set-based writes for filing many articles at once: figures from claims, and history rows.

Profiled on the ingestion benchmark (docs/ingestion.md, "Throughput"), the
ORM's way of doing these two things cost more CPU than extracting the
articles: django-simple-history builds a Python object per history row
(`bulk_history_create`), and an UPDATE of many rows to different values
(`bulk_update`, or one Subquery per figure) compiles a large expression tree.
Both are one plain statement in SQL. The SQL is built once from the models'
own metadata, so a field added to Incident or Claim is carried along; a
history column this module does not know stops it loudly.
"""

import datetime
from collections.abc import Sequence
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model

from casualties.models import FIGURE_RULE, Claim, Incident

_HISTORY_OWN = ("history_date", "history_change_reason", "history_type", "history_user_id")
# Stays under SQLite's and PostgreSQL's limits on parameters in one statement.
_CHUNK = 5000


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


@cache
def _history_sql(model: type[Model]) -> str:
    history = model.history.model  # type: ignore[attr-defined]
    base = {field.attname: field.column for field in model._meta.concrete_fields}
    columns, values = [], []
    for field in history._meta.concrete_fields:
        if field.attname == "history_id":
            continue  # the history table's own key
        if field.attname in base:
            columns.append(_quote(field.column))
            values.append(_quote(base[field.attname]))
        elif field.attname in _HISTORY_OWN:
            columns.append(_quote(field.column))
            values.append("%s")
        else:
            raise ImproperlyConfigured(f"{history.__name__}.{field.attname}: a history column filing cannot fill")
    order = [field.attname for field in history._meta.concrete_fields if field.attname in _HISTORY_OWN]
    if order != list(_HISTORY_OWN):
        raise ImproperlyConfigured(f"{history.__name__}: history columns {order}, expected {list(_HISTORY_OWN)}")
    table, history_table = _quote(model._meta.db_table), _quote(history._meta.db_table)
    pk = _quote(model._meta.pk.column)
    # Names come from the models, never from input.
    return (
        f"INSERT INTO {history_table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {table} WHERE {pk} IN ({{ids}}) ORDER BY {pk}"
    )


def history_rows_insert(*, model: type[Model], ids: Sequence[int], history_type: str, when: datetime.datetime) -> None:
    """Write one history row per row of `model` with these ids, as the rows are now in the database:
    what django-simple-history writes on a save ('+' created, '~' changed), without a user or reason."""
    if not ids:
        return
    sql = _history_sql(model)
    stamp = connection.ops.adapt_datetimefield_value(when)
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(ids)):
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(chunk))), [stamp, None, history_type, None, *chunk])


@cache
def _figures_sql() -> str:
    incident, claim = _quote(Incident._meta.db_table), _quote(Claim._meta.db_table)
    incident_id = _quote(Claim._meta.get_field("incident").column)
    sets = ", ".join(f"{_quote(name)} = figures.{_quote(name)}" for name in FIGURE_RULE)
    # FIGURE_RULE in SQL: MIN and MAX ignore NULLs as the rule does (tests/casualties/test_bulk.py holds
    # this equal to figures_over on random claims).
    aggregates = ", ".join(f"{rule.upper()}({_quote(name)}) AS {_quote(name)}" for name, rule in FIGURE_RULE.items())
    # Names come from the models, never from input.
    return (
        f"UPDATE {incident} SET {sets}, {_quote('updated_at')} = %s "  # noqa: S608
        f"FROM (SELECT {incident_id} AS incident_id, {aggregates} FROM {claim} "
        f"WHERE {incident_id} IN ({{ids}}) GROUP BY {incident_id}) AS figures "
        f"WHERE {incident}.{_quote('id')} = figures.incident_id AND {incident}.{_quote('figures_locked')} = %s"
    )


def incidents_refresh_figures(*, ids: Sequence[int], when: datetime.datetime) -> None:
    """incident_refresh_figures for many incidents in one statement: each one's tolls become the
    min/max over its claims and updated_at becomes `when`; incidents with locked figures or
    without claims are left as they are. Writes no history row (see history_rows_insert)."""
    if not ids:
        return
    stamp = connection.ops.adapt_datetimefield_value(when)
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(ids)):
            cursor.execute(_figures_sql().format(ids=", ".join(["%s"] * len(chunk))), [stamp, *chunk, False])
