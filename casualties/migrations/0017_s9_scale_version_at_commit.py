"""The data version moves once per transaction, at its commit, on PostgreSQL (casualties.services.data_version).

Before, a statement-level trigger moved it at each write, so concurrent writers took turns on
its row from their first write to their commit, and could deadlock. SQLite's triggers are
reinstalled as they were.
"""

from django.db import migrations

from casualties.services.data_version import data_version_triggers_install


def install(apps, schema_editor):
    data_version_triggers_install(schema_editor=schema_editor)


class Migration(migrations.Migration):
    dependencies = [("casualties", "0016_s9_import_compact_rows")]

    # Going back leaves the commit-time triggers: they keep the number right for 0014's schema as well.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
