"""What every fault script shares: throw-away PostgreSQL and Redis, workers, articles, the checks.

The fault scripts kill and wipe servers, so they never touch the shared ones
(PostgreSQL on 5432, Redis on 6379): each run starts its own PostgreSQL cluster
(initdb in a temporary folder, run as user postgres) and its own Redis, both on
loopback, and removes them afterwards, also when the run fails.

The driver here is plain Python (psycopg for the checks, subprocesses for Django):
everything the app does runs in real processes (`manage.py ingest`, `celery worker`,
`celery call` for the sweep, gunicorn), so a fault hits them as it would in production.

The yardstick for "nothing lost, nothing doubled" is a reference run: the same
articles ingested in-process (no broker, no fault) into a second database of the
same cluster. After the fault run every article must be in a final state, each
article's claims must equal the reference's claims for the same text, and the
incidents must be the same set.
"""

# ruff: noqa: S603, S607 - it starts our own commands (manage.py, celery, gunicorn, redis-server, pg_ctl) with fixed arguments

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
PG_BIN = Path("/usr/lib/postgresql")
# The seeds' countries: places are loaded for these only, which keeps set-up short.
COUNTRIES = ("SY", "IQ", "AF", "LB", "NG", "SO", "UA", "YE")
FINAL = ("extracted", "failed", "duplicate")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def pg_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None when there is none."""
    versions = sorted((p for p in PG_BIN.glob("*/bin") if (p / "initdb").exists()), key=lambda p: int(p.parent.name))
    return versions[-1] if versions else None


def binaries_missing() -> str:
    """Why the fault runs cannot start here, or '' when they can."""
    if pg_bindir() is None:
        return "no PostgreSQL server binaries under /usr/lib/postgresql"
    if shutil.which("redis-server") is None:
        return "no redis-server on PATH"
    if shutil.which("runuser") is None or os.geteuid() != 0:
        return "initdb must run as user postgres: needs root and runuser"
    return ""


class OwnRedis:
    """A Redis of our own: no persistence, so killing or wiping it loses every queued message."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.pidfile = folder / f"redis-{port}.pid"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.folder),
                "--pidfile",
                str(self.pidfile),
                "--logfile",
                str(self.folder / f"redis-{self.port}.log"),
            ],
            check=True,
        )
        self._wait(up=True)

    def pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def kill(self) -> None:
        """SIGKILL: no goodbye to clients, nothing saved."""
        pid = self.pid()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self.pidfile.unlink(missing_ok=True)
        self._wait(up=False)

    def command(self, *args: str) -> str:
        done = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args], capture_output=True, text=True, timeout=10
        )
        return done.stdout.strip()

    def _wait(self, *, up: bool) -> None:
        deadline = time.monotonic() + 20
        while (self.command("PING") == "PONG") != up:
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis on {self.port} did not come {'up' if up else 'down'}")
            time.sleep(0.1)


class OwnPostgres:
    """A PostgreSQL cluster of our own in a temporary folder, owned by user postgres."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder / "pg", port
        self.bindir = pg_bindir()

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _as_postgres(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], check=check, capture_output=True, text=True, timeout=120
        )

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=on"
        return self._as_postgres(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.folder),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            *args,
            check=check,
        )

    def start(self) -> None:
        self.folder.mkdir()
        shutil.chown(self.folder, "postgres", "postgres")
        shutil.chown(self.folder.parent, "postgres", "postgres")
        self._as_postgres(str(self.bindir / "initdb"), "-D", str(self.folder), "-A", "trust", "-U", "postgres")
        self._pg_ctl("start")

    def restart(self, mode: str) -> None:
        """`fast` ends sessions cleanly; `immediate` is a crash (no checkpoint, WAL recovery on start)."""
        self._pg_ctl("-m", mode, "restart")

    def stop(self, mode: str = "immediate") -> None:
        self._pg_ctl("-m", mode, "stop", check=False)

    def down_for(self, seconds: float, mode: str = "immediate") -> None:
        """Stop, stay down `seconds`, start again: clients see refused connections meanwhile."""
        self._pg_ctl("-m", mode, "stop")
        time.sleep(seconds)
        self._pg_ctl("start")

    def execute(self, sql: str, database: str = "postgres") -> None:
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(sql)


@contextlib.contextmanager
def services(*, redis_port: int = 6391, pg_port: int = 5441) -> Iterator[tuple[OwnPostgres, OwnRedis]]:
    """Own PostgreSQL and Redis for one run; stopped and removed afterwards, whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="casualty-faults-"))
    postgres, redis = OwnPostgres(folder, pg_port), OwnRedis(folder, redis_port)
    try:
        postgres.start()
        redis.start()
        yield postgres, redis
    finally:
        redis.kill()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def django_env(database_url: str, broker_url: str = "", **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("CELERY_BROKER_URL", None)
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=timeout
    )


