"""Redis wiped (FLUSHALL) during an ingest of 200 articles.

    .venv/bin/python bench/faults/redis_flushall.py [--articles 200]

Own PostgreSQL (port 5441) and Redis (port 6391), started and removed by the run.
While the worker is extracting, FLUSHALL deletes the queue and the unacknowledged
messages the worker holds; the connection stays up. The sweep (beat's job)
re-queues from PostgreSQL what is still pending.

Checks: every article reaches one final state; each article's claims equal those
of a reference run of the same articles in-process; the same incidents; no claim
twice. Prints one JSON object; exits 1 when anything was lost or doubled.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import IngestRun, binaries_missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    arguments = parser.parse_args()
    if missing := binaries_missing():
        parser.error(missing)

    def fault(run: IngestRun) -> dict:
        """FLUSHALL on the broker mid-ingest: queued and unacknowledged messages deleted."""
        queued = run.redis.command("LLEN", "celery")
        unacked = run.redis.command("HLEN", "unacked")
        run.redis.command("FLUSHALL")
        return {
            "messages_queued_when_wiped": int(queued or 0),
            "messages_unacked_when_wiped": int(unacked or 0),
            "worker_alive_after_wipe": run.worker_alive(),
        }

    return IngestRun(name="redis wiped (FLUSHALL)", count=arguments.articles)(fault)


if __name__ == "__main__":
    sys.exit(main())
