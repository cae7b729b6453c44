"""``python -m reports.extraction.gazetteer --build-cache``: pre-build the on-disk cache."""

from __future__ import annotations

import argparse
import sys
import time

from reports.extraction.gazetteer.index import build_cache, cache_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.extraction.gazetteer", description=__doc__)
    parser.add_argument("--build-cache", action="store_true", help="build the gazetteer cache now")
    parser.add_argument("--path", action="store_true", help="print where the cache lives")
    arguments = parser.parse_args(argv)
    if arguments.path:
        print(cache_path())
    if arguments.build_cache:
        started = time.perf_counter()
        try:
            written = build_cache()
        except OSError as error:
            print(f"error: could not write the gazetteer cache: {error}", file=sys.stderr)
            return 1
        print(f"gazetteer cache written to {written} in {time.perf_counter() - started:.1f} s")
    if not (arguments.build_cache or arguments.path):
        parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