def prepare_databases(postgres: OwnPostgres, *names: str) -> None:
    """A migrated database with the gazetteer, copied (CREATE DATABASE ... TEMPLATE) for each name."""
    postgres.execute('CREATE DATABASE "template_faults"')
    env = django_env(postgres.url("template_faults"))
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_gazetteer", "-v0", *[arg for country in COUNTRIES for arg in ("--country", country)])
    for name in names:
        postgres.execute(f'CREATE DATABASE "{name}" TEMPLATE "template_faults"')


def write_articles(folder: Path, count: int) -> Path:
    """`count` distinct .txt articles from the demo seeds, tolls varied so each copy is new text.

    Copies of one seed report the same event with other tolls, so most of them join
    an existing incident: filing across articles is exercised, not only inserts.
    """
    from reports.extraction.readers import read_articles

    seeds = [r for path in sorted((ROOT / "seeds" / "articles").glob("*.txt")) for r in read_articles(path)]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        seed = seeds[i % len(seeds)]
        bump = i // len(seeds)
        text = re.sub(r"\b(\d{2,3})\b(?! (?:km|miles|per))", lambda m, b=bump: str(int(m.group(1)) + b), seed["text"])
        header = f"Title: {seed.get('title') or 'Report'} ({i})\nPublished: {seed['published']}\n"
        header += f"Source: {seed.get('source') or 'Fault desk'}\n\n"
        (folder / f"article_{i:04}.txt").write_text(header + text + f"\n\n(Fault copy {i}.)\n")
    return folder


def start_worker(env: dict[str, str], *, concurrency: int = 2, prefetch: int | None = None) -> subprocess.Popen:
    command = [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel",
        "WARNING",
        "--concurrency",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if prefetch:
        command += ["--prefetch-multiplier", str(prefetch)]
    # Kept after the run (the temporary folders are not), for reading when a run fails.
    log_file = open(Path(tempfile.gettempdir()) / f"casualty-faults-worker-{os.getpid()}.log", "ab")  # noqa: SIM115
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file, start_new_session=True)


def stop_process(process: subprocess.Popen | None, *, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Signal the process group (the worker and its children); SIGKILL if it does not go."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def sweep(env: dict[str, str]) -> None:
    """Send the beat sweep task through the broker, exactly as beat does (`celery call` by name)."""
    subprocess.run(
        [PYTHON, "-m", "celery", "-A", "config", "call", "reports.tasks.articles_sweep_pending"],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        timeout=60,
    )


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, connect_timeout=5) as connection:
        return connection.execute(sql, params).fetchall()


def statuses(url: str) -> Counter:
    try:
        return Counter(dict(query(url, "SELECT status, count(*) FROM reports_article GROUP BY status")))
    except psycopg.OperationalError:
        return Counter()


def wait_until(url: str, predicate, *, timeout: float, what: str) -> float:
    """Poll the article counts until `predicate(counts)`; seconds waited. Database outages are waited out."""
    started = time.monotonic()
    while not predicate(statuses(url)):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what}: not reached in {timeout:.0f} s; articles {dict(statuses(url))}")
        time.sleep(0.2)
    return time.monotonic() - started


def wait_all_final(url: str, env: dict[str, str], *, expected: int, timeout: float, sweep_every: float) -> dict:
    """Wait until `expected` articles exist and none is pending, sending the sweep every `sweep_every` s.

    The sweep stands in for beat (every 2 minutes in production, re-queueing articles
    pending for 10): the worker runs with ARTICLE_PENDING_SWEEP_MINUTES=0, so each
    sweep re-queues every article still pending; the steps are idempotent.
    """
    started, sweeps, last = time.monotonic(), 0, 0.0
    while True:
        counts = statuses(url)
        if sum(counts.values()) >= expected and counts.get("pending", 0) == 0:
            return {"seconds_to_finish": round(time.monotonic() - started, 1), "sweeps_sent": sweeps}
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"work not finished in {timeout:.0f} s: {dict(counts)}")
        if time.monotonic() - last > sweep_every:
            sweep(env)
            sweeps, last = sweeps + 1, time.monotonic()
        time.sleep(0.5)


