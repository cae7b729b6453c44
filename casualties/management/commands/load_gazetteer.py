"""`python manage.py load_gazetteer [--geonames-file SY.txt]`: fill the gazetteer tables."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from casualties.models import Place
from casualties.services.gazetteer import admin1_load, admin1_refresh_centres, place_load
from reports.extraction.gazetteer import geonames_dump_records, package_admin1_records, package_place_records


class Command(BaseCommand):
    help = (
        "Load first-level divisions for every country and places with population >= 500 from the "
        "installed GeoNames package data; optionally a GeoNames country dump (SY.txt format) for "
        "village-level coverage. Safe to run again: rows are updated, not duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--geonames-file",
            type=Path,
            action="append",
            default=[],
            help="A GeoNames country dump, e.g. SY.txt; may be given more than once.",
        )
        parser.add_argument(
            "--skip-package", action="store_true", help="Load only the dump files, not the package data."
        )
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            metavar="CC",
            help="Load places of this country only (ISO alpha-2); may be given more than once.",
        )

    def handle(self, *args: object, **options: object) -> None:
        dumps: list[Path] = options["geonames_file"]  # type: ignore[assignment]
        for dump in dumps:
            if not dump.is_file():
                raise CommandError(f"{dump}: no such file")
        show = options["verbosity"] >= 1  # type: ignore[operator]
        countries = {code.upper() for code in options["country"]}  # type: ignore[attr-defined]

        divisions = admin1_load(records=package_admin1_records())
        places = 0
        sources = [] if options["skip_package"] else [("package data", Place.Origin.PACKAGE, package_place_records())]
        sources += [(str(dump), Place.Origin.DUMP, geonames_dump_records(dump)) for dump in dumps]
        for label, origin, records in sources:
            if countries:
                records = (record for record in records if record.country in countries)
            with tqdm(desc=f"places from {label}", unit=" places", disable=not show) as bar:
                try:
                    loaded = place_load(records=records, origin=origin, progress=bar.update)
                except (ValueError, UnicodeDecodeError) as error:
                    raise CommandError(f"{label}: not a GeoNames dump ({error})") from error
            if loaded == 0 and label != "package data":
                raise CommandError(
                    f"{label}: no populated places found; is it a GeoNames dump (19 tab-separated columns, as SY.txt)?"
                )
            places += loaded
        centres = admin1_refresh_centres()
        self.stdout.write(
            self.style.SUCCESS(
                f"Gazetteer loaded: {divisions} first-level divisions, {places} places, {centres} division centres."
            )
        )
