"""manage.py import_dataset --format acled|ucdp FILE.csv [--replace]: load a reference dataset's export."""

import sys

from django.core.management.base import BaseCommand, CommandError

from casualties.reference.importing import reference_import
from casualties.reference.layouts import LAYOUTS, WrongFileError

# Bad rows printed one by one; the rest are counted.
BAD_ROWS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import an ACLED or UCDP GED CSV export as a reference dataset, kept apart from our incidents. "
        "Re-importing is idempotent: changed events are updated; with --replace, events missing from the file "
        "are deleted. Bad rows are reported by line and skipped; a wrong file is refused with nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE.csv")
        parser.add_argument("--format", required=True, choices=sorted(LAYOUTS))
        parser.add_argument("--replace", action="store_true", help="Delete the dataset's events absent from the file")
        parser.add_argument("--release", default="", help="Their release or export name, e.g. 25.1 (shown to users)")

    def handle(self, *args, path, format, replace, release, **options):
        stderr = self.stderr

        def progress(rows: int) -> None:
            if sys.stderr.isatty():
                stderr.write(f"\r{rows:,} rows read", ending="")
            else:
                stderr.write(f"{rows:,} rows read")

        try:
            report = reference_import(format=format, path=path, replace=replace, version=release, progress=progress)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except WrongFileError as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        if sys.stderr.isatty() and report.rows_read >= 100_000:
            stderr.write("")
        for line, reason in report.bad_rows[:BAD_ROWS_SHOWN]:
            stderr.write(f"line {line}: {reason} (skipped)")
        if report.bad_row_count > BAD_ROWS_SHOWN:
            stderr.write(f"... and {report.bad_row_count - BAD_ROWS_SHOWN} more bad rows")
        for name, rows in report.unmatched_admin1.items():
            stderr.write(f"admin1 not in the gazetteer: {name} ({rows} rows)")
        self.stdout.write(
            f"{format}: {report.rows_read} rows read, {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.deleted} deleted, {report.bad_row_count} bad rows skipped, "
            f"{len(report.unmatched_admin1)} admin1 names unmatched."
        )