ARTICLE_CLAIMS = """
    SELECT a.text_sha256, a.status,
           coalesce(array_agg(concat_ws('|', c.killed_min, c.killed_max, c.injured_min, c.injured_max,
                                        c.evidence_start, c.evidence_end) ORDER BY c.evidence_start, c.id)
                    FILTER (WHERE c.id IS NOT NULL), '{}')
    FROM reports_article a LEFT JOIN casualties_claim c ON c.article_id = a.id
    GROUP BY a.id
"""
INCIDENTS = """
    SELECT concat_ws('|', country, admin1_id, place_id, date_start, date_end, event_type, aggregate,
                     killed_min, killed_max, injured_min, injured_max, review_status)
    FROM casualties_incident
"""


def compare_with_reference(url: str, reference_url: str) -> dict:
    """Checks of the fault run's database against the reference run's: each a bool and the evidence."""
    got = {sha: (status, tuple(claims)) for sha, status, claims in query(url, ARTICLE_CLAIMS)}
    want = {sha: (status, tuple(claims)) for sha, status, claims in query(reference_url, ARTICLE_CLAIMS)}
    duplicate_claims = query(
        url,
        "SELECT count(*) FROM (SELECT article_id, incident_id FROM casualties_claim "
        "GROUP BY 1, 2 HAVING count(*) > 1) d",
    )[0][0]
    got_incidents, want_incidents = (
        Counter(r[0] for r in query(url, INCIDENTS)),
        Counter(r[0] for r in query(reference_url, INCIDENTS)),
    )
    empty_incidents = query(
        url,
        "SELECT count(*) FROM casualties_incident i WHERE i.merged_into_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM casualties_claim c WHERE c.incident_id = i.id)",
    )[0][0]
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    claims_differ = [sha for sha in set(want) & set(got) if got[sha] != want[sha]]
    return {
        "articles": len(got),
        "reference_articles": len(want),
        "statuses": dict(Counter(status for status, _ in got.values())),
        "reference_statuses": dict(Counter(status for status, _ in want.values())),
        "articles_missing": len(missing),
        "articles_extra": len(extra),
        "pending_left": sum(1 for status, _ in got.values() if status not in FINAL),
        "articles_whose_claims_differ": len(claims_differ),
        "claims": sum(len(claims) for _, claims in got.values()),
        "reference_claims": sum(len(claims) for _, claims in want.values()),
        "duplicate_article_incident_claims": duplicate_claims,
        "incidents": sum(got_incidents.values()),
        "reference_incidents": sum(want_incidents.values()),
        "incidents_not_in_reference": sum((got_incidents - want_incidents).values()),
        "reference_incidents_missing": sum((want_incidents - got_incidents).values()),
        "incidents_without_claims": empty_incidents,
    }


def lost_or_doubled(checks: dict) -> list[str]:
    """The names of the checks that show lost or doubled data."""
    bad = [
        name
        for name in (
            "articles_missing",
            "articles_extra",
            "pending_left",
            "articles_whose_claims_differ",
            "duplicate_article_incident_claims",
            "incidents_not_in_reference",
            "reference_incidents_missing",
            "incidents_without_claims",
        )
        if checks.get(name)
    ]
    if checks.get("claims") != checks.get("reference_claims"):
        bad.append("claims")
    return bad


def finish(name: str, checks: dict, problems: list[str]) -> int:
    """Print the run's one JSON object; the exit status is 1 when anything was lost or doubled."""
    print(json.dumps({"fault": name, "ok": not problems, "problems": problems, **checks}, indent=1, default=str))
    return 0 if not problems else 1


def _sha(path: Path) -> str:
    """The text hash the app stores for a .txt article file (its text after the header lines)."""
    import hashlib

    from reports.extraction.readers import read_articles

    (record,) = read_articles(path)
    return hashlib.sha256(record["text"].encode("utf-8")).hexdigest()


FILING_ORDER = """
    SELECT a.text_sha256, min(c.id) FROM reports_article a JOIN casualties_claim c ON c.article_id = a.id
    GROUP BY a.id
"""


def reference_run(postgres: OwnPostgres, url: str, folders: list[Path], work: Path) -> str:
    """The same articles ingested in-process, no broker, no fault, in the order the run filed them: the yardstick.

    Which incident a report joins can depend on the order reports are filed in (two
    candidates in one region and day, the nearest toll wins), and two worker processes
    file chunks in either order. Claims are numbered as they are inserted, after the
    region locks are taken, so the run's order is read from its claim ids: each article
    at its first claim, articles without claims last. The reference files them in that
    order (filing a chunk gives what filing its articles one by one gives).
    """
    first_claim = dict(query(url, FILING_ORDER))
    files = [path for folder in folders for path in sorted(folder.glob("*.txt"))]
    never = max(first_claim.values(), default=0) + 1
    ordered = work / "reference"
    ordered.mkdir()
    for rank, path in enumerate(sorted(files, key=lambda p: first_claim.get(_sha(p), never))):
        shutil.copy(path, ordered / f"{rank:05}_{path.name}")
    reference = postgres.url("faults_reference")
    manage(django_env(reference), "ingest", str(ordered), "-v0")
    return reference


