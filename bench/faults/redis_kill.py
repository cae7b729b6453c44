"""Redis killed (SIGKILL) and restarted, empty, during an ingest of 200 articles.

    .venv/bin/python bench/faults/redis_kill.py [--articles 200] [--outage 5]

Own PostgreSQL (port 5441) and Redis (port 6391), started and removed by the run.
While the worker is extracting, Redis is killed; it has no persistence, so every
queued message is gone when it comes back. During the outage a second `ingest`
submits a few more articles (their queue messages cannot be sent). Once Redis is
back the sweep (beat's job) re-queues what PostgreSQL still holds as pending.

Checks: the worker survives the outage and reconnects by itself; every article
reaches one final state; each article's claims equal those of a reference run of
the same articles in-process; the same incidents; no claim twice. Prints one JSON
object; exits 1 when anything was lost or doubled.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import IngestRun, binaries_missing, write_articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--outage", type=float, default=5.0, help="seconds Redis stays down")
    arguments = parser.parse_args()
    if missing := binaries_missing():
        parser.error(missing)

    def fault(run: IngestRun) -> dict:
        """Redis SIGKILLed mid-ingest, a submission while it is down, then Redis restarted empty."""
        run.redis.kill()
        killed_at = time.monotonic()
        late = write_articles(run.work / "during_outage", 5)
        # Other text than the main folder: new articles, not duplicates of it.
        for path in late.glob("*.txt"):
            path.write_text(path.read_text().replace("(Fault copy", "(Submitted during the outage, copy"))
        run.extra_folders.append(late)
        during = run.submit(late, timeout=120)
        time.sleep(max(0.0, arguments.outage - (time.monotonic() - killed_at)))
        worker_alive_during_outage = run.worker_alive()
        run.redis.start()
        return {
            "redis_down_s": round(time.monotonic() - killed_at, 1),
            "ingest_during_outage_exit_status": during.returncode,
            "ingest_during_outage_stderr_tail": during.stderr.strip().splitlines()[-3:],
            "worker_alive_during_outage": worker_alive_during_outage,
        }

    return IngestRun(name="redis killed and restarted", count=arguments.articles)(fault)


if __name__ == "__main__":
    sys.exit(main())
