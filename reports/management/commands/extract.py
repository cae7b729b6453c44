"""`python manage.py extract FILE...`: run the extraction engine on files, one JSON line per article."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from reports.extraction.cli import extract_files
from reports.providers import gazetteer_provider


class Command(BaseCommand):
    help = (
        "Print {'id': ..., 'incidents': [...]} for every article in .jsonl, .txt or .html files. Needs no network "
        "and no database; when the database holds villages loaded from a GeoNames dump, they are used too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: object, **options: object) -> None:
        try:
            gazetteer = gazetteer_provider()()
        except DatabaseError:
            gazetteer = None  # no database (or not migrated): the package data is the gazetteer
        if extract_files(options["files"], gazetteer=gazetteer, out=self.stdout, err=self.stderr) != 0:  # type: ignore[arg-type]
            raise CommandError("some files could not be read (see above)")