class IngestRun:
    """One fault run over an ingest: own services, the reference, a worker, then the fault and the checks.

    `fault(run)` is called once the worker has extracted `fault_after` of the articles;
    it returns what it observed (a dict merged into the printed result) and may replace
    `run.worker`. Then the run waits, sending the sweep as beat would, until every
    article is final, and compares with the reference.
    """

    def __init__(self, *, name: str, count: int, fault_after: float = 0.25, concurrency: int = 2, prefetch: int = 0):
        self.name, self.count, self.fault_after = name, count, fault_after
        self.concurrency, self.prefetch = concurrency, prefetch
        self.worker: subprocess.Popen | None = None
        self.extra_folders: list[Path] = []

    def start_worker(self) -> subprocess.Popen:
        self.worker = start_worker(self.env, concurrency=self.concurrency, prefetch=self.prefetch or None)
        return self.worker

    def worker_alive(self) -> bool:
        return self.worker is not None and self.worker.poll() is None

    def submit(self, folder: Path, timeout: float = 300) -> subprocess.CompletedProcess:
        """`manage.py ingest FOLDER --wait 0`: store the articles and queue them on the broker."""
        return subprocess.run(
            [PYTHON, "manage.py", "ingest", str(folder), "--wait", "0", "-v0"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def extracted(self) -> int:
        return statuses(self.url).get("extracted", 0)

    def __call__(self, fault, *, finish_timeout: float = 600, sweep_every: float = 10) -> int:
        checks: dict = {"articles_submitted": self.count}
        with services() as (postgres, redis):
            self.postgres, self.redis = postgres, redis
            work = Path(tempfile.mkdtemp(prefix="casualty-faults-articles-"))
            try:
                log("preparing databases (migrate, gazetteer)")
                prepare_databases(postgres, "faults_run", "faults_reference")
                folder = write_articles(work / "main", self.count)
                self.url = postgres.url("faults_run")
                # ARTICLE_PENDING_SWEEP_MINUTES=0: each sweep re-queues every pending article (see wait_all_final).
                # Chunks of 10, not the default 100: many tasks in flight when the fault comes.
                self.env = django_env(self.url, redis.url, ARTICLE_PENDING_SWEEP_MINUTES="0", INGEST_BATCH_SIZE="10")
                self.work = work
                self.start_worker()
                log(f"submitting {self.count} articles")
                submitted = self.submit(folder)
                if submitted.returncode != 0:
                    raise RuntimeError(f"ingest failed before the fault: {submitted.stderr[-2000:]}")
                wait_until(
                    self.url,
                    lambda c: c.get("extracted", 0) >= self.count * self.fault_after,
                    timeout=300,
                    what="work under way",
                )
                checks["extracted_when_fault_began"] = self.extracted()
                log(f"fault: {fault.__doc__.strip().splitlines()[0] if fault.__doc__ else fault.__name__}")
                checks.update(fault(self) or {})
                checks["extracted_right_after_fault"] = self.extracted()
                if not self.worker_alive():
                    checks["worker_restarted_by_script"] = True
                    self.start_worker()
                # Every article the database accepted must end final; one refused at submission was never accepted.
                expected = sum(statuses(self.url).values())
                try:
                    checks.update(
                        wait_all_final(
                            self.url, self.env, expected=expected, timeout=finish_timeout, sweep_every=sweep_every
                        )
                    )
                except TimeoutError as error:
                    checks["not_finished"] = str(error)
                stop_process(self.worker)
                folders = [folder]
                if self.extra_folders:
                    # Of the articles submitted during the fault, those the run's database accepted.
                    accepted = work / "accepted_extra"
                    accepted.mkdir()
                    for extra in self.extra_folders:
                        for path in extra.glob("*.txt"):
                            if query(self.url, "SELECT 1 FROM reports_article WHERE text_sha256 = %s", (_sha(path),)):
                                shutil.copy(path, accepted / path.name)
                    checks["extra_articles_accepted"] = len(list(accepted.glob("*.txt")))
                    folders.append(accepted)
                log("reference run: the same articles in-process, no fault, in the run's filing order")
                reference = reference_run(postgres, self.url, folders, work)
                checks.update(compare_with_reference(self.url, reference))
                if "not_finished" in checks:
                    checks["pending_left"] = checks.get("pending_left") or 1
            finally:
                stop_process(self.worker)
                shutil.rmtree(work, ignore_errors=True)
        return finish(self.name, checks, lost_or_doubled(checks))
