"""Answers kept in Django's cache under the data version, so a repeated request costs one query.

casualties.models.DataVersion moves on in the transaction of every write to what the
dashboard reads (casualties.services.data_version), so a key holding the version is
never served after the data changed: the next request reads the new version and misses.
The version is read before anything else the answer reads, so an answer cached under
a version was computed from that version's data or newer, never older.

On PostgreSQL the version moves when the writing transaction commits, so inside a
transaction (an atomic block: a test's, or a view's that writes) the version may not yet
say what that transaction wrote: nothing is read from or kept in the cache there, and the
answer is computed afresh. Outside one (each query its own transaction) every answer kept
was computed from committed data.

A miss costs what the uncached request did plus one cache write. Entries expire after
CACHE_SECONDS whatever happens, so a database restored from a dump (whose version may
repeat one seen before) cannot be answered from the cache for long.
"""

import datetime
import hashlib
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.http import QueryDict

from casualties.models.versions import DATA_VERSION_ID, DataVersion
from casualties.selectors.review import review_threshold

CACHE_SECONDS = 600
T = TypeVar("T")


def data_version() -> int:
    """The current data version (0 before the first write after a flush). One query."""
    return DataVersion.objects.filter(pk=DATA_VERSION_ID).values_list("version", flat=True).first() or 0


def params_key(params: QueryDict) -> str:
    """A short key for a query string: the same parameters in any order give the same key."""
    # Keys sorted; a parameter's values keep their order (the filter chips show them in it).
    canonical = urlencode([(key, value) for key in sorted(params) for value in params.getlist(key)])
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def cached_for_data(*, name: str, params: QueryDict, compute: Callable[[], T]) -> T:
    """`compute()`'s answer for the query string `params`, from the cache when the data has not changed since.

    `name` tells the answers of different pages apart. Today's date (the filters accept dates up to a year
    ahead, and the date pickers say so) and the review threshold (a setting the "needs review" filter reads)
    are part of the key too. An answer of None is not kept. Inside a transaction, computed afresh and not kept.
    """
    if connection.in_atomic_block:
        return compute()
    today = datetime.date.today().isoformat()
    key = f"casualties:{name}:{data_version()}:{today}:{review_threshold()}:{params_key(params)}"
    answer = cache.get(key)
    if answer is None:
        answer = compute()
        if answer is not None:
            cache.set(key, answer, CACHE_SECONDS)
    return answer
