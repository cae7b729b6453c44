"""`python manage.py rollups --verify | --rebuild`: check or recompute the pre-aggregated incident counts.

Triggers keep the count tables equal to the incidents (casualties.services.rollups);
this command is for the rare day that is in doubt: after restoring a dump taken
without triggers, or to prove the counts right. --verify exits with status 1 and
lists the first differences when any key disagrees with a fresh computation.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casualties.selectors.rollups import incident_rollups_verify
from casualties.services.rollups import incident_rollups_rebuild

SHOWN = 10


class Command(BaseCommand):
    help = "Verify the pre-aggregated incident counts against the incidents, or rebuild them."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--verify", action="store_true", help="Compare every count with a fresh GROUP BY.")
        group.add_argument("--rebuild", action="store_true", help="Recompute every count table in one transaction.")

    def handle(self, *args, verify: bool, rebuild: bool, **options) -> None:
        if rebuild:
            incident_rollups_rebuild()
            self.stdout.write("Rebuilt the incident counts.")
            return
        differences = incident_rollups_verify()
        if not differences:
            self.stdout.write("The incident counts agree with the incidents.")
            return
        for difference in differences[:SHOWN]:
            self.stderr.write(
                f"{difference['table']} {difference['key']}: expected {difference['expected']}, "
                f"stored {difference['stored']}"
            )
        raise CommandError(f"{len(differences)} count rows disagree with the incidents: run --rebuild")
