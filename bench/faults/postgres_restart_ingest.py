"""PostgreSQL restarted during an ingest of 200 articles: a crash restart, then an outage of a few seconds.

    .venv/bin/python bench/faults/postgres_restart_ingest.py [--articles 200] [--outage 5]

Own PostgreSQL (port 5441) and Redis (port 6391), started and removed by the run.
While the worker is extracting, PostgreSQL is restarted with `pg_ctl -m immediate`
(no checkpoint: recovery from the WAL, as after a crash), then stopped again for
`--outage` seconds. Tasks that lose their connection retry with backoff; what is
still pending afterwards the sweep re-queues. A crash can also undo the last chunks
committed before it (they commit without waiting for the disk): their articles are
pending again, and the sweep queues them. The worker is never restarted.

Checks: the worker survives and reconnects by itself; every article reaches one
final state; each article's claims equal those of a reference run in-process;
the same incidents; no claim twice. Prints one JSON object; exits 1 when anything
was lost or doubled.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import IngestRun, binaries_missing, statuses, sweep, wait_until


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down the second time")
    arguments = parser.parse_args()
    if missing := binaries_missing():
        parser.error(missing)

    def fault(run: IngestRun) -> dict:
        """PostgreSQL crash-restarted mid-ingest, then down for a few seconds."""
        before_restart = run.extracted()
        run.postgres.restart("immediate")
        after_restart = statuses(run.url).get("extracted", 0)

        # Chunks commit without waiting for the disk (reports/services/extracting.py): a crash can undo the
        # last ones, whose tasks are already acknowledged. Their articles are pending again and only the
        # sweep queues them, as beat would after ARTICLE_PENDING_SWEEP_MINUTES.
        def moved(counts) -> bool:
            return counts.get("extracted", 0) > after_restart or not counts.get("pending")

        swept = False
        try:
            wait_until(run.url, moved, timeout=20, what="progress after the restart")
        except TimeoutError:
            sweep(run.env)
            swept = True
            wait_until(run.url, moved, timeout=120, what="progress after the restart and a sweep")
        started = time.monotonic()
        run.postgres.down_for(arguments.outage)
        return {
            "extracted_before_crash_restart": before_restart,
            "extracted_after_crash_restart": after_restart,
            "sweep_needed_after_crash_restart": swept,
            "second_outage_s": round(time.monotonic() - started, 1),
            "worker_alive_after_outages": run.worker_alive(),
        }

    return IngestRun(name="postgresql restarted during ingestion", count=arguments.articles, fault_after=0.2)(fault)


if __name__ == "__main__":
    sys.exit(main())
