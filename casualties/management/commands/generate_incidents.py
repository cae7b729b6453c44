"""`python manage.py generate_incidents --count N`: synthetic incidents for load tests."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from casualties.synthetic import incidents_delete_synthetic, incidents_generate


class Command(BaseCommand):
    help = (
        "Insert N synthetic incidents (with claims and articles) for load tests, drawn from the loaded gazetteer: "
        "fifteen years with bursts, heavy-tailed tolls. They are marked synthetic, never joined by real reports, "
        "and `--delete` removes them all. One transaction; the same seed gives the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=0, help="how many incidents to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
        parser.add_argument("--delete", action="store_true", help="delete every synthetic incident instead")
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="keep indexes and foreign keys current row by row (slower) instead of building them again at the "
            "end, which locks the tables against readers until the load commits (PostgreSQL, large loads only)",
        )

    def handle(self, *args: object, count: int, seed: int, delete: bool, keep_indexes: bool, **options: object) -> None:
        if delete:
            incidents, articles = incidents_delete_synthetic()
            self.stdout.write(self.style.SUCCESS(f"Deleted {incidents} synthetic incidents and {articles} articles."))
            return
        if count <= 0:
            raise CommandError("give --count N (N > 0), or --delete")
        started = time.perf_counter()
        with tqdm(total=count, unit=" incidents", disable=options["verbosity"] == 0) as bar:  # type: ignore[operator]
            try:
                incidents_generate(
                    count=count,
                    seed=seed,
                    rebuild_indexes=False if keep_indexes else None,
                    progress=bar.update,
                    on_rebuild=lambda: bar.set_postfix_str("building indexes again"),
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {count} synthetic incidents in {elapsed:.1f} s ({count / elapsed:,.0f} a second)."
            )
        )
