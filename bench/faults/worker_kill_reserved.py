"""A whole worker killed (SIGKILL to the main process and its children) while it holds reserved tasks.

    .venv/bin/python bench/faults/worker_kill_reserved.py [--articles 200] [--prefetch 8]

Own PostgreSQL (port 5441) and Redis (port 6391), started and removed by the run.
The worker runs one process and prefetches `--prefetch` messages, so at the kill it
holds one task running and several reserved (delivered, not started). With late
acknowledgement they stay in Redis's `unacked` set, which Redis hands out again only
after the visibility timeout (an hour); a new worker and the sweep (beat's job)
finish the work from what PostgreSQL holds as pending.

Checks: at the kill the worker held more messages than it was running; every
article reaches one final state; each article's claims equal those of a reference
run in-process; the same incidents; no claim twice. Prints one JSON object; exits
1 when anything was lost or doubled.
"""

import argparse
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import IngestRun, binaries_missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--prefetch", type=int, default=8, help="messages the worker reserves per process")
    arguments = parser.parse_args()
    if missing := binaries_missing():
        parser.error(missing)

    def fault(run: IngestRun) -> dict:
        """The whole worker SIGKILLed while holding reserved tasks; a new worker started."""
        held = int(run.redis.command("HLEN", "unacked") or 0)
        os.killpg(run.worker.pid, signal.SIGKILL)
        run.worker.wait(timeout=10)
        queued = int(run.redis.command("LLEN", "celery") or 0)
        run.start_worker()
        return {
            "messages_held_by_worker_at_kill": held,
            "worker_processes": run.concurrency,
            "held_more_than_running": held > run.concurrency,
            "messages_still_queued_after_kill": queued,
        }

    run = IngestRun(
        name="worker killed holding reserved tasks",
        count=arguments.articles,
        concurrency=1,
        prefetch=arguments.prefetch,
    )
    return run(fault)


if __name__ == "__main__":
    sys.exit(main())
