"""Markdown tables for docs/benchmarks.md from the JSON objects bench/scale.py printed.

    .venv/bin/python bench/scale_support/table.py scale-1m.json scale-2m.json

One column per run: latency (app and baseline p50/p95, speedup), throughput, memory,
export, the answer checks and each target's pass or fail.
"""

import json
import sys
from pathlib import Path

SERIES = [
    ("list_first_page", "list, first page"),
    ("list_deep_page", "list, deep page"),
    ("timeline_all", "timeline, all"),
    ("timeline_governorate", "timeline, one governorate"),
    ("admin1_totals", "totals by governorate"),
    ("map_bbox", "map, bounding box"),
    ("dashboard_page", "dashboard page (HTML)"),
]


def _ms(summary: dict | None) -> str:
    if not summary:
        return "-"
    text = f"{summary['p50_ms']:g} / {summary['p95_ms']:g}"
    if summary.get("errors"):
        text += f" ({summary['errors']} errors)"
    if summary.get("stopped_early"):
        text += f" (only {summary['requests']})"
    return text


def table(runs: list[dict]) -> str:
    header = "| | " + " | ".join(f"{run['incidents']:,} incidents" for run in runs) + " |"
    lines = [header, "|---|" + "---|" * len(runs)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    for key, label in SERIES:
        row(f"{label}: app p50 / p95 ms", [_ms(run["latency"][key]["app"]) for run in runs])
        row(f"{label}: baseline p50 / p95 ms", [_ms(run["latency"][key]["baseline"]) for run in runs])
        row(f"{label}: speedup p50", [f"{run['latency'][key].get('speedup_p50')}x" for run in runs])
    row("deep page reached", [", ".join(map(str, run["deep_page_reached"])) for run in runs])
    row(
        "map markers sent, app max / baseline max",
        [f"{run['map_features']['app_max']:,} / {run['map_features']['baseline_max']:,}" for run in runs],
    )
    row(
        "list throughput, app (8 clients)",
        [
            f"{run['throughput']['app']['requests_per_second']:g}/s, {run['throughput']['app']['errors']} errors"
            for run in runs
        ],
    )
    row(
        "list throughput, baseline",
        ["{requests_per_second:g}/s, {errors} errors".format(**run["throughput"]["baseline"]) for run in runs],
    )
    row(
        "worker RSS max, app / baseline MB",
        [
            f"{run['memory']['app_worker_rss_max_mb']:g} / {run['memory']['baseline_worker_rss_max_mb']:g}"
            for run in runs
        ],
    )
    row(
        "export: rows (expected), seconds",
        [
            f"{run['export'].get('rows', 0):,} ({run['export']['expected_rows']:,}), "
            f"{run['export'].get('seconds', '-')} s"
            for run in runs
        ],
    )
    row(
        "export: RSS before / max during / growth MB",
        [
            f"{run['export'].get('rss_before_mb')} / {run['export'].get('rss_max_during_mb')} / "
            f"{run['export'].get('rss_growth_mb')}"
            for run in runs
        ],
    )
    row("answers agree (app = baseline)", ["yes" if run["answers_agree"] else "**no**" for run in runs])
    for name in runs[0]["targets"]:
        target = runs[0]["targets"][name]["target"]
        row(
            f"target {name} ({target})",
            [
                f"{run['targets'][name]['value']}: " + ("pass" if run["targets"][name]["pass"] else "**fail**")
                for run in runs
            ],
        )
    row(
        "load average before / after",
        [
            f"{', '.join(map(str, run['machine']['before']['load_average']))} / "
            f"{', '.join(map(str, run['machine']['after']['load_average']))}"
            for run in runs
        ],
    )
    row("total run time", [f"{run['phases_seconds']['total']:,.0f} s" for run in runs])
    return "\n".join(lines)


if __name__ == "__main__":
    print(table([json.loads(Path(name).read_text()) for name in sys.argv[1:]]))
