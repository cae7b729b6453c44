"""Limits on full exports (the dashboard's /export/incidents.* and the API's CSV), which read every incident.

An export streams for seconds and holds a web worker all that time, so each client
gets EXPORT_THROTTLE_RATE exports (a DRF throttle, counted in the default cache like
the API's) and at most EXPORT_CONCURRENCY_PER_CLIENT running at once; over either,
429 with Retry-After. The rows are read under the API's statement timeout.
"""

import contextlib
import math
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import UserRateThrottle

from casualties.database import statement_timeout

# A slot not released (a worker killed mid-stream) frees itself after this long.
SLOT_EXPIRY_SECONDS = 600
RETRY_AFTER_SECONDS = 10


class ExportRateThrottle(UserRateThrottle):
    """Per signed-in user, or per client address for everyone else."""

    scope = "export"


class ExportSlot:
    """One running export of one client, counted in the cache; `acquire` is False when over the cap."""

    def __init__(self, ident: str) -> None:
        self.key = f"export-running:{ident}"
        self.held = False

    def acquire(self) -> bool:
        cache.add(self.key, 0, SLOT_EXPIRY_SECONDS)
        try:
            running = cache.incr(self.key)
        except ValueError:  # expired between add and incr
            cache.set(self.key, 1, SLOT_EXPIRY_SECONDS)
            running = 1
        if running > settings.EXPORT_CONCURRENCY_PER_CLIENT:
            self._decrement()
            return False
        self.held = True
        return True

    def release(self) -> None:
        if self.held:
            self.held = False
            self._decrement()

    def _decrement(self) -> None:
        with contextlib.suppress(ValueError):  # already expired
            cache.decr(self.key)


def export_admit(request) -> tuple[ExportSlot | None, int]:
    """(a held slot, 0) for this request's client, or (None, seconds to wait) when it is over its
    export rate or already runs EXPORT_CONCURRENCY_PER_CLIENT exports. The caller releases the slot
    (ExportStream does it when the response closes)."""
    throttle = ExportRateThrottle()
    if not throttle.allow_request(request, None):
        return None, math.ceil(throttle.wait() or 1)
    ident = f"user-{request.user.pk}" if request.user.is_authenticated else throttle.get_ident(request)
    slot = ExportSlot(ident)
    return (slot, 0) if slot.acquire() else (None, RETRY_AFTER_SECONDS)


class ExportStream:
    """The export's body: read under the statement timeout, and the slot freed when the response closes.

    Django calls close() when the response is done with, even when the client went away
    before the first chunk, which a generator's `finally` would miss.
    """

    def __init__(self, chunks: Iterable, slot: ExportSlot) -> None:
        self.chunks = chunks
        self.slot = slot

    def __iter__(self) -> Iterator:
        with statement_timeout():
            yield from self.chunks

    def close(self) -> None:
        self.slot.release()
