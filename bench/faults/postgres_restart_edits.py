"""PostgreSQL restarted, and down for a few seconds, while analysts PATCH incidents through gunicorn.

    .venv/bin/python bench/faults/postgres_restart_edits.py [--outage 5] [--editors 4]

Own PostgreSQL cluster (port 5441), started and removed by the run; gunicorn (3 sync
workers, as docker-compose.yml runs it) on 127.0.0.1. Editors send PATCH
/api/v1/incidents/<id>/ with an analyst's token, each write setting `actor` to a value
never used before, one editor per set of incidents so the order of writes to an
incident is known; readers fetch the dashboard page and the API list meanwhile.
Then: `pg_ctl restart -m fast`, edits go on, `pg_ctl stop -m immediate` for
`--outage` seconds and start again, edits go on. gunicorn is never restarted.

Checks:
- every write answered 200 is in the database afterwards: in the incident's edit
  history, and the incident's current value is the last write answered 200 or a
  later one that got no success answer (a write can commit and still lose its answer);
- the app reconnects by itself: the last requests all succeed, from the same gunicorn
  master;
- every failed request got a 5xx whose body is JSON (API) or a short page (dashboard),
  never a traceback; no 4xx.
Prints one JSON object; exits 1 when a write was lost or the app did not recover.
"""

# ruff: noqa: S603 - it starts our own commands (manage.py, gunicorn) with fixed arguments

import argparse
import collections
import json
import sys
import threading
import time
from pathlib import Path

import urllib3

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    ROOT,
    binaries_missing,
    django_env,
    finish,
    log,
    manage,
    prepare_databases,
    query,
    services,
    stop_process,
)

SETUP = """
from django.contrib.auth.models import Group, User
from casualties.services.tokens import api_token_issue
user = User.objects.create_user("fault-analyst", password="fault-run-password-1")
user.groups.add(Group.objects.get(name="analysts"))
print(api_token_issue(user=user))
"""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down the second time")
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument("--incidents", type=int, default=400)
    arguments = parser.parse_args()
    if missing := binaries_missing():
        parser.error(missing)

    import subprocess

    checks: dict = {}
    problems: list[str] = []
    with services() as (postgres, _redis):
        log("preparing the database (migrate, gazetteer, synthetic incidents, an analyst)")
        prepare_databases(postgres, "faults_edits")
        url = postgres.url("faults_edits")
        env = django_env(url, API_ANON_THROTTLE_RATE="1000000/minute")
        manage(env, "generate_incidents", "--count", str(arguments.incidents), "-v0")
        token = manage(env, "shell", "-c", SETUP).stdout.strip().splitlines()[-1]
        ids = [row[0] for row in query(url, "SELECT id FROM casualties_incident ORDER BY id")]
        port = _free_port()
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        http = urllib3.PoolManager(maxsize=32, retries=False, timeout=urllib3.Timeout(connect=5, read=30))
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if http.request("GET", base + "/healthz").status == 200:
                        break
                except urllib3.exceptions.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not come up")
                time.sleep(0.3)

            writes: list[dict] = []  # every PATCH: incident, value, status, when
            reads: list[dict] = []
            failures: list[dict] = []  # every answer that was not a success: status, type, first bytes
            lock = threading.Lock()
            stop = threading.Event()
            counter = iter(range(10**9))

            def record_failure(kind: str, status: int, response) -> None:
                body = response.data[:300].decode("utf-8", "replace") if response is not None else ""
                with lock:
                    failures.append(
                        {
                            "at": time.monotonic(),
                            "kind": kind,
                            "status": status,
                            "content_type": response.headers.get("Content-Type", "") if response else "",
                            "body": body,
                        }
                    )

            def editor(mine: list[int]) -> None:
                while not stop.is_set():
                    for incident in mine:
                        if stop.is_set():
                            return
                        value = f"fault-edit-{next(counter)}"
                        started = time.monotonic()
                        status, response = 0, None
                        try:
                            response = http.request(
                                "PATCH",
                                f"{base}/api/v1/incidents/{incident}/",
                                body=json.dumps({"actor": value, "reason": "fault run"}),
                                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
                            )
                            status = response.status
                        except urllib3.exceptions.HTTPError as error:
                            status = -1
                            with lock:
                                failures.append(
                                    {
                                        "at": time.monotonic(),
                                        "kind": "patch",
                                        "status": 0,
                                        "error": type(error).__name__,
                                    }
                                )
                        ok = status == 200 and response is not None and json.loads(response.data)["actor"] == value
                        if status not in (200, -1):
                            record_failure("patch", status, response)
                        with lock:
                            writes.append(
                                {"incident": incident, "value": value, "ok": ok, "status": status, "at": started}
                            )

            def reader() -> None:
                paths = ["/", "/api/v1/incidents/?page_size=20", f"/api/v1/incidents/{ids[0]}/"]
                n = 0
                while not stop.is_set():
                    path = paths[n % len(paths)]
                    n += 1
                    try:
                        response = http.request("GET", base + path)
                        if response.status != 200:
                            record_failure("get " + path.split("?")[0], response.status, response)
                        with lock:
                            reads.append({"path": path, "status": response.status, "at": time.monotonic()})
                    except urllib3.exceptions.HTTPError as error:
                        with lock:
                            reads.append({"path": path, "status": 0, "at": time.monotonic()})
                            failures.append(
                                {"at": time.monotonic(), "kind": "get", "status": 0, "error": type(error).__name__}
                            )
                    time.sleep(0.05)

            shares = [ids[i :: arguments.editors][:50] for i in range(arguments.editors)]
            threads = [threading.Thread(target=editor, args=(share,)) for share in shares]
            threads.append(threading.Thread(target=reader))
            master_before = gunicorn.pid
            for thread in threads:
                thread.start()
            time.sleep(5)
            log("fault: pg_ctl restart -m fast")
            restart_began = time.monotonic()
            postgres.restart("fast")
            restart_ended = time.monotonic()
            checks["restart_s"] = round(restart_ended - restart_began, 1)
            time.sleep(5)
            log(f"fault: pg_ctl stop -m immediate, {arguments.outage:g} s down, start")
            outage_began = time.monotonic()
            postgres.down_for(arguments.outage)
            outage_ended = time.monotonic()
            time.sleep(10)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            # After the faults, with nothing restarted: these must all succeed.
            after = []
            for path in ["/", "/api/v1/incidents/?page_size=20", "/healthz"]:
                after.append(http.request("GET", base + path).status)
            response = http.request(
                "PATCH",
                f"{base}/api/v1/incidents/{ids[-1]}/",
                body=json.dumps({"actor": "fault-edit-after", "reason": "fault run"}),
                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            after.append(response.status)
        finally:
            stop_process(gunicorn)

        # Every acknowledged write is in the history; each incident ends at its last acknowledged
        # value or at a later write whose answer was lost.
        history = collections.defaultdict(set)
        for incident, actor in query(url, "SELECT id, actor FROM casualties_historicalincident"):
            history[incident].add(actor)
        current = dict(query(url, "SELECT id, actor FROM casualties_incident"))
        acknowledged_missing = [w for w in writes if w["ok"] and w["value"] not in history[w["incident"]]]
        wrong_final = []
        for incident in {w["incident"] for w in writes}:
            ordered = sorted((w for w in writes if w["incident"] == incident), key=lambda w: w["at"])
            acknowledged = [i for i, w in enumerate(ordered) if w["ok"]]
            # Writes after the last acknowledged one may or may not have committed; earlier ones are overwritten.
            allowed = {w["value"] for w in ordered[acknowledged[-1] if acknowledged else 0 :]}
            untouched = not acknowledged and not current[incident].startswith("fault-edit-")
            if current[incident] not in allowed and not untouched:
                wrong_final.append({"incident": incident, "current": current[incident]})
        tracebacks = [f for f in failures if "Traceback" in f.get("body", "") or 'File "' in f.get("body", "")]
        client_errors = [f for f in failures if 400 <= f.get("status", 0) < 500]
        api_failures = [f for f in failures if f["kind"] != "get /" and f.get("status", 0) >= 500]
        api_not_json = [f for f in api_failures if "json" not in f.get("content_type", "")]
        not_503 = [f for f in failures if f.get("status", 0) >= 500 and f["status"] != 503]
        statuses = collections.Counter(w["status"] for w in writes)
        # A failed answer is expected while the database is restarting or down, and for a
        # request already under way then; one more than a second after it is back is not.
        windows = [(restart_began, restart_ended + 1.0), (outage_began, outage_ended + 1.0)]
        outside = [f for f in failures if not any(start <= f["at"] <= end for start, end in windows)]
        checks.update(
            {
                "failures_outside_fault_windows": len(outside),
                "patches_sent": len(writes),
                "patches_acknowledged": sum(1 for w in writes if w["ok"]),
                "patch_statuses": {str(k): v for k, v in sorted(statuses.items())},
                "reads_sent": len(reads),
                "read_statuses": {
                    str(k): v for k, v in sorted(collections.Counter(r["status"] for r in reads).items())
                },
                "outage_s": round(outage_ended - outage_began, 1),
                "acknowledged_writes_missing": len(acknowledged_missing),
                "incidents_with_unexpected_final_value": len(wrong_final),
                "failed_answers": len(failures),
                "failed_answer_kinds": dict(
                    collections.Counter(
                        f"{f['kind']} {f.get('status')} {f.get('content_type', '').split(';')[0]}" for f in failures
                    )
                ),
                "failed_answer_examples": {f["kind"]: f.get("body", f.get("error"))[:160] for f in failures},
                "failed_answers_with_traceback": len(tracebacks),
                "client_errors_4xx": len(client_errors),
                "api_5xx_not_json": len(api_not_json),
                "5xx_other_than_503": len(not_503),
                "statuses_after_recovery": after,
                "same_gunicorn_master": gunicorn.pid == master_before,
            }
        )
        if acknowledged_missing:
            problems.append("acknowledged_writes_missing")
        if wrong_final:
            problems.append("incidents_with_unexpected_final_value")
        if any(status != 200 for status in after):
            problems.append("no_recovery_without_restart")
        if outside:
            problems.append("failures_outside_fault_windows")
        if tracebacks:
            problems.append("failed_answers_with_traceback")
        if client_errors:
            problems.append("client_errors_4xx")
        if api_not_json:
            problems.append("api_5xx_not_json")
        if not checks["patches_acknowledged"]:
            problems.append("nothing_acknowledged")
    return finish("postgresql restarted during analyst edits", checks, problems)


if __name__ == "__main__":
    sys.exit(main())
